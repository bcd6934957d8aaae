/*
 * gdbtarget: a guest to debug, for the gdb stub's end-to-end test (and an
 * ordinary guest everywhere else). It calls a small C function, square(),
 * whose argument a debugger may change before it is used; stores the result
 * where a watchpoint can see it; reads a word through its own radix mapping
 * at EA 4 GiB (peek(), with MSR[IR,DR] on) so that a debugger reads memory
 * through the guest's translation; and spins while `hold` is set, which only
 * a debugger does (to interrupt it there). Left alone it prints the same
 * lines on every machine.
 */
#include "rt.h"

#define WINDOW_EA 0x100000000UL

volatile int result;
volatile int hold;
volatile u64 spins;
static u64 window[512] __attribute__((aligned(4096)));

__attribute__((noinline)) int square(int x)
{
	/* Two instructions that leave x alone come first, so a debugger can
	 * stop at square, step, and still change the argument. */
	__asm__ volatile("nop\n\tnop" : "+r"(x));
	return x * x;
}

__attribute__((noinline)) u64 peek(volatile u64 *p)
{
	return p[0] ^ p[1];
}

__attribute__((noinline)) void spin(void)
{
	while (hold)
		spins++;
}

int main(void)
{
	result = square(3);
	printf("square: %d\n", result);

	window[0] = 0x0123456789abcdefUL;
	window[1] = 0x1111111111111111UL;
	mmu_init();
	mmu_new_tree(1);
	mmu_identity(1);
	if (mmu_map(1, WINDOW_EA, (u64)(uintptr_t)window, 4096, PTE_R | PTE_C | PTE_PRIV | PTE_RD | PTE_RW))
		panic("map the window");
	check(mmu_register() == 0, "H_REGISTER_PROCESS_TABLE");
	mmu_on(1);
	u64 v = peek((volatile u64 *)WINDOW_EA);
	mmu_off();
	printf("peek: %016lx\n", v);

	printf("spinning\n");
	spin();
	printf("spun\n");
	return 0;
}
