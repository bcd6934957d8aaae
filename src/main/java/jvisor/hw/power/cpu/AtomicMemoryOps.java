package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.FixedPoint.ra;
import static jvisor.hw.power.cpu.FixedPoint.rb;
import static jvisor.hw.power.cpu.FixedPoint.rt;

import jvisor.hw.power.Mmu;

/**
 * The atomic memory operations of Power ISA v3.0B (Book II, Atomic Memory Operations): lwat/ldat
 * (fetch-and-op, swap, compare-and-swap-not-equal, bounded increments and decrement) and
 * stwat/stdat (store-op, store twin). EA = (RA|0), naturally aligned; the function code is the RB
 * field; the operands are RT+1 and RT+2 (modulo 32). A single location is updated by a
 * compare-and-set of its doubleword, so plain stores of other cores are never lost; the forms that
 * read a second location (the next or previous element) take the reservation monitor's lock, as
 * stqcx. does. Every store clears the reservations other cores hold on the granule.
 */
final class AtomicMemoryOps {
    private AtomicMemoryOps() {
    }

    /** lwat (len 4) and ldat (len 8). */
    static int load(Core c, int w, int len) {
        int fc = rb(w);
        boolean defined = fc <= 8 || fc == 16 || fc == 24 || fc == 25 || fc == 28;
        if (!defined) {
            return c.interrupts.illegal();
        }
        long ea = ea(c, w);
        if ((ea & (len - 1)) != 0) {
            return c.interrupts.alignment(ea);
        }
        long ra = c.lsu.dataAddress(ea, len, Mmu.STORE);
        if (ra < 0) {
            return c.trap;
        }
        long a = c.gpr[(rt(w) + 1) & 31], b = c.gpr[(rt(w) + 2) & 31];
        long result;
        if (fc >= 24) {
            long otherRa = c.lsu.dataAddress(fc == 28 ? ea - len : ea + len, len, Mmu.LOAD);
            if (otherRa < 0) {
                return c.trap;
            }
            synchronized (c.reservations) {
                long old = get(c, ra, len), bound = get(c, otherRa, len);
                boolean go = fc == 25 ? old == bound : old != bound;
                if (go) {
                    put(c, ra, len, fc == 28 ? old - 1 : old + 1);
                }
                result = go ? old : 1L << (8 * len - 1);
            }
            c.lsu.stored(ra, len);
            c.gpr[rt(w)] = result;
            return Core.OK;
        }
        long old;
        while (true) {
            long dw = ra & ~7L, image = c.memory.readLongBE(dw);
            old = extract(image, (int) (ra & 7), len, c.le);
            long next;
            switch (fc) {
                case 8 -> next = a;
                case 16 -> next = old != truncate(a, len) ? b : old;
                default -> next = apply(fc, old, a, len);
            }
            if (c.memory.compareAndSetLongBE(dw, image, Atomic.insert(image, (int) (ra & 7), len, next, c.le))) {
                break;
            }
        }
        c.lsu.stored(ra, len);
        c.gpr[rt(w)] = old;
        return Core.OK;
    }

    /** stwat (len 4) and stdat (len 8). */
    static int store(Core c, int w, int len) {
        int fc = rb(w);
        if (fc > 7 && fc != 24) {
            return c.interrupts.illegal();
        }
        long ea = ea(c, w);
        if ((ea & (len - 1)) != 0) {
            return c.interrupts.alignment(ea);
        }
        long ra = c.lsu.dataAddress(ea, len, Mmu.STORE);
        if (ra < 0) {
            return c.trap;
        }
        long s = c.gpr[rt(w)];
        if (fc == 24) {
            long twinRa = c.lsu.dataAddress(ea + len, len, Mmu.STORE);
            if (twinRa < 0) {
                return c.trap;
            }
            synchronized (c.reservations) {
                if (get(c, ra, len) == get(c, twinRa, len)) {
                    put(c, ra, len, s);
                    put(c, twinRa, len, s);
                }
            }
            c.lsu.stored(ra, len);
            c.lsu.stored(twinRa, len);
            return Core.OK;
        }
        while (true) {
            long dw = ra & ~7L, image = c.memory.readLongBE(dw);
            long old = extract(image, (int) (ra & 7), len, c.le);
            long next = apply(fc, old, s, len);
            if (c.memory.compareAndSetLongBE(dw, image, Atomic.insert(image, (int) (ra & 7), len, next, c.le))) {
                break;
            }
        }
        c.lsu.stored(ra, len);
        return Core.OK;
    }

    private static long ea(Core c, int w) {
        int r = ra(w);
        return (r == 0 ? 0 : c.gpr[r]) & c.addrMask;
    }

    /** Function codes 0-7: add, xor, or, and, max/min unsigned/signed of the memory value and {@code v}. */
    private static long apply(int fc, long old, long v, int len) {
        long x = truncate(old, len), y = truncate(v, len);
        long sx = len == 4 ? (int) x : x, sy = len == 4 ? (int) y : y;
        return switch (fc) {
            case 0 -> x + y;
            case 1 -> x ^ y;
            case 2 -> x | y;
            case 3 -> x & y;
            case 4 -> Long.compareUnsigned(x, y) >= 0 ? x : y;
            case 5 -> sx >= sy ? x : y;
            case 6 -> Long.compareUnsigned(x, y) <= 0 ? x : y;
            default -> sx <= sy ? x : y;
        };
    }

    private static long truncate(long v, int len) {
        return len == 8 ? v : v & 0xFFFF_FFFFL;
    }

    /** The {@code len}-byte value at byte {@code off} of a big-endian doubleword image, zero-extended. */
    static long extract(long imageBE, int off, int len, boolean littleEndian) {
        long v = 0;
        for (int i = 0; i < len; i++) {
            long b = (imageBE >>> (56 - 8 * (off + i))) & 0xFF;
            v |= littleEndian ? b << (8 * i) : b << (8 * (len - 1 - i));
        }
        return v;
    }

    private static long get(Core c, long ra, int len) {
        return extract(c.memory.readLongBE(ra & ~7L), (int) (ra & 7), len, c.le);
    }

    private static void put(Core c, long ra, int len, long v) {
        long dw = ra & ~7L;
        c.memory.writeLongBE(dw, Atomic.insert(c.memory.readLongBE(dw), (int) (ra & 7), len, v, c.le));
    }
}
