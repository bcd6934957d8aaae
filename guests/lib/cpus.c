/*
 * Secondary CPUs for guests that run C on several CPUs at once: the CPUs
 * from /cpus (boot CPU first), RTAS start-cpu into a C function on a stack
 * of the CPU's own, and RTAS stop-self. The smp guest keeps its own copy
 * of this because it tests start-cpu itself, step by step.
 */
#include "rt.h"

#define STACK_SIZE 16384
#define EXC_STACK_SIZE 8192

static u8 stacks[CPUS_MAX][STACK_SIZE] __attribute__((aligned(16)));
static u8 exc_stacks[CPUS_MAX][EXC_STACK_SIZE] __attribute__((aligned(16)));

/* RTAS with an argument block on the caller's stack: lib/rtas.c has one
 * shared block, which two CPUs must not use at once. */
static int rtas_own_block(u32 token, int nargs, int nret, const u32 *args, u32 *rets)
{
	u32 b[16] __attribute__((aligned(16)));
	b[0] = cpu_to_be32(token);
	b[1] = cpu_to_be32(nargs);
	b[2] = cpu_to_be32(nret);
	for (int i = 0; i < nargs; i++)
		b[3 + i] = cpu_to_be32(args[i]);
	for (int i = 0; i < nret; i++)
		b[3 + nargs + i] = 0;
	__asm__ volatile("sync" : : : "memory");
	hcall(KVMPPC_H_RTAS, (long)(uintptr_t)b, 0, 0, 0, 0, 0);
	for (int i = 0; i < nret; i++)
		rets[i] = be32_to_cpu(b[3 + nargs + i]);
	return nret ? (int)rets[0] : 0;
}

int cpus_find(struct cpu *cpus, int max)
{
	u32 boot = (u32)mfspr(1023);	/* PIR */
	int root = fdt_path("/cpus"), n = 1, have_boot = 0;
	if (max > CPUS_MAX)
		max = CPUS_MAX;
	for (int c = root >= 0 ? fdt_first_child(root) : -1; c >= 0 && max > 0; c = fdt_next_sibling(c)) {
		int len;
		const char *type = fdt_prop(c, "device_type", &len);
		const u32 *srv = fdt_prop(c, "ibm,ppc-interrupt-server#s", &len);
		if (!type || strcmp(type, "cpu") || !srv || len < 4)
			continue;
		u32 server = be32_to_cpu(srv[0]);
		int i = server == boot ? 0 : n;
		if (i == 0)
			have_boot = 1;
		else if (n < max)
			n++;
		else
			continue;
		cpus[i].server = server;
		cpus[i].index = (u32)i;
		cpus[i].stack_top = (u64)(uintptr_t)&stacks[i][STACK_SIZE];
		cpus[i].exc_stack_top = (u64)(uintptr_t)&exc_stacks[i][EXC_STACK_SIZE];
	}
	if (!have_boot) {
		/* No /cpus entry for ourselves: report just the boot CPU. */
		cpus[0].server = boot;
		cpus[0].index = 0;
		return 1;
	}
	return n;
}

void cpu_secondary_main(struct cpu *c);

void cpu_secondary_main(struct cpu *c)
{
	mtspr(SPR_DEC, 0x7fffffffUL);
	c->fn(c);
	cpu_stop_self();
}

/*
 * start-cpu enters here big-endian with MSR = SF|ME and r3 = the struct
 * cpu. The first eight words are big-endian in both builds and switch to
 * the build's byte order (as crt0 does); then the CPU's stacks, the TOC
 * and C.
 */
#define BEW(x) ".byte ((" #x ")>>24)&0xff,((" #x ")>>16)&0xff,((" #x ")>>8)&0xff,(" #x ")&0xff\n"
#ifdef __LITTLE_ENDIAN__
#define SET_LE BEW(0x618c0001)
#else
#define SET_LE BEW(0x60000000)
#endif
__asm__(
	"	.text\n"
	"	.balign 4\n"
	"cpu_entry:\n"
	BEW(0x48000005)		/* bl +4 */
	BEW(0x7d6802a6)		/* mflr r11 */
	BEW(0x7d8000a6)		/* mfmsr r12 */
	SET_LE			/* ori r12,r12,1 (LE) or nop */
	BEW(0x396b001c)		/* addi r11,r11,28: 1f */
	BEW(0x7d7a03a6)		/* mtsrr0 r11 */
	BEW(0x7d9b03a6)		/* mtsrr1 r12 */
	BEW(0x4c000024)		/* rfid */
	"1:	ld 1,0(3)\n"		/* stack_top */
	"	ld 9,8(3)\n"		/* exc_stack_top */
	"	mtspr 275,9\n"		/* SPRG3: this CPU's interrupt stack */
	"	lis 2,.TOC.@ha\n"
	"	addi 2,2,.TOC.@l\n"
	"	li 0,0\n"
	"	stdu 0,-64(1)\n"
	"	bl cpu_secondary_main\n"
	"	nop\n"
	"2:	b 2b\n");
extern char cpu_entry[];

int cpu_start(struct cpu *c, void (*fn)(struct cpu *c))
{
	c->fn = fn;
	__asm__ volatile("sync" : : : "memory");
	u32 a[3] = { c->server, (u32)(uintptr_t)cpu_entry, (u32)(uintptr_t)c }, r[1];
	rtas_own_block(rtas_token("start-cpu"), 3, 1, a, r);
	return (int)r[0];
}

void cpu_stop_self(void)
{
	u32 r[1];
	rtas_own_block(rtas_token("stop-self"), 0, 0, NULL, r);
	for (;;)
		__asm__ volatile("" ::: "memory");
}

int cpu_wait_above(volatile u32 *flag, u32 value, u64 limit)
{
	for (u64 spin = 0; *flag <= value; spin++)
		if (spin >= limit)
			return 0;
	return 1;
}
