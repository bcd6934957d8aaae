package jvisor.hw.power.cpu;

import java.util.Arrays;

/**
 * One core's instruction-fetch cache: a direct-mapped cache of (effective page, fetch mode) to the
 * decoded page of the decode cache, so that the run loop asks the MMU and the decode cache only on
 * a miss. The mode is MSR[IR], MSR[PR], MSR[HV] and MSR[LE] (decoding depends on the byte order);
 * changing the MSR changes the mode and needs no flush, changing a translation does
 * ({@link #flush}).
 *
 * <p>1024 pages (4 MiB of code): an operating system's kernel calls across its whole text, and a
 * small cache thrashes on it (Debian's kernel booting to its init: 3.06 M misses with 16 entries,
 * 0.30 M with 1024, most of those after a tlbie; each miss is a TLB lookup and a hash lookup). As in the data translation cache, a flush bumps an epoch
 * held in the tags' low bits and clears the arrays only when the epoch wraps, so the kernel's many
 * tlbie stay cheap.
 */
final class FetchCache {
    private static final int ENTRIES = 1024;
    /** Bits 4..11 of a tag hold the epoch of the flush it was made after. */
    private static final int EPOCH_SHIFT = 4, EPOCHS = 256;

    private final long[] tags = new long[ENTRIES];
    private final DecodePage[] pages = new DecodePage[ENTRIES];
    /** The fetch mode of the current MSR (IR, PR, HV, LE): a tag's bits 0..3. */
    private long modeBits;
    /**
     * Low bits of the tags of quadrant 3 (the operating system's addresses) and of all other
     * addresses: the mode and an epoch each. Epochs are drawn from one counter, so a value once
     * replaced never comes back before the counter wraps, when the arrays are cleared.
     */
    private long kernelMode, otherMode;
    private int kernelEpoch, otherEpoch, lastEpoch;
    /**
     * Told of every flush, change of the fetch mode and forgotten page: the core's straight-line
     * run keeps executing a page it looked up until then (the core raises its attention).
     */
    private final Runnable changed;

    FetchCache(Runnable changed) {
        this.changed = changed;
        Arrays.fill(tags, -1L);
    }

    private static int index(long at) {
        return (int) (at >>> 12) & (ENTRIES - 1);
    }

    /**
     * The tag of {@code at} in the current mode: quadrant 3's low bits or the others', chosen
     * without a branch (HotSpot compiled one as never taken while only the kernel ran, and the
     * run loop was thrown out at the first fetch from user space).
     */
    private long tag(long at) {
        long kernel = -(((at >>> 62) + 1) >>> 2); // all ones in quadrant 3, else zero
        return (at & LoadStoreUnit.PAGE_MASK) | (otherMode ^ ((kernelMode ^ otherMode) & kernel));
    }

    /** The decoded page holding {@code at} in the current mode, or null (a miss). */
    DecodePage lookup(long at) {
        int i = index(at);
        return tags[i] == tag(at) ? pages[i] : null;
    }

    void fill(long at, DecodePage page) {
        int i = index(at);
        tags[i] = tag(at);
        pages[i] = page;
    }

    /** The decode cache let the page of {@code at} go: the next fetch there misses. */
    void forget(long at) {
        tags[index(at)] = -1L;
        pages[index(at)] = null;
        changed.run();
    }

    /** Drops the entries of the page of 2^{@code pageShift} bytes at {@code ea} (all if it is larger than the cache). */
    void invalidatePage(long ea, int pageShift) {
        int granules = LoadStoreUnit.granules(pageShift, ENTRIES);
        if (granules < 0) {
            flush();
            return;
        }
        for (int k = 0; k < granules; k++) {
            int i = index(ea + ((long) k << 12));
            tags[i] = -1L;
            pages[i] = null;
        }
        changed.run();
    }

    /** Drops every cached fetch translation: entries made before never match again. */
    void flush() {
        kernelEpoch = otherEpoch = nextEpoch();
        modes();
    }

    /**
     * PIDR changed: drops the translations of quadrants 0-2, which depend on the process; those
     * of quadrant 3 (PID 0, the kernel's own code) stay, as they do in the PID-tagged TLB.
     */
    void processChanged() {
        otherEpoch = nextEpoch();
        modes();
    }

    private int nextEpoch() {
        lastEpoch = (lastEpoch + 1) & (EPOCHS - 1);
        if (lastEpoch == 0) {
            Arrays.fill(tags, -1L);
            Arrays.fill(pages, null);
            kernelEpoch = otherEpoch = 0;
        }
        return lastEpoch;
    }

    /**
     * The MSR was written: tags from now on carry its IR, PR, HV and LE bits. A write that leaves
     * them as they were (the kernel turning EE on and off) changes nothing here.
     */
    void setMode(long msr) {
        long hv = (msr >>> 58) & 4, pr = (msr >>> 13) & 2;
        long bits = ((msr >>> 5) & 1) | pr | hv | ((msr & 1) << 3);
        if (bits != modeBits) {
            modeBits = bits;
            modes();
        }
    }

    private void modes() {
        kernelMode = modeBits | ((long) kernelEpoch << EPOCH_SHIFT);
        otherMode = modeBits | ((long) otherEpoch << EPOCH_SHIFT);
        changed.run();
    }
}
