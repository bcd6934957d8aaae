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
    /** Low bits of a tag: the fetch mode of the current MSR and the {@link #epoch}. */
    private long mode;
    private int epoch;
    /**
     * Changes with every flush, mode change and forgotten page: the run loop keeps executing a
     * page it looked up while the stamp stays the same.
     */
    int stamp;

    FetchCache() {
        Arrays.fill(tags, -1L);
    }

    private static int index(long at) {
        return (int) (at >>> 12) & (ENTRIES - 1);
    }

    /** The decoded page holding {@code at} in the current mode, or null (a miss). */
    DecodePage lookup(long at) {
        int i = index(at);
        return tags[i] == ((at & LoadStoreUnit.PAGE_MASK) | mode) ? pages[i] : null;
    }

    void fill(long at, DecodePage page) {
        int i = index(at);
        tags[i] = (at & LoadStoreUnit.PAGE_MASK) | mode;
        pages[i] = page;
    }

    /** The decode cache let the page of {@code at} go: the next fetch there misses. */
    void forget(long at) {
        tags[index(at)] = -1L;
        pages[index(at)] = null;
        stamp++;
    }

    /** Drops every cached fetch translation: entries made before never match again. */
    void flush() {
        epoch = (epoch + 1) & (EPOCHS - 1);
        if (epoch == 0) {
            Arrays.fill(tags, -1L);
            Arrays.fill(pages, null);
        }
        mode = (mode & ((1L << EPOCH_SHIFT) - 1)) | ((long) epoch << EPOCH_SHIFT);
        stamp++;
    }

    /** The MSR changed: tags from now on carry its IR, PR, HV and LE bits. */
    void setMode(long msr) {
        long hv = (msr >>> 58) & 4, pr = (msr >>> 13) & 2;
        mode = ((msr >>> 5) & 1) | pr | hv | ((msr & 1) << 3) | ((long) epoch << EPOCH_SHIFT);
        stamp++;
    }
}
