package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.FixedPoint.ra;
import static jvisor.hw.power.cpu.FixedPoint.rb;
import static jvisor.hw.power.cpu.FixedPoint.rt;

import jvisor.hw.power.Mmu;

/**
 * Loads and stores: every width, zero and algebraic, update and indexed forms, byte-reverse,
 * quadword, multiple and string forms, and dcbz. Data byte order follows MSR[LE]; the
 * byte-reverse forms use the other order. A faulting access leaves every register unchanged
 * (the update of RA happens only after the access succeeded).
 */
final class LoadStore {
    private LoadStore() {
    }

    // ---- generic bodies: kind selects sign extension and byte reversal ----

    private static int loadTo(Core c, int w, long ea, int len, boolean algebraic, boolean update) {
        long v = c.lsu.load(ea, len);
        if (c.trap != 0) {
            return c.trap;
        }
        if (algebraic) {
            v = len == 2 ? (short) v : len == 4 ? (int) v : v;
        }
        c.gpr[rt(w)] = v;
        if (update) {
            c.gpr[ra(w)] = ea;
        }
        return Core.OK;
    }

    private static int storeFrom(Core c, int w, long ea, int len, boolean update) {
        c.lsu.store(ea, len, c.gpr[rt(w)]);
        if (c.trap != 0) {
            return c.trap;
        }
        if (update) {
            c.gpr[ra(w)] = ea;
        }
        return Core.OK;
    }

    static long reverse(long v, int len) {
        return switch (len) {
            case 2 -> Short.reverseBytes((short) v) & 0xFFFFL;
            case 4 -> Integer.reverseBytes((int) v) & 0xFFFF_FFFFL;
            default -> Long.reverseBytes(v);
        };
    }

    // ---- D and DS forms ----

    static int loadD(Core c, int w, int len, boolean algebraic, boolean update) {
        return loadTo(c, w, eaD(c, w), len, algebraic, update);
    }

    static int loadDS(Core c, int w, int len, boolean algebraic, boolean update) {
        return loadTo(c, w, eaDS(c, w), len, algebraic, update);
    }

    static int loadX(Core c, int w, int len, boolean algebraic, boolean update) {
        return loadTo(c, w, eaX(c, w), len, algebraic, update);
    }

    static int storeD(Core c, int w, int len, boolean update) {
        return storeFrom(c, w, eaD(c, w), len, update);
    }

    static int storeDS(Core c, int w, int len, boolean update) {
        return storeFrom(c, w, eaDS(c, w), len, update);
    }

    static int storeX(Core c, int w, int len, boolean update) {
        return storeFrom(c, w, eaX(c, w), len, update);
    }

    static int loadReversed(Core c, int w, int len) {
        long v = c.lsu.load(eaX(c, w), len);
        if (c.trap != 0) {
            return c.trap;
        }
        c.gpr[rt(w)] = reverse(v, len);
        return Core.OK;
    }

    static int storeReversed(Core c, int w, int len) {
        c.lsu.store(eaX(c, w), len, reverse(c.gpr[rt(w)], len));
        return c.trap;
    }

    // ---- quadword ----

    /**
     * lq: 16-byte aligned (else alignment interrupt). The quadword is one 128-bit value in the
     * current byte order: RTp gets its high doubleword, RTp+1 the low one.
     */
    static int lq(Core c, int w) {
        long ea = ((ra(w) == 0 ? 0 : c.gpr[ra(w)]) + (short) (w & 0xFFF0)) & c.addrMask;
        return loadQuad(c, rt(w), ea);
    }

    static int loadQuad(Core c, int rtp, long ea) {
        if ((ea & 15) != 0) {
            return c.interrupts.alignment(ea);
        }
        long ra = c.lsu.dataAddress(ea, 16, Mmu.LOAD);
        if (ra < 0) {
            return c.trap;
        }
        long first = c.lsu.read(ra, 8, c.le), second = c.lsu.read(ra + 8, 8, c.le);
        c.gpr[rtp] = c.le ? second : first;
        c.gpr[rtp + 1] = c.le ? first : second;
        return Core.OK;
    }

    static int stq(Core c, int w) {
        long ea = eaDS(c, w);
        if ((ea & 15) != 0) {
            return c.interrupts.alignment(ea);
        }
        long ra = c.lsu.dataAddress(ea, 16, Mmu.STORE);
        if (ra < 0) {
            return c.trap;
        }
        long hi = c.gpr[rt(w)], lo = c.gpr[rt(w) + 1];
        c.lsu.write(ra, 8, c.le ? lo : hi, c.le);
        c.lsu.write(ra + 8, 8, c.le ? hi : lo, c.le);
        c.lsu.stored(ra, 16);
        return Core.OK;
    }

    // ---- multiple and string (big-endian only) ----

    static int lmw(Core c, int w) {
        long ea = eaD(c, w);
        if (c.le) {
            return c.interrupts.alignment(ea);
        }
        int first = rt(w);
        long[] values = new long[32 - first];
        for (int r = first; r < 32; r++) {
            long v = c.lsu.load((ea + 4L * (r - first)) & c.addrMask, 4);
            if (c.trap != 0) {
                return c.trap;
            }
            values[r - first] = v;
        }
        System.arraycopy(values, 0, c.gpr, first, values.length);
        return Core.OK;
    }

    static int stmw(Core c, int w) {
        long ea = eaD(c, w);
        if (c.le) {
            return c.interrupts.alignment(ea);
        }
        for (int r = rt(w); r < 32; r++) {
            c.lsu.store((ea + 4L * (r - rt(w))) & c.addrMask, 4, c.gpr[r]);
            if (c.trap != 0) {
                return c.trap;
            }
        }
        return Core.OK;
    }

    static int lswi(Core c, int w) {
        long ea = (ra(w) == 0 ? 0 : c.gpr[ra(w)]) & c.addrMask;
        int n = rb(w) == 0 ? 32 : rb(w);
        return loadString(c, w, ea, n);
    }

    static int lswx(Core c, int w) {
        return loadString(c, w, eaX(c, w), c.xerBytes);
    }

    /** Loads n bytes into RT, RT+1, ... (wrapping to r0), four per register, left-justified. */
    private static int loadString(Core c, int w, long ea, int n) {
        if (c.le) {
            return c.interrupts.alignment(ea);
        }
        int regs = (n + 3) / 4, first = rt(w);
        for (int k = 0; k < regs; k++) {
            int r = (first + k) & 31;
            if (r == ra(w) || (r == rb(w) && isIndexedString(w))) {
                return c.interrupts.illegal(); // invalid form: RA or RB among the registers loaded
            }
        }
        long[] values = new long[regs];
        for (int i = 0; i < n; i++) {
            long b = c.lsu.load((ea + i) & c.addrMask, 1);
            if (c.trap != 0) {
                return c.trap;
            }
            values[i / 4] |= b << (24 - 8 * (i % 4));
        }
        for (int k = 0; k < regs; k++) {
            c.gpr[(first + k) & 31] = values[k];
        }
        return Core.OK;
    }

    private static boolean isIndexedString(int w) {
        return ((w >>> 1) & 0x3FF) == 533;
    }

    static int stswi(Core c, int w) {
        long ea = (ra(w) == 0 ? 0 : c.gpr[ra(w)]) & c.addrMask;
        return storeString(c, w, ea, rb(w) == 0 ? 32 : rb(w));
    }

    static int stswx(Core c, int w) {
        return storeString(c, w, eaX(c, w), c.xerBytes);
    }

    private static int storeString(Core c, int w, long ea, int n) {
        if (c.le) {
            return c.interrupts.alignment(ea);
        }
        for (int i = 0; i < n; i++) {
            long v = c.gpr[(rt(w) + i / 4) & 31] >>> (24 - 8 * (i % 4));
            c.lsu.store((ea + i) & c.addrMask, 1, v);
            if (c.trap != 0) {
                return c.trap;
            }
        }
        return Core.OK;
    }

    // ---- effective addresses ----

    /** The effective addresses of the D, DS and X forms: (RA|0) + D, (RA|0) + DS || 0b00, (RA|0) + (RB), in the core's width. */
    static long eaD(Core c, int w) {
        int ra = (w >>> 16) & 31;
        return ((ra == 0 ? 0 : c.gpr[ra]) + (short) w) & c.addrMask;
    }

    static long eaDS(Core c, int w) {
        int ra = (w >>> 16) & 31;
        return ((ra == 0 ? 0 : c.gpr[ra]) + (short) (w & 0xFFFC)) & c.addrMask;
    }

    static long eaX(Core c, int w) {
        int ra = (w >>> 16) & 31;
        return ((ra == 0 ? 0 : c.gpr[ra]) + c.gpr[(w >>> 11) & 31]) & c.addrMask;
    }

    // ---- cache block zero ----

    /** dcbz zeroes the aligned 128-byte block containing the address (a store for translation). */
    static int dcbz(Core c, int w) {
        long ea = eaX(c, w) & ~127L;
        // A block of a page the data cache holds for writing (never code, never watched): sixteen
        // stores to its host bytes, as a translated store does. The kernel clears its pages so
        // (clear_page, memset of whole blocks): in a cold Linux boot dcbz was 2.4% of the vCPU's
        // time, most of it the general path below, which checks each of its sixteen writes
        // (CoreLoopBenchmark.zeroLoop, a loop of dcbz: interpreted 103 -> 120 MIPS; translated, where
        // the region now zeroes the block itself, 259 -> 570).
        if (c.lsu.zeroCached(ea)) {
            return Core.OK;
        }
        long ra = c.lsu.dataAddress(ea, 128, Mmu.STORE);
        if (ra < 0) {
            return c.trap;
        }
        for (int i = 0; i < 128; i += 8) {
            c.memory.writeLongBE(ra + i, 0);
        }
        c.lsu.stored(ra, 128);
        return Core.OK;
    }
}
