/* Hypercalls: "sc 1" with the PAPR register convention. */
#include "rt.h"

#define HCALL_CLOBBERS "r0", "r10", "r11", "r12", "ctr", "xer", "cr0", "cr1", "cr5", "cr6", "cr7", "memory"

long hcall_ret(long nr, long a1, long a2, long a3, long a4, long a5, long a6, u64 out[3])
{
	register long r3 __asm__("r3") = nr;
	register long r4 __asm__("r4") = a1;
	register long r5 __asm__("r5") = a2;
	register long r6 __asm__("r6") = a3;
	register long r7 __asm__("r7") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;

	__asm__ volatile("sc 1"
			 : "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6), "+r"(r7), "+r"(r8), "+r"(r9)
			 :
			 : HCALL_CLOBBERS);
	if (out) {
		out[0] = r4;
		out[1] = r5;
		out[2] = r6;
	}
	return r3;
}

long hcall(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
	return hcall_ret(nr, a1, a2, a3, a4, a5, a6, NULL);
}
