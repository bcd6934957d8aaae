package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.FixedPoint.ra;
import static jvisor.hw.power.cpu.FixedPoint.rt;

import jvisor.hw.power.Mmu;

/**
 * Load-and-reserve and store-conditional (lbarx..lqarx, stbcx...stqcx.).
 *
 * <p>The reservation is held by the core (real address, length, and the doubleword(s) seen at the
 * reserve) and registered with the machine's {@link ReservationMonitor}, which clears it when
 * another core stores into the 128-byte granule. A store-conditional succeeds only if the
 * reservation is still held for the same real address and length, and then performs its store as a
 * compare-and-set of the containing doubleword against the value seen by the load-and-reserve, so a
 * racing plain store from another core that the monitor has not yet seen still makes it fail.
 * The quadword form compares and writes its two doublewords under the monitor's lock, which only
 * other store-conditionals honour; a racing plain store to the same quadword may be lost.
 */
final class Atomic {
    private Atomic() {
    }

    static int larx(Core c, int w, int len) {
        long ea = c.eaX(w);
        if ((ea & (len - 1)) != 0) {
            return c.alignment(ea);
        }
        long ra = c.dataAddress(ea, len, Mmu.LOAD);
        if (ra < 0) {
            return c.trap;
        }
        reserve(c, ra, len);
        long v = c.read(ra, len, c.le);
        c.gpr[rt(w)] = v;
        return Core.OK;
    }

    private static void reserve(Core c, long ra, int len) {
        c.reservations.reserve(c.slot, ra);
        c.resValid = true;
        c.resAddr = ra;
        c.resLen = len;
        long dw = ra & ~7L;
        c.resDw0 = c.memory.readLongBE(dw);
        c.resDw1 = len == 16 ? c.memory.readLongBE(dw + 8) : 0;
    }

    static int lqarx(Core c, int w) {
        long ea = c.eaX(w);
        if ((ea & 15) != 0) {
            return c.alignment(ea);
        }
        long ra = c.dataAddress(ea, 16, Mmu.LOAD);
        if (ra < 0) {
            return c.trap;
        }
        reserve(c, ra, 16);
        long first = c.resDw0, second = c.resDw1;
        if (c.le) {
            first = Long.reverseBytes(first);
            second = Long.reverseBytes(second);
        }
        c.gpr[rt(w)] = c.le ? second : first;
        c.gpr[rt(w) + 1] = c.le ? first : second;
        return Core.OK;
    }

    /** Replaces {@code len} bytes at byte offset {@code off} of a big-endian image of a doubleword. */
    static long insert(long dwBE, int off, int len, long value, boolean littleEndian) {
        long r = dwBE;
        for (int i = 0; i < len; i++) {
            long b = (littleEndian ? value >>> (8 * i) : value >>> (8 * (len - 1 - i))) & 0xFF;
            int shift = 56 - 8 * (off + i);
            r = (r & ~(0xFFL << shift)) | (b << shift);
        }
        return r;
    }

    static int stcx(Core c, int w, int len) {
        long ea = c.eaX(w);
        if ((ea & (len - 1)) != 0) {
            return c.alignment(ea);
        }
        long ra = c.dataAddress(ea, len, Mmu.STORE);
        if (ra < 0) {
            return c.trap;
        }
        boolean ok = false;
        if (c.resValid && c.resAddr == ra && c.resLen == len && c.reservations.holds(c.slot, ra)) {
            long dw = ra & ~7L;
            long next = insert(c.resDw0, (int) (ra & 7), len, c.gpr[rt(w)], c.le);
            ok = c.memory.compareAndSetLongBE(dw, c.resDw0, next);
        }
        return finish(c, ok, ra, len);
    }

    static int stqcx(Core c, int w) {
        long ea = c.eaX(w);
        if ((ea & 15) != 0) {
            return c.alignment(ea);
        }
        long ra = c.dataAddress(ea, 16, Mmu.STORE);
        if (ra < 0) {
            return c.trap;
        }
        boolean ok = false;
        if (c.resValid && c.resAddr == ra && c.resLen == 16) {
            long hi = c.gpr[rt(w)], lo = c.gpr[rt(w) + 1];
            long first = c.le ? Long.reverseBytes(lo) : hi, second = c.le ? Long.reverseBytes(hi) : lo;
            synchronized (c.reservations) {
                if (c.reservations.holds(c.slot, ra) && c.memory.readLongBE(ra + 8) == c.resDw1
                        && c.memory.compareAndSetLongBE(ra, c.resDw0, first)) {
                    c.memory.writeLongBE(ra + 8, second);
                    ok = true;
                }
            }
        }
        return finish(c, ok, ra, 16);
    }

    private static int finish(Core c, boolean ok, long ra, int len) {
        c.dropReservation();
        if (ok) {
            c.stored(ra, len);
        }
        c.setCrField(0, (ok ? 2 : 0) | c.so);
        return Core.OK;
    }
}
