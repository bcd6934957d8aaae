package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.VsxInstructions.put;
import static jvisor.hw.power.cpu.VsxInstructions.vsx;
import static jvisor.hw.power.cpu.VsxInstructions.xt;

import java.util.List;

/**
 * Moves between the GPRs and the VSRs (ISA 3.0B Book I 7.6.1.7): RA is bits 11:15, RB bits 16:20,
 * the VSR is T/S (bits 6:10) + 32 * TX/SX (bit 31). The moves to doubleword 0 leave doubleword 1
 * as it was (the ISA leaves it undefined; POWER9 and QEMU keep it). The facility each needs
 * (FP or VEC by the register, or VSX) comes from the table of valid encodings.
 */
final class VsxMove {
    private VsxMove() {
    }

    static final List<InstructionSpec> SPECS = List.of(
            vsx("mfvsrd", (c, w) -> toGpr(c, w, c.vs.vsr[xt(w)])),
            vsx("mfvsrwz", (c, w) -> toGpr(c, w, c.vs.vsr[xt(w)] & 0xFFFF_FFFFL)),
            vsx("mfvsrld", (c, w) -> toGpr(c, w, c.vs.vsr[xt(w) + 1])),
            vsx("mtvsrd", (c, w) -> toDoubleword0(c, w, ra(c, w))),
            vsx("mtvsrwa", (c, w) -> toDoubleword0(c, w, (int) ra(c, w))),
            vsx("mtvsrwz", (c, w) -> toDoubleword0(c, w, ra(c, w) & 0xFFFF_FFFFL)),
            vsx("mtvsrdd", VsxMove::mtvsrdd),
            vsx("mtvsrws", VsxMove::mtvsrws));

    private static long ra(Core c, int w) {
        return c.gpr[(w >>> 16) & 31];
    }

    private static int toGpr(Core c, int w, long v) {
        c.gpr[(w >>> 16) & 31] = v;
        return Core.OK;
    }

    private static int toDoubleword0(Core c, int w, long v) {
        c.vs.vsr[xt(w)] = v;
        return Core.OK;
    }

    /** mtvsrdd: doubleword 0 = (RA|0), doubleword 1 = RB. */
    static int mtvsrdd(Core c, int w) {
        int a = (w >>> 16) & 31;
        put(c, xt(w), a == 0 ? 0 : c.gpr[a], c.gpr[(w >>> 11) & 31]);
        return Core.OK;
    }

    /** mtvsrws: the low word of RA into all four words. */
    static int mtvsrws(Core c, int w) {
        long x = ra(c, w) & 0xFFFF_FFFFL;
        long d = x << 32 | x;
        put(c, xt(w), d, d);
        return Core.OK;
    }
}
