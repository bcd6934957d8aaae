/**
 * IEEE 754 binary floating point as POWER9 computes it (Power ISA 3.0B Book I chapter 4), on
 * values held as their bits: {@link jvisor.hw.power.cpu.fpu.FloatingPointArithmetic} (add,
 * subtract, multiply, divide, square root, fused multiply-add, estimates),
 * {@link jvisor.hw.power.cpu.fpu.FloatingPointConversions} (rounding to single, to and from
 * integers, to integral values, the single-precision storage format) and
 * {@link jvisor.hw.power.cpu.fpu.FloatingPointCompare}, and quad precision in
 * {@link jvisor.hw.power.cpu.fpu.Binary128} and {@link jvisor.hw.power.cpu.fpu.QuadConversions}
 * (exact BigInteger intermediates, also rounding to odd), all rounding once to a
 * {@link jvisor.hw.power.cpu.fpu.Precision} in the four FPSCR modes through
 * {@link jvisor.hw.power.cpu.fpu.Rounding}, with exceptions raised in a
 * {@link jvisor.hw.power.cpu.fpu.FloatStatus} as {@link jvisor.hw.power.cpu.fpu.Fpscr} bits.
 *
 * <p>Results are exact: intermediates are computed in integers (64 or 128 bits plus a sticky bit),
 * never with Java's double arithmetic, which rounds to nearest only. POWER's rules: the first NaN
 * operand in the instruction's order, quieted; the default QNaN 0x7FF8000000000000 for invalid
 * operations; tininess before rounding; enabled overflow and underflow deliver the result with its
 * exponent adjusted by 1536 (double) or 192 (single); single-precision results are kept in double
 * format. The scalar FP instructions use it, and the VSX scalar and vector double and single
 * operations can: nothing here knows of a core or its registers.
 *
 * <p>Depends on nothing outside the JDK.
 */
package jvisor.hw.power.cpu.fpu;
