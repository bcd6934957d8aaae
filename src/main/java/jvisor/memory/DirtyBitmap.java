package jvisor.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One bit per 4 KiB guest page of a memory slot, set when the page is written (KVM's
 * dirty_bitmap). Bit {@code i} is bit {@code i % 64} of word {@code i / 64}, the little-endian
 * bit order KVM_GET_DIRTY_LOG hands to user space. Setting and harvesting are atomic, so vCPU
 * threads may mark pages while the VMM collects the log.
 */
public final class DirtyBitmap {
    private static final VarHandle WORD = MethodHandles.arrayElementVarHandle(long[].class);

    private final long pages;
    private final long[] words;

    public DirtyBitmap(long pages) {
        if (pages < 0 || (pages + 63) / 64 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("bad page count " + pages);
        }
        this.pages = pages;
        this.words = new long[(int) ((pages + 63) / 64)];
    }

    public long pages() {
        return pages;
    }

    public int words() {
        return words.length;
    }

    public void mark(long page) {
        checkIndex(page);
        int w = (int) (page >>> 6);
        long bit = 1L << (page & 63);
        long old = (long) WORD.getOpaque(words, w);
        if ((old & bit) == 0) {
            WORD.getAndBitwiseOr(words, w, bit);
        }
    }

    /** Marks {@code count} pages from {@code first} on (all small pages of a large mapping). */
    public void markRange(long first, long count) {
        if (count <= 0) return;
        checkIndex(first);
        checkIndex(first + count - 1);
        long p = first;
        long end = first + count;
        while (p < end && (p & 63) != 0) mark(p++);
        while (end - p >= 64) {
            WORD.setVolatile(words, (int) (p >>> 6), -1L);
            p += 64;
        }
        while (p < end) mark(p++);
    }

    public boolean isDirty(long page) {
        checkIndex(page);
        return (((long) WORD.getVolatile(words, (int) (page >>> 6))) & (1L << (page & 63))) != 0;
    }

    /** Atomically takes word {@code i} and leaves zero behind. */
    public long getAndClearWord(int i) {
        return (long) WORD.getAndSet(words, i, 0L);
    }

    public long word(int i) {
        return (long) WORD.getVolatile(words, i);
    }

    /** Number of pages marked. */
    public long count() {
        long n = 0;
        for (int i = 0; i < words.length; i++) n += Long.bitCount(word(i));
        return n;
    }

    private void checkIndex(long page) {
        if (page < 0 || page >= pages) {
            throw new IndexOutOfBoundsException("page " + page + " outside a bitmap of " + pages);
        }
    }
}
