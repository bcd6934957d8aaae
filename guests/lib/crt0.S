/*
 * Guest entry. The platform enters here in big-endian mode, possibly in
 * 32-bit mode (MSR[SF]=0), with r3 = real address of the device tree.
 *
 * The first eleven words are emitted byte by byte in big-endian order in
 * both builds: they run before the CPU has been switched to the build's
 * byte order. They set MSR[SF] (and MSR[LE] for the little-endian build)
 * and rfid to "switched", which is the first instruction encoded in the
 * build's own byte order. The sequence only uses PC-relative addressing.
 */

#define BEWORD(x) .byte (((x) >> 24) & 0xff), (((x) >> 16) & 0xff), (((x) >> 8) & 0xff), ((x) & 0xff)

	.section .text.entry, "ax"
	.globl _start
_start:
	BEWORD(0x48000005)	/* bl   +4               */
	BEWORD(0x7d6802a6)	/* mflr r11              */
	BEWORD(0x7d8000a6)	/* mfmsr r12             */
	BEWORD(0x38000001)	/* li   r0,1             */
	BEWORD(0x7800f806)	/* sldi r0,r0,63  (SF)   */
	BEWORD(0x7d8c0378)	/* or   r12,r12,r0       */
#ifdef __LITTLE_ENDIAN__
	BEWORD(0x618c0001)	/* ori  r12,r12,1 (LE)   */
#else
	BEWORD(0x60000000)	/* nop                   */
#endif
	BEWORD(0x396b0028)	/* addi r11,r11,switched-4 */
	BEWORD(0x7d7a03a6)	/* mtsrr0 r11            */
	BEWORD(0x7d9b03a6)	/* mtsrr1 r12            */
	BEWORD(0x4c000024)	/* rfid                  */
switched:
	/* 64-bit mode, build byte order, MMU off. r3 still holds the FDT. */
	lis	%r2, .TOC.@ha
	addi	%r2, %r2, .TOC.@l
	lis	%r1, __stack_top@ha
	addi	%r1, %r1, __stack_top@l
	li	%r0, 0
	stdu	%r0, -64(%r1)		/* terminating back chain */

	/* The boot CPU's interrupt stack, for the vectors (SPRG3). */
	lis	%r9, rt_exc_stack_top@ha
	addi	%r9, %r9, rt_exc_stack_top@l
	mtspr	275, %r9

	/* Remember the TOC pointer for the interrupt entry code. */
	lis	%r9, rt_saved_toc@ha
	std	%r2, rt_saved_toc@l(%r9)

	/* Clear .bss (doubleword aligned by the linker script). */
	lis	%r9, __bss_start@ha
	addi	%r9, %r9, __bss_start@l
	lis	%r10, __bss_end@ha
	addi	%r10, %r10, __bss_end@l
1:	cmpld	%r9, %r10
	bge	2f
	std	%r0, 0(%r9)
	addi	%r9, %r9, 8
	b	1b
2:
	bl	rt_start		/* rt_start(fdt): never returns */
	nop
3:	b	3b

	.section .bss
	.balign 8
	.globl rt_saved_toc
rt_saved_toc:
	.space 8
