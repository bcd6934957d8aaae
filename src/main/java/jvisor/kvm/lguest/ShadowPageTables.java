package jvisor.kvm.lguest;

import static jvisor.hw.x86.X86Pte.ACCESSED;
import static jvisor.hw.x86.X86Pte.DIRTY;
import static jvisor.hw.x86.X86Pte.GLOBAL;
import static jvisor.hw.x86.X86Pte.PSE;
import static jvisor.hw.x86.X86Pte.PWT;
import static jvisor.hw.x86.X86Pte.RW;

import java.util.random.RandomGenerator;
import jvisor.hw.x86.PageFaultErrorCode;
import jvisor.hw.x86.RealTables;
import jvisor.hw.x86.TableMemory;
import jvisor.hw.x86.TwoLevelRangeWalker;
import jvisor.hw.x86.X86Pte;
import jvisor.memory.HostPage;
import jvisor.memory.PageSizes;
import jvisor.memory.PhysicalMemory;

/**
 * The shadow page tables of one guest: the real two-level tables the CPU walks while the guest
 * runs, built from the guest's own tables and kept in step with them. All methods run with the
 * guest's page-table lock held for writing.
 *
 * <p>The seven parts:
 * <ol>
 * <li>{@link #demandPage}: fill a shadow entry when the guest faults, after validating the
 *     guest's entries (a bad one kills the guest), with accessed/dirty emulation: a read installs
 *     the page read-only even when the guest allows writes, so the first write faults again and
 *     the guest's dirty bit is set before it happens;</li>
 * <li>{@link #pinStack}: make sure the kernel stack is mapped writable, because the Switcher
 *     pushes trap frames on it and cannot take a fault there;</li>
 * <li>{@link #setPte} and {@link #setPgd}: the guest reports a changed entry; kernel addresses are
 *     changed in every cached shadow directory since all share the kernel half;</li>
 * <li>{@link #newPageTable}: a CR3 write; a small cache of shadow directories keyed by the guest's
 *     directory address, with a random victim (from a seeded generator) whose user half is
 *     flushed when it is taken over;</li>
 * <li>{@link #flushUser} and {@link #clearAll}: throw away the user half of the current shadow, or
 *     every shadow entry (kernel mappings changed);</li>
 * <li>{@link #mapSwitcher}: the host CPU's Switcher table page into the top slot;</li>
 * <li>{@link #init} and {@link #free}: the first directory, and releasing everything.</li>
 * </ol>
 *
 * <p>Reference invariant: every present shadow table entry holds exactly one reference on its
 * host page (taken through the launcher's address space), dropped when the entry is cleared or
 * replaced; every present shadow directory entry below the Switcher's slot owns its table page.
 *
 * <p>Every look at a set of tables, the guest's or a shadow, is a {@link TwoLevelRangeWalker}
 * walk with one of the visitors below; none of them sees a 4 MiB page (lguest guests do not get
 * PSE, and a shadow directory entry always points at a table).
 */
public final class ShadowPageTables {
    /** What {@link #demandPage} did. */
    public static final int MAPPED = 0, GUEST_FAULT = 1, MMIO = 2, KILLED = 3;

    private static final int NOT_SHADOWED = -1;

    private final Lguest lg;
    private final PhysicalMemory phys;
    private final GuestPhysicalMemory mem;
    private final LguestStats stats;
    private final RandomGenerator random;
    /** Guest top-level address each cached directory shadows; -1 for a slot never used. */
    private final long[] cr3s;
    /** Host frame of each cached shadow directory; NO_FRAME until first used. */
    private final long[] directories;
    private final int kernelIndex;
    /** The shadow tables as the walker reads them: host real memory. */
    private final TableMemory shadowTables;
    /** The guest's tables as the walker reads them; an entry outside guest memory kills the guest. */
    private final GuestTables guestTables = new GuestTables();
    // One of each visitor that runs under the page-table lock, reused so that a fault or a
    // hypercall allocates nothing; none of their walks starts another walk with the same visitor.
    private final DemandFill fill = new DemandFill();
    private final PteUpdate update = new PteUpdate();
    private final Release release = new Release();

    ShadowPageTables(Lguest lg, int cacheSize, RandomGenerator random) {
        this.lg = lg;
        this.phys = lg.physicalMemory();
        this.mem = lg.memory();
        this.stats = lg.stats();
        this.random = random;
        this.cr3s = new long[cacheSize];
        this.directories = new long[cacheSize];
        java.util.Arrays.fill(cr3s, NOT_SHADOWED);
        java.util.Arrays.fill(directories, PhysicalMemory.NO_FRAME);
        this.kernelIndex = X86Pte.directoryIndex(lg.pageOffset());
        this.shadowTables = new RealTables(phys);
    }

    // ------------------------------------------------------------------ helpers

    private long slot(int dir, int index) {
        return (directories[dir] << PageSizes.SHIFT_4K) + 4L * index;
    }

    private long directoryAddress(int dir) {
        return directories[dir] << PageSizes.SHIFT_4K;
    }

    private static long pteSlot(int spgd, long va) {
        return X86Pte.tableEntryAddress(spgd, va);
    }

    /** The directory index for {@code va}, or -1 with the guest killed if it reaches the Switcher. */
    private int shadowIndex(long va) {
        int index = X86Pte.directoryIndex(va);
        if (index >= Switcher.PGD_INDEX) {
            lg.kill(String.format("touched the Switcher's addresses (0x%08x)", va & X86Pte.ADDRESS_MASK));
            return -1;
        }
        return index;
    }

    /**
     * The guest's tables for the walker: an entry outside guest memory kills the guest and reads
     * as not present, and {@link #failed} tells the walk's owner that the guest is gone.
     */
    private final class GuestTables implements TableMemory {
        boolean failed;

        @Override
        public int readEntry(long gpa) {
            if (mem.contains(gpa, 4)) return mem.readU32(gpa);
            lg.kill(String.format("guest table entry at 0x%x is outside guest memory", gpa));
            failed = true;
            return 0;
        }

        @Override
        public void writeEntry(long gpa, int value) {
            if (mem.contains(gpa, 4)) mem.writeU32LE(gpa, value);
        }
    }

    private boolean checkDirectoryEntry(int gpgd) {
        if ((X86Pte.flags(gpgd) & ~X86Pte.TABLE_FLAGS) != 0 || X86Pte.pfn(gpgd) >= mem.pfnLimit()) {
            lg.kill("bad page directory entry " + X86Pte.describe(gpgd));
            return false;
        }
        return true;
    }

    /** A table entry is acceptable if it has no bits the shadow cannot honour and maps memory or the device window. */
    private boolean checkTableEntry(int gpte) {
        if ((gpte & (PWT | PSE)) != 0 || X86Pte.pfn(gpte) >= mem.pfnLimit() + lg.devicePages()) {
            lg.kill("bad page table entry " + X86Pte.describe(gpte));
            return false;
        }
        return true;
    }

    private boolean isDevice(int gpte) {
        return X86Pte.pfn(gpte) >= mem.pfnLimit();
    }

    /**
     * The shadow entry for a (checked) guest entry: the guest frame replaced by the host frame,
     * with a reference held on it, and the global bit dropped (the guest sets it only to tell us
     * what its flushes mean). 0 with the guest killed when the host cannot provide the page.
     */
    private int toShadow(int gpte, boolean write) {
        HostPage page = mem.pin(X86Pte.pfn(gpte), write);
        if (page == null) {
            lg.kill("could not get guest page " + X86Pte.pfn(gpte));
            return 0;
        }
        stats.shadowPtesInstalled.increment();
        return X86Pte.make(page.pfn(), X86Pte.flags(gpte) & ~GLOBAL);
    }

    private void releasePte(int spte) {
        if (X86Pte.present(spte)) {
            phys.put(X86Pte.pfn(spte));
            stats.shadowPtesReleased.increment();
        }
    }

    /**
     * Tears down the shadow tables of directory {@code dir} over {@code [start, end)}: each
     * present table entry drops its page reference, then the table page goes and its directory
     * entry is cleared (post-order, so a table is freed only after its entries).
     */
    private final class Release implements TwoLevelRangeWalker.Visitor {
        @Override
        public void leaf(long at, int spte, long address, int shift) {
            if (shift == X86Pte.PAGE_SHIFT) releasePte(spte);
        }

        @Override
        public void tableDone(long at, int spgd, long address) {
            phys.writeIntLE(at, 0);
            phys.put(X86Pte.pfn(spgd));
            stats.ptePagesFreed.increment();
            lg.shadowChanged();
        }
    }

    /** Releases directory entries {@code [first, end)} of cached directory {@code dir} and their tables. */
    private void releaseDirectoryEntries(int dir, int first, int end) {
        TwoLevelRangeWalker.walk(shadowTables, directoryAddress(dir), X86Pte.directoryBase(first),
                X86Pte.directoryBase(end), false, release);
    }

    /** The shadow table entry of cached directory {@code dir} that maps {@code va} (0 when its directory entry is not present). */
    private int shadowTableEntry(int dir, long va) {
        if (directories[dir] == PhysicalMemory.NO_FRAME) return 0;
        va &= X86Pte.ADDRESS_MASK;
        Probe probe = new Probe();
        TwoLevelRangeWalker.walk(shadowTables, directoryAddress(dir), va, va + 1, false, probe);
        return probe.entry;
    }

    /** Keeps the table entry a one-address walk reaches; off the fault path, and inspection may run without the lock, so each use has its own. */
    private static final class Probe implements TwoLevelRangeWalker.Visitor {
        int entry;

        @Override
        public void leaf(long at, int e, long address, int shift) {
            entry = shift == X86Pte.PAGE_SHIFT ? e : 0;
        }
    }

    // ------------------------------------------------------------------ (i) demand paging

    /**
     * A page fault the CPU raised while running the guest: fill the shadow from the guest's
     * tables if they allow the access.
     *
     * @return {@link #MAPPED} (retry the access), {@link #GUEST_FAULT} (deliver #PF to the guest),
     *         {@link #MMIO} (a device-window access for the launcher; the guest address is in
     *         {@link LguestCpu#mmioAddress()}) or {@link #KILLED}
     */
    int demandPage(LguestCpu cpu, long va, int errorCode) {
        fill.start(cpu, va & X86Pte.ADDRESS_MASK, errorCode);
        guestTables.failed = false;
        TwoLevelRangeWalker.walk(guestTables, cpu.guestCr3(), fill.va, fill.va + 1, false, fill);
        return guestTables.failed ? KILLED : fill.result;
    }

    /**
     * Demand paging as a walk of the guest's tables for one address: the guest's directory entry
     * gets a shadow table (pre-order), its table entry a shadow entry (the leaf).
     */
    private final class DemandFill implements TwoLevelRangeWalker.Visitor {
        private LguestCpu cpu;
        long va;
        private boolean write;
        private boolean user;
        private int spgd;
        int result;

        void start(LguestCpu cpu, long va, int errorCode) {
            this.cpu = cpu;
            this.va = va;
            this.write = PageFaultErrorCode.write(errorCode);
            this.user = PageFaultErrorCode.user(errorCode);
            this.result = GUEST_FAULT;
        }

        @Override
        public boolean table(long gpgdAt, int gpgd, long address) {
            int index = shadowIndex(va);
            if (index < 0) {
                result = KILLED;
                return false;
            }
            long spgdAt = slot(cpu.directory(), index);
            spgd = phys.readIntLE(spgdAt);
            if (!X86Pte.present(spgd)) {
                // Validate before allocating, so a killed guest leaves nothing half-built behind.
                if (!checkDirectoryEntry(gpgd)) {
                    result = KILLED;
                    return false;
                }
                long table = phys.allocate(0);
                if (table == PhysicalMemory.NO_FRAME) {
                    lg.kill("out of memory for a shadow page table");
                    result = KILLED;
                    return false;
                }
                stats.ptePagesAllocated.increment();
                spgd = X86Pte.make(table, X86Pte.flags(gpgd));
                phys.writeIntLE(spgdAt, spgd);
            }
            // The hardware ANDs the rights of both levels, so a directory entry that forbids the
            // access would make us fault forever; the guest's handler gets it instead.
            if ((write && !X86Pte.writable(gpgd)) || (user && !X86Pte.user(gpgd))) {
                result = GUEST_FAULT;
                return false;
            }
            return true;
        }

        @Override
        public void leaf(long gpteAt, int gpte, long address, int shift) {
            // A directory-sized leaf is a guest directory entry that is not present.
            result = shift == X86Pte.PAGE_SHIFT ? fillEntry(gpteAt, gpte) : GUEST_FAULT;
        }

        private int fillEntry(long gpteAt, int gpte) {
            if (!X86Pte.present(gpte)) return GUEST_FAULT;
            if (write && !X86Pte.writable(gpte)) return GUEST_FAULT;
            if (user && !X86Pte.user(gpte)) return GUEST_FAULT;
            if (!checkTableEntry(gpte)) return KILLED;
            if (isDevice(gpte)) {
                cpu.setMmio((X86Pte.pfn(gpte) << PageSizes.SHIFT_4K) | (va & (PageSizes.SIZE_4K - 1)), write);
                return MMIO;
            }

            gpte |= ACCESSED;
            if (write) gpte |= DIRTY;
            long spteAt = pteSlot(spgd, va);
            int old = phys.readIntLE(spteAt);
            if (write && X86Pte.present(old) && !X86Pte.writable(old)) stats.dirtyFaults.increment();
            // Writable in the shadow only once the guest's entry is dirty: until then a write must
            // come back here so the dirty bit is set before the write lands.
            int spte = X86Pte.dirty(gpte) ? toShadow(gpte, true) : toShadow(gpte & ~RW, false);
            if (spte == 0) return KILLED;
            releasePte(old);
            phys.writeIntLE(spteAt, spte);
            mem.writeU32LE(gpteAt, gpte);
            return MAPPED;
        }
    }

    // ------------------------------------------------------------------ (ii) the kernel stack

    /** Whether the current shadow maps {@code va} present and writable. */
    boolean pageWritable(LguestCpu cpu, long va) {
        if (X86Pte.directoryIndex(va) >= Switcher.PGD_INDEX) return false;
        int spte = shadowTableEntry(cpu.directory(), va);
        return X86Pte.present(spte) && X86Pte.writable(spte);
    }

    void pinPage(LguestCpu cpu, long va) {
        if (lg.dead()) return;
        if (pageWritable(cpu, va)) return;
        int r = demandPage(cpu, va, PageFaultErrorCode.WRITE);
        if (r == MAPPED) {
            stats.stackPagesPinned.increment();
        } else if (r != KILLED) {
            lg.kill(String.format("bad stack page 0x%08x", va & X86Pte.ADDRESS_MASK));
        }
    }

    /** Maps every page of the vCPU's kernel stack writable in its current shadow. */
    void pinStack(LguestCpu cpu) {
        for (int i = 0; i < cpu.stackPages(); i++) {
            pinPage(cpu, cpu.stackTop() - 1 - (long) i * PageSizes.SIZE_4K);
        }
    }

    // ------------------------------------------------------------------ (iii) guest updates

    /** SET_PTE: the guest changed the entry for {@code va} in the directory at {@code cr3}. */
    void setPte(long cr3, long va, int gpte) {
        if (shadowIndex(va) < 0) return;
        if ((va & X86Pte.ADDRESS_MASK) >= lg.pageOffset()) {
            // Every directory shares the kernel half, and each keeps its own copy of it.
            for (int dir = 0; dir < directories.length; dir++) {
                if (directories[dir] != PhysicalMemory.NO_FRAME) {
                    stats.kernelPteUpdates.increment();
                    setPteIn(dir, va, gpte);
                }
            }
        } else {
            int dir = find(cr3);
            if (dir >= 0) setPteIn(dir, va, gpte);
        }
    }

    private void setPteIn(int dir, long va, int gpte) {
        if (lg.dead()) return;
        update.gpte = gpte;
        TwoLevelRangeWalker.walk(shadowTables, directoryAddress(dir), va, va + 1, false, update);
    }

    /** SET_PTE in one shadow directory: the leaf that maps the address, if its table exists. */
    private final class PteUpdate implements TwoLevelRangeWalker.Visitor {
        int gpte;

        @Override
        public void leaf(long spteAt, int old, long address, int shift) {
            if (shift != X86Pte.PAGE_SHIFT) return;
            int spte = 0;
            // An entry the guest already marked accessed (or dirty) will be used soon: install it
            // now instead of taking the fault. Read-only unless dirty, as in demand paging.
            if (X86Pte.present(gpte) && (gpte & (ACCESSED | DIRTY)) != 0) {
                if (!checkTableEntry(gpte)) return;
                if (!isDevice(gpte)) {
                    spte = X86Pte.dirty(gpte) ? toShadow(gpte, true) : toShadow(gpte & ~RW, false);
                    if (spte != 0) stats.prefilledPtes.increment();
                }
            }
            releasePte(old);
            phys.writeIntLE(spteAt, spte);
            if (X86Pte.present(old)) lg.shadowChanged();
        }
    }

    /** SET_PGD: the guest changed directory entry {@code index} of the directory at {@code cr3}. */
    void setPgd(long cr3, int index) {
        if (index < 0 || index >= X86Pte.ENTRIES) {
            lg.kill("directory index " + index + " out of range");
            return;
        }
        if (index >= Switcher.PGD_INDEX) {
            // The guest may believe it owns the top slot; it never gets it.
            stats.switcherPgdIgnored.increment();
            return;
        }
        int dir = find(cr3);
        if (dir >= 0) releaseDirectoryEntries(dir, index, index + 1);
    }

    // ------------------------------------------------------------------ (iv) switching directories

    int find(long cr3) {
        for (int i = 0; i < cr3s.length; i++) if (cr3s[i] == cr3) return i;
        return -1;
    }

    /** NEW_PGTABLE: the vCPU now runs on the guest directory at {@code cr3}. */
    void newPageTable(LguestCpu cpu, long cr3) {
        cr3 &= X86Pte.FRAME_MASK & X86Pte.ADDRESS_MASK;
        int dir = find(cr3);
        boolean blank = false;
        if (dir >= 0) {
            stats.directoryHits.increment();
        } else {
            stats.directoryMisses.increment();
            dir = victim(cpu);
            if (directories[dir] == PhysicalMemory.NO_FRAME) {
                long frame = phys.allocate(0);
                if (frame == PhysicalMemory.NO_FRAME) {
                    // No memory for another directory: take over the one this vCPU has.
                    dir = cpu.directory();
                } else {
                    directories[dir] = frame;
                    stats.directoriesAllocated.increment();
                    blank = true;
                }
            }
            if (!blank && cr3s[dir] != NOT_SHADOWED) stats.directoryEvictions.increment();
            cr3s[dir] = cr3;
            flushUserOf(dir);
        }
        cpu.useDirectory(dir, cr3);
        // A fresh directory has no kernel half either: the stack must be mapped before the
        // Switcher next needs it.
        if (blank) pinStack(cpu);
    }

    /** A random slot, never one another vCPU is running on (they would lose their tables). */
    private int victim(LguestCpu cpu) {
        while (true) {
            int i = random.nextInt(cr3s.length);
            if (!lg.directoryInUseByOther(i, cpu)) return i;
        }
    }

    // ------------------------------------------------------------------ (v) flushing

    private void flushUserOf(int dir) {
        releaseDirectoryEntries(dir, 0, kernelIndex);
    }

    /** FLUSH_TLB(0): the user half of the vCPU's current shadow goes. */
    void flushUser(LguestCpu cpu) {
        stats.userFlushes.increment();
        flushUserOf(cpu.directory());
    }

    /** Every shadow entry of every cached directory, kernel half included (all but the Switcher). */
    private void releaseAll() {
        for (int dir = 0; dir < directories.length; dir++) {
            if (directories[dir] == PhysicalMemory.NO_FRAME) continue;
            releaseDirectoryEntries(dir, 0, Switcher.PGD_INDEX);
        }
    }

    /** FLUSH_TLB(1): kernel mappings changed; everything goes and the stacks are mapped again. */
    void clearAll() {
        stats.fullFlushes.increment();
        releaseAll();
        for (LguestCpu c : lg.cpus()) pinStack(c);
    }

    // ------------------------------------------------------------------ (vi) the Switcher

    /** Before the guest runs on {@code cpu}'s host CPU: that CPU's Switcher pages in the top slot. */
    void mapSwitcher(LguestCpu cpu, Switcher switcher) {
        int hostCpu = cpu.hostCpu();
        phys.writeIntLE(slot(cpu.directory(), Switcher.PGD_INDEX),
                X86Pte.make(switcher.ptePage(hostCpu), X86Pte.KERNEL_FLAGS));
        switcher.mapRegisters(hostCpu, cpu.regsPage());
    }

    /** Host address of the shadow directory the vCPU runs on (what the Switcher loads into CR3). */
    long directoryAddress(LguestCpu cpu) {
        return directoryAddress(cpu.directory());
    }

    // ------------------------------------------------------------------ (vii) setup and teardown

    /** The first directory, shadowing the guest's initial top level; false when the host has no memory. */
    boolean init(long cr3) {
        if (kernelIndex >= Switcher.PGD_INDEX) {
            throw new IllegalArgumentException("the kernel half must start below the Switcher");
        }
        long frame = phys.allocate(0);
        if (frame == PhysicalMemory.NO_FRAME) return false;
        directories[0] = frame;
        cr3s[0] = cr3 & X86Pte.FRAME_MASK & X86Pte.ADDRESS_MASK;
        stats.directoriesAllocated.increment();
        return true;
    }

    /** Guest destruction: every shadow entry released, every directory freed. */
    void free() {
        releaseAll();
        for (int dir = 0; dir < directories.length; dir++) {
            if (directories[dir] != PhysicalMemory.NO_FRAME) {
                phys.put(directories[dir]);
                stats.directoriesFreed.increment();
                directories[dir] = PhysicalMemory.NO_FRAME;
                cr3s[dir] = NOT_SHADOWED;
            }
        }
    }

    // ------------------------------------------------------------------ inspection (tests, reports)

    public int cacheSize() {
        return cr3s.length;
    }

    /** The guest top level cached directory {@code dir} shadows, or -1. */
    public long shadowedCr3(int dir) {
        return cr3s[dir];
    }

    /** The shadow directory entry {@code index} of cached directory {@code dir} (0 if that slot has no directory). */
    public int directoryEntry(int dir, int index) {
        return directories[dir] == PhysicalMemory.NO_FRAME ? 0 : phys.readIntLE(slot(dir, index));
    }

    /** The shadow table entry for {@code va} in cached directory {@code dir}, 0 if none. */
    public int tableEntry(int dir, long va) {
        return shadowTableEntry(dir, va);
    }

    /** Host frames of the cached directories (NO_FRAME for unused slots). */
    public long directoryFrame(int dir) {
        return directories[dir];
    }
}
