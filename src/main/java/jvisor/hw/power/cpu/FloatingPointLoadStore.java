package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.FixedPoint.ra;
import static jvisor.hw.power.cpu.FloatingPointUnit.fpr;
import static jvisor.hw.power.cpu.FloatingPointUnit.frt;

import jvisor.hw.power.Mmu;
import jvisor.hw.power.cpu.fpu.FloatingPointConversions;

/**
 * Floating-point loads and stores (ISA 3.0B Book I 4.6.2, 4.6.3): single precision converted
 * to and from double format as the ISA's DOUBLE() and SINGLE() do (no rounding), doubles, words
 * to and from an FPR's low half (lfiwax, lfiwzx, stfiwx), and doubleword pairs. Data byte order
 * follows MSR[LE] as for the fixed-point loads; a faulting access changes no register (RA is
 * updated only after the access succeeded). Update forms with RA=0 are invalid forms (illegal
 * instruction, as POWER9 and QEMU report them); so are pairs with an odd FRTp.
 */
final class FloatingPointLoadStore {
    private FloatingPointLoadStore() {
    }

    /** The load/store kinds. */
    static final int SINGLE = 0, DOUBLE = 1, WORD_ALGEBRAIC = 2, WORD_ZERO = 3, WORD = 4;

    private static int len(int kind) {
        return kind == DOUBLE ? 8 : 4;
    }

    private static int load(Core c, int w, long ea, int kind, boolean update) {
        long v = c.lsu.load(ea, len(kind));
        if (c.trap != 0) {
            return c.trap;
        }
        c.vs.vsr[2 * frt(w)] = switch (kind) {
            case SINGLE -> FloatingPointConversions.singleToDouble((int) v);
            case WORD_ALGEBRAIC -> (int) v;
            default -> v; // DOUBLE, WORD_ZERO
        };
        if (update) {
            c.gpr[ra(w)] = ea;
        }
        return Core.OK;
    }

    private static int store(Core c, int w, long ea, int kind, boolean update) {
        long v = fpr(c, frt(w));
        if (kind == SINGLE) {
            v = FloatingPointConversions.doubleToSingle(v) & 0xFFFF_FFFFL;
        }
        c.lsu.store(ea, len(kind), v);
        if (c.trap != 0) {
            return c.trap;
        }
        if (update) {
            c.gpr[ra(w)] = ea;
        }
        return Core.OK;
    }

    /** D-form: EA = (RA|0) + D. */
    static int loadD(Core c, int w, int kind, boolean update) {
        if (update && ra(w) == 0) {
            return c.interrupts.illegal();
        }
        return load(c, w, LoadStore.eaD(c, w), kind, update);
    }

    /** X-form: EA = (RA|0) + (RB). */
    static int loadX(Core c, int w, int kind, boolean update) {
        if (update && ra(w) == 0) {
            return c.interrupts.illegal();
        }
        return load(c, w, LoadStore.eaX(c, w), kind, update);
    }

    static int storeD(Core c, int w, int kind, boolean update) {
        if (update && ra(w) == 0) {
            return c.interrupts.illegal();
        }
        return store(c, w, LoadStore.eaD(c, w), kind, update);
    }

    static int storeX(Core c, int w, int kind, boolean update) {
        if (update && ra(w) == 0) {
            return c.interrupts.illegal();
        }
        return store(c, w, LoadStore.eaX(c, w), kind, update);
    }

    // ---- doubleword pairs ----

    /**
     * lfdp / lfdpx: two doublewords into FRTp and FRTp+1. In big-endian mode the first in storage
     * goes to FRTp; in little-endian mode the 16 bytes are one quadword in little-endian order,
     * so the first doubleword goes to FRTp+1 (as for lq). Both halves are translated before
     * either register is written.
     */
    static int loadPair(Core c, int w, long ea) {
        int t = frt(w);
        if ((t & 1) != 0) {
            return c.interrupts.illegal();
        }
        long first = c.lsu.load(ea, 8);
        if (c.trap != 0) {
            return c.trap;
        }
        long second = c.lsu.load((ea + 8) & c.addrMask, 8);
        if (c.trap != 0) {
            return c.trap;
        }
        c.vs.vsr[2 * t] = c.le ? second : first;
        c.vs.vsr[2 * (t + 1)] = c.le ? first : second;
        return Core.OK;
    }

    /** stfdp / stfdpx: the mirror of {@link #loadPair}; both halves are translated before either is written. */
    static int storePair(Core c, int w, long ea) {
        int t = frt(w);
        if ((t & 1) != 0) {
            return c.interrupts.illegal();
        }
        long hi = fpr(c, t), lo = fpr(c, t + 1);
        long first = c.le ? lo : hi, second = c.le ? hi : lo;
        // Translate every page the 16 bytes touch before storing, so a fault leaves storage unchanged.
        long end = (ea + 8) & c.addrMask;
        long last = (ea + 15) & c.addrMask;
        if (c.lsu.dataAddress(ea, 1, Mmu.STORE) < 0) {
            return c.trap;
        }
        if (((ea ^ last) & ~0xFFFL) != 0 && c.lsu.dataAddress(((ea | 0xFFF) + 1) & c.addrMask, 1, Mmu.STORE) < 0) {
            return c.trap;
        }
        c.lsu.store(ea, 8, first);
        if (c.trap != 0) {
            return c.trap;
        }
        c.lsu.store(end, 8, second);
        return c.trap;
    }

    static int lfdp(Core c, int w) {
        return loadPair(c, w, LoadStore.eaDS(c, w));
    }

    static int lfdpx(Core c, int w) {
        return loadPair(c, w, LoadStore.eaX(c, w));
    }

    static int stfdp(Core c, int w) {
        return storePair(c, w, LoadStore.eaDS(c, w));
    }

    static int stfdpx(Core c, int w) {
        return storePair(c, w, LoadStore.eaX(c, w));
    }
}
