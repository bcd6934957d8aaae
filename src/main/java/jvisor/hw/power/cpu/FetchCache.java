package jvisor.hw.power.cpu;

import java.util.Arrays;

/**
 * One core's instruction-fetch cache: a small direct-mapped cache of (effective page, fetch mode)
 * to the decoded page of the decode cache, so that the run loop asks the MMU only on a miss. The
 * mode is MSR[IR], MSR[PR], MSR[HV] and MSR[LE] (decoding depends on the byte order); changing
 * the MSR changes the mode and needs no flush, changing a translation does ({@link #flush}).
 */
final class FetchCache {
    private static final int ENTRIES = 16;

    private final long[] tags = new long[ENTRIES];
    private final DecodePage[] pages = new DecodePage[ENTRIES];
    private long mode;

    FetchCache() {
        flush();
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
    }

    void flush() {
        Arrays.fill(tags, -1L);
        Arrays.fill(pages, null);
    }

    /** The MSR changed: tags from now on carry its IR, PR, HV and LE bits. */
    void setMode(long msr) {
        long hv = (msr >>> 58) & 4, pr = (msr >>> 13) & 2;
        mode = ((msr >>> 5) & 1) | pr | hv | ((msr & 1) << 3);
    }
}
