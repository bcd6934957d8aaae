package jvisor.kvm;

import jvisor.memory.PhysicalMemory;

/**
 * A vCPU's cache of zeroed table pages (KVM's kvm_mmu_memory_cache), for every architecture whose
 * tables are host frames (ARM's stage 2, POWER's partition-scoped tree). A fault tops it up before
 * it takes the MMU lock, where allocating could sleep; the insert under the lock only takes pages
 * from it and fails cleanly if it ran dry. Pages come from host frames with a reference count of
 * one, which is the count of an empty table; whatever is left is freed with the vCPU. Used by one
 * thread at a time (its vCPU's), so it has no lock of its own.
 */
public final class MemoryCache {
    private final PhysicalMemory pm;
    private final long[] pages;
    private int count;
    private long allocated;

    public MemoryCache(PhysicalMemory pm, int capacity) {
        this.pm = pm;
        this.pages = new long[capacity];
    }

    /**
     * Fills the cache up to its capacity if it holds fewer than {@code min} pages. Called
     * without the MMU lock.
     *
     * @return false when the host is out of memory before {@code min} pages could be had
     */
    public boolean topUp(int min) {
        if (count >= min) return true;
        while (count < pages.length) {
            long pfn = pm.allocate(0);
            if (pfn == PhysicalMemory.NO_FRAME) return count >= min;
            pages[count++] = pfn << 12;
            allocated++;
        }
        return true;
    }

    /** A zeroed page's real address, or -1 when empty. Never allocates. */
    public long take() {
        return count == 0 ? -1 : pages[--count];
    }

    public int size() {
        return count;
    }

    /** Frames this cache has taken from the host so far. */
    public long allocated() {
        return allocated;
    }

    /** Gives every cached page back to the host (vCPU teardown). */
    public void free() {
        while (count > 0) pm.put(pages[--count] >>> 12);
    }
}
