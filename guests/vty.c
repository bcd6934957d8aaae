/*
 * vty: the hypervisor terminal as programs written for pseries use it.
 *
 * Early console code (Linux's udbg, the test programs of hypervisor test
 * suites) writes with H_PUT_TERM_CHAR to terminal number 0 before, or
 * instead of, reading the vty's unit address from the device tree. PowerVM
 * and QEMU route terminal 0 to the first vty. This guest prints everything
 * after its first line through terminal 0, so a machine that refuses it
 * shows almost nothing; then it checks the refusals: any other terminal
 * number that is no vty, and a length over 16, get H_PARAMETER and print
 * nothing.
 */
#include "rt.h"

#define H_PARAMETER (-4)
#define H_GET_TERM_CHAR 0x54

/* Eight characters packed big-endian in one register, as the hypercall takes them. */
static u64 pack(const char *s)
{
	u64 w = 0;
	for (int i = 0; i < 8; i++)
		w |= (u64)(u8)s[i] << (56 - 8 * i);
	return w;
}

int main(void)
{
	u32 vty = rt_termno;
	printf("vty unit address found in the device tree\n");

	/* From here on the runtime's console writes to terminal 0. */
	rt_termno = 0;
	printf("this line went through terminal 0\n");
	check(vty != 0, "the vty's own unit address is not 0");

	long rc = hcall(H_PUT_TERM_CHAR, 0, 16, pack("sixteen "), pack("chars!!\n"), 0, 0);
	check(rc == H_SUCCESS, "H_PUT_TERM_CHAR to terminal 0 with 16 characters: %ld", rc);
	rc = hcall(H_PUT_TERM_CHAR, vty, 9, pack("own addr"), pack("\n       "), 0, 0);
	check(rc == H_SUCCESS, "H_PUT_TERM_CHAR to the vty's own unit address: %ld", rc);
	rc = hcall(H_PUT_TERM_CHAR, 0, 0, 0, 0, 0, 0);
	check(rc == H_SUCCESS, "H_PUT_TERM_CHAR of no characters: %ld", rc);

	static const u64 not_terminals[] = {
		1, 2, 0x12345678, 0xffffffffUL, 0x100000000UL, 0xffffffffffffffffUL, 0x8000000000000000UL,
	};
	for (unsigned i = 0; i < ARRAY_SIZE(not_terminals); i++) {
		u64 t = not_terminals[i];
		rc = hcall(H_PUT_TERM_CHAR, t, 8, pack("LEAKED!\n"), 0, 0, 0);
		check(rc == H_PARAMETER, "H_PUT_TERM_CHAR to terminal 0x%lx: %ld", t, rc);
		u64 out[3] = { 0, 0, 0 };
		rc = hcall_ret(H_GET_TERM_CHAR, t, 0, 0, 0, 0, 0, out);
		check(rc == H_PARAMETER, "H_GET_TERM_CHAR from terminal 0x%lx: %ld", t, rc);
	}
	/* The vty's neighbours are no terminal either (unless the tree puts one there). */
	rc = hcall(H_PUT_TERM_CHAR, (u64)vty + 0x1000, 8, pack("LEAKED!\n"), 0, 0, 0);
	check(rc == H_PARAMETER, "H_PUT_TERM_CHAR to the vty's address + 0x1000: %ld", rc);

	rc = hcall(H_PUT_TERM_CHAR, 0, 17, pack("LEAKED!\n"), 0, 0, 0);
	check(rc == H_PARAMETER, "H_PUT_TERM_CHAR of 17 characters: %ld", rc);
	rc = hcall(H_PUT_TERM_CHAR, 0, -1L, pack("LEAKED!\n"), 0, 0, 0);
	check(rc == H_PARAMETER, "H_PUT_TERM_CHAR of -1 characters: %ld", rc);

	/* Nothing is typed during the test, so terminal 0 has nothing to read. */
	u64 out[3] = { 99, 0, 0 };
	rc = hcall_ret(H_GET_TERM_CHAR, 0, 0, 0, 0, 0, 0, out);
	check(rc == H_SUCCESS && out[0] == 0, "H_GET_TERM_CHAR from terminal 0: %ld, %lu characters", rc, out[0]);

	/* RTAS display-character writes to the same console. */
	u32 ret;
	int ok = 1;
	for (const char *s = "display-character\n"; *s; s++)
		ok &= rtas_call("display-character", 1, 1, &ret, (u32)*s) == 0;
	check(ok, "RTAS display-character");
	return 0;
}
