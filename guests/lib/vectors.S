/*
 * Interrupt vectors. This section is an image of real memory 0 .. 0x1400:
 * vectors_install() copies everything from offset 0x100 on to real
 * address 0x100. Each vector parks r1 and r3 in SPRG1 and SPRG2, puts its
 * own offset in r3 and branches (PC-relative, so valid after the copy) to
 * the common entry, which saves the full state as a struct regs on this
 * CPU's interrupt stack (its top is kept in SPRG3: the boot CPU's is set
 * by crt0, a secondary CPU sets its own) and calls rt_trap(struct regs *).
 * Nothing is shared between CPUs, so several may take interrupts at once.
 * Interrupts are taken with MSR[IR,DR]=0, so every address used here is a
 * real address.
 */

#define FRAME_HDR 32
#define R(n) (FRAME_HDR + 8 * (n))
#define NIP R(32)
#define MSRS R(33)
#define LR R(34)
#define CTR R(35)
#define XER R(36)
#define CRS R(37)
#define DAR R(38)
#define DSISR R(39)
#define VEC R(40)
#define FRAME_SIZE (FRAME_HDR + 8 * 41 + 8)

	.section .vectors, "ax"
	.globl vectors_image
vectors_image:

	.macro VECTOR off
	.org vectors_image + \off
	mtspr	273, %r1		/* SPRG1 */
	mtspr	274, %r3		/* SPRG2 */
	li	%r3, \off
	b	common_entry
	.endm

	VECTOR 0x100
	VECTOR 0x200
	VECTOR 0x300
	VECTOR 0x380
	VECTOR 0x400
	VECTOR 0x480
	VECTOR 0x500
	VECTOR 0x600
	VECTOR 0x700
	VECTOR 0x800
	VECTOR 0x900
	VECTOR 0x980
	VECTOR 0xa00
	VECTOR 0xb00
	VECTOR 0xc00
	VECTOR 0xd00
	VECTOR 0xe00
	VECTOR 0xe20
	VECTOR 0xe40
	VECTOR 0xe60
	VECTOR 0xe80
	VECTOR 0xea0
	VECTOR 0xf00
	VECTOR 0xf20
	VECTOR 0xf40
	VECTOR 0xf60
	VECTOR 0xf80

	.org vectors_image + 0x1000
common_entry:
	mfspr	%r1, 275			/* SPRG3: this CPU's stack top */
	addi	%r1, %r1, -FRAME_SIZE
	std	%r0, R(0)(%r1)
	mfspr	%r0, 273
	std	%r0, R(1)(%r1)
	std	%r2, R(2)(%r1)
	mfspr	%r0, 274
	std	%r0, R(3)(%r1)
	std	%r3, VEC(%r1)
	.irp n, 4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	std	%r\n, R(\n)(%r1)
	.endr
	mfsrr0	%r0
	std	%r0, NIP(%r1)
	mfsrr1	%r0
	std	%r0, MSRS(%r1)
	mflr	%r0
	std	%r0, LR(%r1)
	mfctr	%r0
	std	%r0, CTR(%r1)
	mfxer	%r0
	std	%r0, XER(%r1)
	mfcr	%r0
	std	%r0, CRS(%r1)
	mfdar	%r0
	std	%r0, DAR(%r1)
	mfdsisr	%r0
	std	%r0, DSISR(%r1)
	li	%r0, 0
	std	%r0, 0(%r1)			/* end of back chain */

	lis	%r2, rt_saved_toc@ha
	ld	%r2, rt_saved_toc@l(%r2)
	lis	%r12, rt_trap@ha
	addi	%r12, %r12, rt_trap@l
	mtctr	%r12
	addi	%r3, %r1, FRAME_HDR
	bctrl

	ld	%r0, NIP(%r1)
	mtsrr0	%r0
	ld	%r0, MSRS(%r1)
	mtsrr1	%r0
	ld	%r0, LR(%r1)
	mtlr	%r0
	ld	%r0, CTR(%r1)
	mtctr	%r0
	ld	%r0, XER(%r1)
	mtxer	%r0
	ld	%r0, CRS(%r1)
	mtcrf	0xff, %r0
	.irp n, 0,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ld	%r\n, R(\n)(%r1)
	.endr
	ld	%r1, R(1)(%r1)
	rfid
	.globl vectors_image_end
vectors_image_end:

	.section .bss
	.balign 16
	.space 16384
	.globl rt_exc_stack_top
rt_exc_stack_top:
	.space 16
