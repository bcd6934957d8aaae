package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.FixedPoint.ra;
import static jvisor.hw.power.cpu.FixedPoint.rt;

import jvisor.hw.power.Mmu;

/**
 * Load-and-reserve and store-conditional (lbarx..lqarx, stbcx...stqcx.).
 *
 * <p>The atomic update the architecture promises (Power ISA v3.0B Book II 1.7.4, 4.6.2) is made
 * of a compare-and-set on the doubleword that holds the reserved bytes, as QEMU makes it of a
 * compare-and-exchange on the reserved value: larx reads that doubleword once, atomically and
 * with acquire ordering, returns the reserved bytes from that very image and keeps the image;
 * stcx. succeeds only if memory still holds exactly that image, and writes its bytes into it in
 * the same atomic step. Any store another core made to the doubleword in between, plain or
 * conditional, changes the image and makes stcx. fail, so no update is lost; storing back the
 * very bytes that were there (ABA) is not seen, as in QEMU. The compare-and-set is a volatile
 * access of the Java memory model, so the stored value is visible to every core at once and
 * ordered after everything the core did before (stronger than stcx. needs: the lock idioms add
 * their own barriers).
 *
 * <p>The value must come from the very read that made the image: read apart, a store can slip
 * between the two reads (the owner releasing a lock), larx returns the lock free while the image
 * says taken, and when the owner takes it again the compare-and-set finds its image and
 * succeeds, so two cores hold the lock (the litmus guest lost increments that way).
 *
 * <p>The rest of the 128-byte reservation granule is watched by the machine's
 * {@link ReservationMonitor}: the reservation is registered before the doubleword is read, and a
 * store by another core (or a write by the hypervisor or a device) anywhere in the granule drops
 * it after the store, so stcx. then fails as Book II 1.7.4.1 says. The monitor is looked at after
 * a plain store without a fence, so a store to another doubleword of the granule that sits in the
 * host's store buffer while a reservation is being made can be missed; QEMU does not watch the
 * granule at all. The quadword forms compare and write their two doublewords under the
 * monitor's lock, which only other store-conditionals honour: a plain store to the second
 * doubleword racing with stqcx. may be lost, and lqarx reads the halves one after the other (a
 * torn pair makes the following stqcx. fail).
 */
final class Atomic {
    private Atomic() {
    }

    static int larx(Core c, int w, int len) {
        long ea = LoadStore.eaX(c, w);
        if ((ea & (len - 1)) != 0) {
            return c.interrupts.alignment(ea);
        }
        long ra = c.lsu.dataAddress(ea, len, Mmu.LOAD);
        if (ra < 0) {
            return c.trap;
        }
        reserve(c, ra, len);
        c.gpr[rt(w)] = extract(c.resDw0, (int) (ra & 7), len, c.le);
        return Core.OK;
    }

    /**
     * Registers the reservation, then reads the doubleword(s) it covers: a store made after the
     * registration either is in the image or drops the reservation.
     */
    private static void reserve(Core c, long ra, int len) {
        c.reservations.reserve(c.slot, ra);
        c.resValid = true;
        c.resAddr = ra;
        c.resLen = len;
        long dw = ra & ~7L;
        c.resDw0 = c.memory.readLongBEAcquire(dw);
        c.resDw1 = len == 16 ? c.memory.readLongBEAcquire(dw + 8) : 0;
    }

    /** The {@code len} bytes at byte offset {@code off} of a big-endian image of a doubleword, zero-extended. */
    static long extract(long dwBE, int off, int len, boolean littleEndian) {
        int bits = 8 * len;
        long v = dwBE >>> (64 - 8 * (off + len));
        if (bits < 64) {
            v &= (1L << bits) - 1;
        }
        return littleEndian ? Long.reverseBytes(v) >>> (64 - bits) : v;
    }

    static int lqarx(Core c, int w) {
        long ea = LoadStore.eaX(c, w);
        if ((ea & 15) != 0) {
            return c.interrupts.alignment(ea);
        }
        long ra = c.lsu.dataAddress(ea, 16, Mmu.LOAD);
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
        long ea = LoadStore.eaX(c, w);
        if ((ea & (len - 1)) != 0) {
            return c.interrupts.alignment(ea);
        }
        long ra = c.lsu.dataAddress(ea, len, Mmu.STORE);
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
        long ea = LoadStore.eaX(c, w);
        if ((ea & 15) != 0) {
            return c.interrupts.alignment(ea);
        }
        long ra = c.lsu.dataAddress(ea, 16, Mmu.STORE);
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
            c.lsu.stored(ra, len);
        }
        c.setCrField(0, (ok ? 2 : 0) | c.so);
        return Core.OK;
    }
}
