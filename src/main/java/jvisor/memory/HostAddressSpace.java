package jvisor.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The address space of the host process that runs the VMM (Linux's mm_struct): anonymous
 * mappings, optionally backed by 2 MiB or 1 GiB huge frames, whose pages are faulted in on first
 * touch; munmap, reclaim (swap-out) and migration of pages; aging; and the MMU notifiers that
 * tell secondary MMUs (the hypervisor's tables) about all of it.
 *
 * <p>The host page table is kept per page size as 512-entry leaf arrays keyed by the address
 * bits above them. Entries are changed under the page-table lock and read locklessly (acquire),
 * as Linux's lockless walks (find_linux_pte) do; notifier callbacks are always made without the
 * page-table lock, so a secondary MMU may take its own lock inside them.
 */
public final class HostAddressSpace {
    public static final int MAP_HUGE_2M = 1, MAP_HUGE_1G = 2, MAP_READONLY = 4;

    private static final VarHandle ENTRY = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long FIRST_HVA = 0x10_0000_0000L;

    private final PhysicalMemory phys;
    private final TreeMap<Long, Vma> vmas = new TreeMap<>();
    private final ReentrantLock ptl = new ReentrantLock();
    /** Page tables per page shift: key = hva >>> (shift + 9), 512 entries each. */
    private final Map<Integer, ConcurrentHashMap<Long, long[]>> tables = new ConcurrentHashMap<>();
    private final List<MmuNotifier> notifiers = new CopyOnWriteArrayList<>();
    private final Map<Long, byte[]> swap = new HashMap<>();
    private long nextSwapSlot = 1;
    private long nextHva = FIRST_HVA;
    private volatile Vma lastVma;
    private long residentPages;
    private boolean destroyed;

    public HostAddressSpace(PhysicalMemory phys) {
        this.phys = phys;
    }

    public PhysicalMemory physicalMemory() {
        return phys;
    }

    public void register(MmuNotifier notifier) {
        notifiers.add(notifier);
    }

    public void unregister(MmuNotifier notifier) {
        notifiers.remove(notifier);
    }

    // ---------------------------------------------------------------- mappings

    /** Maps anonymous memory at an address of the host's choosing, aligned to 1 GiB. */
    public long mmap(long length, int flags) {
        synchronized (vmas) {
            long hva = nextHva;
            nextHva = alignUp(hva + length, PageSizes.SHIFT_1G) + PageSizes.SIZE_1G; // a guard gap
            mmapFixed(hva, length, flags);
            return hva;
        }
    }

    /** Maps anonymous memory at {@code hva}; the range must be free and aligned to the page size. */
    public void mmapFixed(long hva, long length, int flags) {
        int shift = (flags & MAP_HUGE_1G) != 0 ? PageSizes.SHIFT_1G
                : (flags & MAP_HUGE_2M) != 0 ? PageSizes.SHIFT_2M : PageSizes.SHIFT_4K;
        insertVma(new Vma(hva, hva + length, shift, (flags & MAP_READONLY) == 0, false, 0));
    }

    /**
     * Maps device memory: the range is backed by the fixed frames from {@code firstPfn} on and
     * is never faulted in through page references (Linux's VM_PFNMAP, used for I/O mappings).
     */
    public long mmapDevice(long length, long firstPfn) {
        synchronized (vmas) {
            long hva = nextHva;
            nextHva = alignUp(hva + length, PageSizes.SHIFT_1G) + PageSizes.SIZE_1G;
            insertVma(new Vma(hva, hva + length, PageSizes.SHIFT_4K, true, true, firstPfn));
            return hva;
        }
    }

    private void insertVma(Vma vma) {
        if (vma.length() <= 0 || !PageSizes.aligned(vma.start(), vma.pageShift())
                || !PageSizes.aligned(vma.length(), vma.pageShift())) {
            throw new IllegalArgumentException(String.format(
                    "mmap [0x%x, 0x%x) is not aligned to its %s pages", vma.start(), vma.end(),
                    PageSizes.name(vma.pageShift())));
        }
        synchronized (vmas) {
            if (destroyed) throw new IllegalStateException("address space destroyed");
            Map.Entry<Long, Vma> below = vmas.floorEntry(vma.end() - 1);
            if (below != null && below.getValue().end() > vma.start()) {
                throw new IllegalArgumentException(String.format("mmap [0x%x, 0x%x) overlaps a mapping",
                        vma.start(), vma.end()));
            }
            vmas.put(vma.start(), vma);
            nextHva = Math.max(nextHva, alignUp(vma.end(), PageSizes.SHIFT_1G) + PageSizes.SIZE_1G);
        }
    }

    /** The mapping containing {@code hva}, or null. */
    public Vma findVma(long hva) {
        Vma v = lastVma;
        if (v != null && v.contains(hva)) return v;
        synchronized (vmas) {
            Map.Entry<Long, Vma> e = vmas.floorEntry(hva);
            if (e == null || !e.getValue().contains(hva)) return null;
            lastVma = e.getValue();
            return e.getValue();
        }
    }

    /** Unmaps {@code [hva, hva + length)}: secondary MMUs are told first, then the pages are freed. */
    public void munmap(long hva, long length) {
        long end = hva + length;
        List<Vma> hit = overlapping(hva, end);
        for (Vma v : hit) {
            if (!PageSizes.aligned(Math.max(hva, v.start()), v.pageShift())
                    || !PageSizes.aligned(Math.min(end, v.end()), v.pageShift())) {
                throw new IllegalArgumentException("munmap of part of a huge page");
            }
        }
        notifyStart(hva, end);
        List<Long> toPut = new ArrayList<>();
        ptl.lock();
        try {
            for (Vma v : hit) {
                long s = Math.max(hva, v.start()), e = Math.min(end, v.end());
                clearRange(v, s, e, toPut);
                synchronized (vmas) {
                    vmas.remove(v.start());
                    if (v.start() < s) vmas.put(v.start(), new Vma(v.start(), s, v.pageShift(), v.writable(), v.pfnMap(), v.pgoff()));
                    if (e < v.end()) vmas.put(e, new Vma(e, v.end(), v.pageShift(), v.writable(), v.pfnMap(),
                            v.pgoff() + ((e - v.start()) >>> PageSizes.SHIFT_4K)));
                    lastVma = null;
                }
            }
        } finally {
            ptl.unlock();
        }
        for (long pfn : toPut) phys.put(pfn);
        notifyEnd(hva, end);
    }

    private List<Vma> overlapping(long start, long end) {
        synchronized (vmas) {
            List<Vma> out = new ArrayList<>();
            Map.Entry<Long, Vma> first = vmas.floorEntry(start);
            Long from = first != null && first.getValue().end() > start ? first.getKey() : start;
            for (Vma v : vmas.subMap(from, true, end, false).values()) {
                if (v.end() > start && v.start() < end) out.add(v);
            }
            return out;
        }
    }

    /** Clears the entries of {@code [s, e)} in {@code v}; frames to put go to {@code toPut}. Under ptl. */
    private void clearRange(Vma v, long s, long e, List<Long> toPut) {
        int shift = v.pageShift();
        for (long a = s; a < e; a += 1L << shift) {
            long[] table = leaf(shift, a, false);
            if (table == null) {
                a = ((a >>> (shift + 9)) + 1 << (shift + 9)) - (1L << shift);
                continue;
            }
            int i = index(shift, a);
            long pte = (long) ENTRY.getAcquire(table, i);
            if (HostPte.present(pte)) {
                toPut.add(HostPte.pfn(pte));
                residentPages -= 1L << (shift - PageSizes.SHIFT_4K);
            } else if (HostPte.swapped(pte)) {
                swap.remove(HostPte.pfn(pte));
            }
            ENTRY.setRelease(table, i, 0L);
        }
        freeEmptyTables(shift, s, e);
    }

    /**
     * Frees the leaf tables of {@code [s, e)} that hold nothing any more, as munmap frees page
     * tables (free_pgtables): without it a VMM that maps and unmaps memory at ever new addresses
     * keeps a table per 512 pages it ever touched. Lockless readers that still hold a removed
     * table read entries that are all zero, which is what they would read anyway. Under ptl.
     */
    private void freeEmptyTables(int shift, long s, long e) {
        ConcurrentHashMap<Long, long[]> map = tables.get(shift);
        if (map == null) return;
        for (long key = s >>> (shift + 9), last = (e - 1) >>> (shift + 9); key <= last; key++) {
            long[] table = map.get(key);
            if (table == null) continue;
            boolean empty = true;
            for (int i = 0; i < table.length && empty; i++) empty = (long) ENTRY.getAcquire(table, i) == 0;
            if (empty) map.remove(key);
        }
    }

    /** Leaf page tables the address space holds now (Linux's nr_ptes). */
    public long pageTables() {
        long n = 0;
        for (ConcurrentHashMap<Long, long[]> m : tables.values()) n += m.size();
        return n;
    }

    /** Tears the address space down (process exit): notifiers are released, every page freed. */
    public void destroy() {
        for (MmuNotifier n : notifiers) n.release(this);
        List<Vma> all;
        synchronized (vmas) {
            all = new ArrayList<>(vmas.values());
        }
        for (Vma v : all) munmap(v.start(), v.length());
        synchronized (vmas) {
            destroyed = true;
        }
        notifiers.clear();
    }

    // ---------------------------------------------------------------- faults

    /**
     * Faults the page at {@code hva} in if needed and takes a reference on it (get_user_pages).
     *
     * @return the page, or null when there is no mapping, the mapping is device memory, a write
     *         hits a read-only mapping, or the host is out of memory
     */
    public HostPage getUserPage(long hva, boolean write) {
        Vma v = findVma(hva);
        if (v == null || v.pfnMap() || (write && !v.writable())) return null;
        ptl.lock();
        try {
            long pte = faultInLocked(v, hva, write);
            if (pte == 0) return null;
            long pfn = HostPte.pfn(pte) + ((hva & ((1L << v.pageShift()) - 1)) >>> PageSizes.SHIFT_4K);
            phys.get(pfn);
            return new HostPage(pfn, v.pageShift(), HostPte.writable(pte), HostPte.dirty(pte));
        } finally {
            ptl.unlock();
        }
    }

    /** Faults a page in for an access by the host process itself; returns its entry, 0 on failure. */
    private long faultInLocked(Vma v, long hva, boolean write) {
        int shift = v.pageShift();
        long[] table = leaf(shift, hva, true);
        int i = index(shift, hva);
        long pte = (long) ENTRY.getAcquire(table, i);
        if (!HostPte.present(pte)) {
            long pfn = phys.allocate(shift - PageSizes.SHIFT_4K);
            if (pfn == PhysicalMemory.NO_FRAME) return 0;
            if (HostPte.swapped(pte)) {
                byte[] saved = swap.remove(HostPte.pfn(pte));
                phys.write(pfn << PageSizes.SHIFT_4K, saved, 0, saved.length);
            }
            residentPages += 1L << (shift - PageSizes.SHIFT_4K);
            pte = HostPte.make(pfn, v.writable() ? HostPte.WRITE : 0);
        }
        pte |= HostPte.YOUNG;
        if (write) pte |= HostPte.DIRTY;
        ENTRY.setRelease(table, i, pte);
        return pte;
    }

    /**
     * The host page-table entry mapping {@code hva}, read without locks (0 if none). For a huge
     * mapping the entry's frame is the head of the huge frame; {@link #findVma} gives its size.
     */
    public long lookupPte(long hva) {
        Vma v = findVma(hva);
        if (v == null) return 0;
        long[] table = leaf(v.pageShift(), hva, false);
        return table == null ? 0 : (long) ENTRY.getAcquire(table, index(v.pageShift(), hva));
    }

    // ---------------------------------------------------------------- reclaim, migration, aging

    /**
     * Swaps the 4 KiB pages of {@code [hva, hva + length)} out: secondary MMUs drop them, their
     * contents go to swap, their frames are freed. Huge mappings are not swapped (as hugetlbfs).
     *
     * @return pages swapped out
     */
    public int reclaim(long hva, long length) {
        long end = hva + length;
        notifyStart(hva, end);
        List<Long> toPut = new ArrayList<>();
        ptl.lock();
        try {
            for (Vma v : overlapping(hva, end)) {
                if (v.pageShift() != PageSizes.SHIFT_4K || v.pfnMap()) continue;
                for (long a = Math.max(hva, v.start()); a < Math.min(end, v.end()); a += PageSizes.SIZE_4K) {
                    long[] table = leaf(PageSizes.SHIFT_4K, a, false);
                    if (table == null) continue;
                    int i = index(PageSizes.SHIFT_4K, a);
                    long pte = (long) ENTRY.getAcquire(table, i);
                    if (!HostPte.present(pte)) continue;
                    byte[] saved = new byte[(int) PageSizes.SIZE_4K];
                    phys.read(HostPte.pfn(pte) << PageSizes.SHIFT_4K, saved, 0, saved.length);
                    long slot = nextSwapSlot++;
                    swap.put(slot, saved);
                    ENTRY.setRelease(table, i, HostPte.swapEntry(slot));
                    toPut.add(HostPte.pfn(pte));
                    residentPages--;
                }
            }
        } finally {
            ptl.unlock();
        }
        for (long pfn : toPut) phys.put(pfn);
        notifyEnd(hva, end);
        return toPut.size();
    }

    /**
     * Migrates the present 4 KiB pages of the range to new frames (as compaction or NUMA
     * balancing would): each page is copied, its entry switched, secondary MMUs told through
     * change-pte inside an invalidation of that page, and the old frame freed.
     *
     * @return pages migrated
     */
    public int migrate(long hva, long length) {
        int moved = 0;
        for (Vma v : overlapping(hva, hva + length)) {
            if (v.pageShift() != PageSizes.SHIFT_4K || v.pfnMap()) continue;
            for (long a = Math.max(hva, v.start()); a < Math.min(hva + length, v.end()); a += PageSizes.SIZE_4K) {
                if (!HostPte.present(lookupPte(a))) continue;
                long fresh = phys.allocate(0);
                if (fresh == PhysicalMemory.NO_FRAME) return moved;
                notifyStart(a, a + PageSizes.SIZE_4K);
                long old = 0, newPte = 0;
                ptl.lock();
                try {
                    long[] table = leaf(PageSizes.SHIFT_4K, a, false);
                    int i = index(PageSizes.SHIFT_4K, a);
                    long pte = table == null ? 0 : (long) ENTRY.getAcquire(table, i);
                    if (HostPte.present(pte)) {
                        old = HostPte.pfn(pte);
                        phys.copyFrame(old, fresh);
                        newPte = HostPte.make(fresh, pte & (HostPte.WRITE | HostPte.DIRTY | HostPte.YOUNG));
                        ENTRY.setRelease(table, i, newPte);
                    }
                } finally {
                    ptl.unlock();
                }
                if (newPte != 0) {
                    for (MmuNotifier n : notifiers) n.changePte(this, a, newPte);
                    phys.put(old);
                    moved++;
                } else {
                    phys.put(fresh);
                }
                notifyEnd(a, a + PageSizes.SIZE_4K);
            }
        }
        return moved;
    }

    /**
     * Ages the range as the host's reclaim scanner does: clears the accessed bit of the host's
     * own entries and of every secondary MMU's. True if anything was young.
     */
    public boolean clearYoung(long hva, long length) {
        boolean young = false;
        ptl.lock();
        try {
            for (Vma v : overlapping(hva, hva + length)) {
                int shift = v.pageShift();
                for (long a = Math.max(hva, v.start()); a < Math.min(hva + length, v.end()); a += 1L << shift) {
                    long[] table = leaf(shift, a, false);
                    if (table == null) continue;
                    int i = index(shift, a);
                    long pte = (long) ENTRY.getAcquire(table, i);
                    if (HostPte.present(pte) && HostPte.young(pte)) {
                        young = true;
                        ENTRY.setRelease(table, i, pte & ~HostPte.YOUNG);
                    }
                }
            }
        } finally {
            ptl.unlock();
        }
        for (MmuNotifier n : notifiers) young |= n.clearYoung(this, hva, hva + length);
        return young;
    }

    /** Whether the page was accessed, by the host or through a secondary MMU, since last aged. */
    public boolean testYoung(long hva) {
        boolean young = HostPte.young(lookupPte(hva));
        for (MmuNotifier n : notifiers) young |= n.testYoung(this, hva);
        return young;
    }

    // ---------------------------------------------------------------- the host process's own accesses

    /** Reads host memory as the VMM process would (faulting pages in); false if unmapped. */
    public boolean read(long hva, byte[] dst, int off, int len) {
        return copy(hva, dst, off, len, false);
    }

    /** Writes host memory as the VMM process would (faulting pages in, dirtying them). */
    public boolean write(long hva, byte[] src, int off, int len) {
        return copy(hva, src, off, len, true);
    }

    private boolean copy(long hva, byte[] buf, int off, int len, boolean write) {
        int done = 0;
        while (done < len) {
            long a = hva + done;
            Vma v = findVma(a);
            if (v == null || (write && !v.writable())) return false;
            // To the end of the host page: a huge page's frames are contiguous, and a kernel image
            // copied 4 KiB at a time into 2 MiB pages took the launcher 10,000 turns of this loop.
            long pageSize = v.pfnMap() ? PageSizes.SIZE_4K : 1L << v.pageShift();
            int n = (int) Math.min(len - done, pageSize - (a & (pageSize - 1)));
            long pa;
            if (v.pfnMap()) {
                pa = ((v.pgoff() << PageSizes.SHIFT_4K) + (a - v.start()));
            } else {
                ptl.lock();
                try {
                    long pte = faultInLocked(v, a, write);
                    if (pte == 0) return false;
                    pa = (HostPte.pfn(pte) << PageSizes.SHIFT_4K) + (a & ((1L << v.pageShift()) - 1));
                    if (write) phys.write(pa, buf, off + done, n);
                    else phys.read(pa, buf, off + done, n);
                } finally {
                    ptl.unlock();
                }
                done += n;
                continue;
            }
            if (write) phys.write(pa, buf, off + done, n);
            else phys.read(pa, buf, off + done, n);
            done += n;
        }
        return true;
    }

    // ---------------------------------------------------------------- accounting

    /** 4 KiB pages currently backed by frames. */
    public long residentPages() {
        ptl.lock();
        try {
            return residentPages;
        } finally {
            ptl.unlock();
        }
    }

    /** Pages currently in swap. */
    public int swappedPages() {
        ptl.lock();
        try {
            return swap.size();
        } finally {
            ptl.unlock();
        }
    }

    // ---------------------------------------------------------------- helpers

    private void notifyStart(long start, long end) {
        for (MmuNotifier n : notifiers) n.invalidateRangeStart(this, start, end);
    }

    private void notifyEnd(long start, long end) {
        for (MmuNotifier n : notifiers) n.invalidateRangeEnd(this, start, end);
    }

    private long[] leaf(int shift, long hva, boolean create) {
        ConcurrentHashMap<Long, long[]> map = tables.computeIfAbsent(shift, s -> new ConcurrentHashMap<>());
        long key = hva >>> (shift + 9);
        return create ? map.computeIfAbsent(key, k -> new long[512]) : map.get(key);
    }

    private static int index(int shift, long hva) {
        return (int) ((hva >>> shift) & 511);
    }

    private static long alignUp(long v, int shift) {
        long m = (1L << shift) - 1;
        return (v + m) & ~m;
    }
}
