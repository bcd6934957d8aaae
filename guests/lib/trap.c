/* Interrupt dispatch in C. */
#include "rt.h"

extern char vectors_image[], vectors_image_end[];
trap_fn rt_trap_hook;

void vectors_install(void)
{
	u64 len = (u64)(vectors_image_end - vectors_image) - 0x100;
	volatile u8 *dst;
	/* Hide the constant address from the compiler's bounds checks. */
	__asm__("" : "=r"(dst) : "0"(0x100UL));
	for (u64 i = 0; i < len; i++)
		dst[i] = vectors_image[0x100 + i];
	flush_icache_range(0x100, 0x100 + len);
}

void rt_trap(struct regs *r)
{
	if (rt_trap_hook && rt_trap_hook(r))
		return;
	if ((r->vec == 0x300 || r->vec == 0x400) && mmu_fix_rc(r))
		return;
	if (r->vec == 0x900) {
		/* A stray decrementer: push it far away and carry on. */
		mtspr(SPR_DEC, 0x7fffffffUL);
		return;
	}
	printf("FAIL: unexpected interrupt 0x%lx at 0x%lx srr1 0x%lx dar 0x%lx dsisr 0x%lx\n",
	       r->vec, r->nip, r->msr & SRR1_ARCH_MASK, r->dar, r->dsisr);
	finish();
}
