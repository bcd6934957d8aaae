package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.VsxInstructions.put;
import static jvisor.hw.power.cpu.VsxInstructions.vrtDs;
import static jvisor.hw.power.cpu.VsxInstructions.vsx;
import static jvisor.hw.power.cpu.VsxInstructions.xt;
import static jvisor.hw.power.cpu.VsxInstructions.xtDq;

import java.util.List;
import jvisor.hw.power.Mmu;
import jvisor.hw.power.cpu.fpu.FloatingPointConversions;

/**
 * VSX loads and stores (ISA 3.0B Book I 7.6.1). None needs alignment: POWER9 takes no alignment
 * interrupt for them in ordinary (cacheable) storage, and jvisor has no other kind for data.
 *
 * <p>The vector forms differ only in the element size through which storage is seen: storage
 * bytes ea..ea+15 are read in storage order, and in little-endian mode the bytes of each element
 * are reversed (doublewords for lxvd2x, words for lxvw4x, halfwords for lxvh8x, bytes for lxvb16x,
 * that is no change, and the whole quadword for lxvx/lxv). The element at ea is always element 0
 * except for lxvx/lxv in little-endian mode, which see the 16 bytes as one little-endian integer.
 * All storage is translated before any register or byte is written, so a fault changes nothing.
 *
 * <p>The scalar loads write doubleword 0 of the target. Doubleword 1 is undefined in the ISA for
 * the X-form ones; POWER9 and QEMU leave it as it was, and so does this. lxsd and lxssp (DS form)
 * set doubleword 1 to zero as QEMU 10 does.
 */
final class VsxLoadStore {
    private VsxLoadStore() {
    }

    /** Scalar kinds. */
    private static final int DOUBLE = 0, SINGLE = 1, WORD_ALGEBRAIC = 2, WORD = 3, HALF = 4, BYTE = 5;

    static final List<InstructionSpec> SPECS = List.of(
            vsx("lxvd2x", (c, w) -> loadVector(c, w, LoadStore.eaX(c, w), xt(w), 8)),
            vsx("lxvw4x", (c, w) -> loadVector(c, w, LoadStore.eaX(c, w), xt(w), 4)),
            vsx("lxvh8x", (c, w) -> loadVector(c, w, LoadStore.eaX(c, w), xt(w), 2)),
            vsx("lxvb16x", (c, w) -> loadVector(c, w, LoadStore.eaX(c, w), xt(w), 1)),
            vsx("lxvx", (c, w) -> loadVector(c, w, LoadStore.eaX(c, w), xt(w), 16)),
            vsx("lxv", (c, w) -> loadVector(c, w, eaDq(c, w), xtDq(w), 16)),
            vsx("stxvd2x", (c, w) -> storeVector(c, LoadStore.eaX(c, w), xt(w), 8)),
            vsx("stxvw4x", (c, w) -> storeVector(c, LoadStore.eaX(c, w), xt(w), 4)),
            vsx("stxvh8x", (c, w) -> storeVector(c, LoadStore.eaX(c, w), xt(w), 2)),
            vsx("stxvb16x", (c, w) -> storeVector(c, LoadStore.eaX(c, w), xt(w), 1)),
            vsx("stxvx", (c, w) -> storeVector(c, LoadStore.eaX(c, w), xt(w), 16)),
            vsx("stxv", (c, w) -> storeVector(c, eaDq(c, w), xtDq(w), 16)),
            vsx("lxvdsx", VsxLoadStore::lxvdsx),
            vsx("lxvwsx", VsxLoadStore::lxvwsx),
            vsx("lxvl", (c, w) -> loadLength(c, w, c.le)),
            vsx("lxvll", (c, w) -> loadLength(c, w, false)),
            vsx("stxvl", (c, w) -> storeLength(c, w, c.le)),
            vsx("stxvll", (c, w) -> storeLength(c, w, false)),
            // Scalars.
            vsx("lxsdx", (c, w) -> loadScalar(c, LoadStore.eaX(c, w), xt(w), DOUBLE, false)),
            vsx("lxsd", (c, w) -> loadScalar(c, LoadStore.eaDS(c, w), vrtDs(w), DOUBLE, true)),
            vsx("lxsspx", (c, w) -> loadScalar(c, LoadStore.eaX(c, w), xt(w), SINGLE, false)),
            vsx("lxssp", (c, w) -> loadScalar(c, LoadStore.eaDS(c, w), vrtDs(w), SINGLE, true)),
            vsx("lxsiwax", (c, w) -> loadScalar(c, LoadStore.eaX(c, w), xt(w), WORD_ALGEBRAIC, false)),
            vsx("lxsiwzx", (c, w) -> loadScalar(c, LoadStore.eaX(c, w), xt(w), WORD, false)),
            vsx("lxsihzx", (c, w) -> loadScalar(c, LoadStore.eaX(c, w), xt(w), HALF, false)),
            vsx("lxsibzx", (c, w) -> loadScalar(c, LoadStore.eaX(c, w), xt(w), BYTE, false)),
            vsx("stxsdx", (c, w) -> storeScalar(c, LoadStore.eaX(c, w), xt(w), DOUBLE)),
            vsx("stxsd", (c, w) -> storeScalar(c, LoadStore.eaDS(c, w), vrtDs(w), DOUBLE)),
            vsx("stxsspx", (c, w) -> storeScalar(c, LoadStore.eaX(c, w), xt(w), SINGLE)),
            vsx("stxssp", (c, w) -> storeScalar(c, LoadStore.eaDS(c, w), vrtDs(w), SINGLE)),
            vsx("stxsiwx", (c, w) -> storeScalar(c, LoadStore.eaX(c, w), xt(w), WORD)),
            vsx("stxsihx", (c, w) -> storeScalar(c, LoadStore.eaX(c, w), xt(w), HALF)),
            vsx("stxsibx", (c, w) -> storeScalar(c, LoadStore.eaX(c, w), xt(w), BYTE)));

    /** DQ form: EA = (RA|0) + DQ || 0b0000. */
    private static long eaDq(Core c, int w) {
        int ra = (w >>> 16) & 31;
        return ((ra == 0 ? 0 : c.gpr[ra]) + (short) (w & 0xFFF0)) & c.addrMask;
    }

    /** Eight bytes at {@code ea} in storage order (the first the most significant), whatever MSR[LE]. */
    private static long loadStorageOrder(Core c, long ea) {
        long v = c.lsu.load(ea, 8);
        return c.le ? Long.reverseBytes(v) : v;
    }

    private static void storeStorageOrder(Core c, long ea, long v) {
        c.lsu.store(ea, 8, c.le ? Long.reverseBytes(v) : v);
    }

    /** Reverses the bytes inside each {@code size}-byte element of {@code v} (size 1, 2, 4 or 8). */
    static long reverseWithin(long v, int size) {
        return switch (size) {
            case 1 -> v;
            case 2 -> ((v & 0x00FF00FF00FF00FFL) << 8) | ((v >>> 8) & 0x00FF00FF00FF00FFL);
            case 4 -> Long.rotateLeft(Long.reverseBytes(v), 32);
            default -> Long.reverseBytes(v);
        };
    }

    private static int loadVector(Core c, int w, long ea, int t, int size) {
        long first = loadStorageOrder(c, ea);
        if (c.trap != 0) return c.trap;
        long second = loadStorageOrder(c, (ea + 8) & c.addrMask);
        if (c.trap != 0) return c.trap;
        if (!c.le) {
            put(c, t, first, second);
        } else if (size == 16) {
            put(c, t, Long.reverseBytes(second), Long.reverseBytes(first));
        } else {
            put(c, t, reverseWithin(first, size), reverseWithin(second, size));
        }
        return Core.OK;
    }

    /**
     * Whether every page of the {@code len} bytes at {@code ea} may be stored to; when not, the
     * interrupt has been raised and {@code c.trap} holds it.
     */
    private static boolean writable(Core c, long ea, int len) {
        if (c.lsu.dataAddress(ea, 1, Mmu.STORE) < 0) return false;
        long last = (ea + len - 1) & c.addrMask;
        return ((ea ^ last) & ~0xFFFL) == 0 || c.lsu.dataAddress(last & ~0xFFFL, 1, Mmu.STORE) >= 0;
    }

    private static int storeVector(Core c, long ea, int s, int size) {
        long[] v = c.vs.vsr;
        long hi = v[s], lo = v[s + 1], first, second;
        if (!c.le) {
            first = hi;
            second = lo;
        } else if (size == 16) {
            first = Long.reverseBytes(lo);
            second = Long.reverseBytes(hi);
        } else {
            first = reverseWithin(hi, size);
            second = reverseWithin(lo, size);
        }
        if (!writable(c, ea, 16)) return c.trap;
        storeStorageOrder(c, ea, first);
        if (c.trap != 0) return c.trap;
        storeStorageOrder(c, (ea + 8) & c.addrMask, second);
        return c.trap;
    }

    /** lxvdsx: the doubleword at EA into both doublewords. */
    static int lxvdsx(Core c, int w) {
        long d = c.lsu.load(LoadStore.eaX(c, w), 8);
        if (c.trap != 0) return c.trap;
        put(c, xt(w), d, d);
        return Core.OK;
    }

    /** lxvwsx: the word at EA into all four words. */
    static int lxvwsx(Core c, int w) {
        long x = c.lsu.load(LoadStore.eaX(c, w), 4);
        if (c.trap != 0) return c.trap;
        long d = x << 32 | x;
        put(c, xt(w), d, d);
        return Core.OK;
    }

    /** The byte count of the length forms: GPR[RB] bits 0:7, at most 16. */
    private static int length(Core c, int w) {
        return (int) Math.min(c.gpr[(w >>> 11) & 31] >>> 56, 16);
    }

    /**
     * lxvl / lxvll: the first N bytes at EA = (RA|0) into the leftmost N bytes of VSR[XT] in storage
     * order, the others zero; lxvl in little-endian mode puts them in the rightmost N bytes
     * reversed (the N bytes read as a little-endian integer). {@code reversed} picks that placement.
     */
    private static int loadLength(Core c, int w, boolean reversed) {
        int n = length(c, w);
        int ra = (w >>> 16) & 31;
        long ea = ra == 0 ? 0 : c.gpr[ra] & c.addrMask;
        long hi = 0, lo = 0;
        for (int i = 0; i < n; i++) {
            long b = c.lsu.load((ea + i) & c.addrMask, 1);
            if (c.trap != 0) return c.trap;
            int at = reversed ? 15 - i : i;
            if (at < 8) hi |= b << (56 - 8 * at);
            else lo |= b << (56 - 8 * (at - 8));
        }
        put(c, xt(w), hi, lo);
        return Core.OK;
    }

    /** stxvl / stxvll: the mirror of {@link #loadLength}; nothing is stored when N is 0. */
    private static int storeLength(Core c, int w, boolean reversed) {
        int n = length(c, w);
        int ra = (w >>> 16) & 31;
        long ea = ra == 0 ? 0 : c.gpr[ra] & c.addrMask;
        if (n == 0) return Core.OK;
        long[] v = c.vs.vsr;
        int s = xt(w);
        long hi = v[s], lo = v[s + 1];
        if (!writable(c, ea, n)) return c.trap;
        for (int i = 0; i < n; i++) {
            int at = reversed ? 15 - i : i;
            long b = (at < 8 ? hi >>> (56 - 8 * at) : lo >>> (56 - 8 * (at - 8))) & 0xFF;
            c.lsu.store((ea + i) & c.addrMask, 1, b);
            if (c.trap != 0) return c.trap;
        }
        return Core.OK;
    }

    // ---- scalars ----

    private static int size(int kind) {
        return switch (kind) {
            case DOUBLE -> 8;
            case HALF -> 2;
            case BYTE -> 1;
            default -> 4;
        };
    }

    private static int loadScalar(Core c, long ea, int t, int kind, boolean clearLow) {
        long x = c.lsu.load(ea, size(kind));
        if (c.trap != 0) return c.trap;
        long[] v = c.vs.vsr;
        v[t] = switch (kind) {
            case SINGLE -> FloatingPointConversions.singleToDouble((int) x);
            case WORD_ALGEBRAIC -> (int) x;
            default -> x;
        };
        if (clearLow) v[t + 1] = 0;
        return Core.OK;
    }

    /**
     * Scalar stores take doubleword 0: the whole of it, its single-precision form (no rounding,
     * as stfs), or its low word, halfword or byte.
     */
    private static int storeScalar(Core c, long ea, int s, int kind) {
        long x = c.vs.vsr[s];
        if (kind == SINGLE) x = FloatingPointConversions.doubleToSingle(x) & 0xFFFF_FFFFL;
        c.lsu.store(ea, size(kind), x);
        return c.trap;
    }
}
