package jvisor.hw.power.cpu;

import jvisor.hw.power.Lpcr;

/**
 * One thread's decrementer (Book III 6.5): it counts down at the timebase frequency and asks for
 * an interrupt while negative. It is kept as the value written and the timebase at that moment,
 * so it costs nothing while it runs. Its width is 32 bits, or with LPCR[LD] (large decrementer)
 * the implementation's width ({@code ibm,dec-bits}, 56 by default); values are sign-extended
 * from the width on write and on read.
 */
final class Decrementer {
    private final TimeSource time;
    private long value, base;
    private int largeBits = 56;

    Decrementer(TimeSource time) {
        this.time = time;
        this.base = time.timebase();
        this.value = 0x7FFF_FFFFL;
    }

    int width(long lpcr) {
        return (lpcr & Lpcr.LD) != 0 ? largeBits : 32;
    }

    /** The value now, sign-extended from the width: negative means the interrupt is pending. */
    long read(long lpcr) {
        long v = value - (time.timebase() - base);
        int shift = 64 - width(lpcr);
        return (v << shift) >> shift;
    }

    void write(long v, long lpcr) {
        int shift = 64 - width(lpcr);
        value = (v << shift) >> shift;
        base = time.timebase();
    }

    /** The width with LPCR[LD] = 1. */
    void setLargeBits(int bits) {
        largeBits = bits;
    }
}
