package jvisor.kvm.power;

import jvisor.hw.power.Dsisr;
import jvisor.hw.power.HostTableReader;
import jvisor.hw.power.PartitionTableEntry;
import jvisor.hw.power.RadixEntry;
import jvisor.hw.power.RadixMapPolicy;
import jvisor.hw.power.RadixRangeWalker;
import jvisor.hw.power.RadixTreeRoot;
import jvisor.hw.power.RadixTreeWalker;
import jvisor.hw.power.RadixWalk;
import jvisor.hw.power.RadixWalkVisitor;
import jvisor.hw.power.Srr1;
import jvisor.hw.power.TranslationFault;
import jvisor.kvm.ArchMmu;
import jvisor.kvm.Capability;
import jvisor.kvm.KvmException;
import jvisor.kvm.MemoryCache;
import jvisor.kvm.MmuLock;
import jvisor.kvm.Vm;
import jvisor.kvm.VmType;
import jvisor.memory.HostAddressSpace;
import jvisor.memory.HostPage;
import jvisor.memory.MemorySlot;
import jvisor.memory.MemslotTable;
import jvisor.memory.PageSizes;
import jvisor.memory.PhysicalMemory;
import jvisor.memory.Vma;

/**
 * KVM Book3S HV's radix MMU for one VM: the partition-scoped tree that translates the guest's
 * real addresses to host real addresses, filled lazily when the guest faults (HDSI/HISI), kept
 * coherent with the host through MMU notifiers, aged, and scanned for the dirty log.
 *
 * <p>The tree lives in host real memory in the architected format (52-bit space, 13/9/9/9), so
 * the hardware walk reads exactly what this class writes. Every lookup and change goes through
 * the one {@link RadixTreeWalker} with a visitor (a mapping through the one
 * {@link RadixMapPolicy}, breaking before making); this class never walks tables by hand.
 *
 * <p>Like KVM, the tree holds no reference on the host pages it maps: a fault takes a page
 * reference only while it installs the entry, and the notifier protocol ({@link MmuLock}) makes
 * sure no entry survives the host unmapping or moving the page.
 */
public final class PartitionScopedMmu implements ArchMmu, Vm.ExtensionAware {

    /** KVM_CREATE_VM type for a POWER9 radix guest under Book3S HV. */
    public static final VmType<PartitionScopedMmu> HV_RADIX = new VmType<>("ppc-hv-radix", PartitionScopedMmu::new);

    /** KVM_PPC_CONFIGURE_V3_MMU flags. */
    public static final long MMUV3_RADIX = 1, MMUV3_GTSE = 2;


    /** Tree levels as the walker counts them: 0 root (512G per entry), 1 (1G), 2 (2M), 3 (4K). */
    static final int LEVEL_1G = 1, LEVEL_2M = 2, LEVEL_4K = 3;

    /** Table pages one insert may need below the root (a 4K page in an empty tree): what a vCPU's cache must hold. */
    public static final int MAX_NEW_TABLES = LEVEL_4K;

    private final Vm<PartitionScopedMmu> vm;
    private final PowerHost host;
    private final PhysicalMemory phys;
    private final MmuLock mmuLock;
    private final HostTableReader reader;
    private final int lpid;
    private final long rootDword;
    private final long rootPfn;
    private volatile long processTable;
    private volatile boolean gtse;
    private final FaultStatistics stats = new FaultStatistics();
    /** Scratch walk used only while holding the MMU lock. */
    private final RadixWalk lockedWalk = new RadixWalk();
    /** What the map policy needs from this MMU for one insert; used only while holding the MMU lock. */
    private final Installer installer = new Installer();
    private final RadixMapPolicy mapPolicy;
    private boolean destroyed;

    private PartitionScopedMmu(Vm<PartitionScopedMmu> vm) {
        this.vm = vm;
        this.host = PowerHost.of(vm.kvm());
        this.phys = vm.physicalMemory();
        this.mmuLock = vm.mmuLock();
        this.reader = new HostTableReader(phys);
        int id = host.allocateLpid();
        if (id < 0) throw new KvmException(KvmException.Errno.ENOMEM, "no free LPID");
        this.lpid = id;
        long root = phys.allocate(4); // 2^13 entries * 8 bytes = 64 KiB, aligned to its size
        if (root == PhysicalMemory.NO_FRAME) {
            host.freeLpid(id);
            throw new KvmException(KvmException.Errno.ENOMEM, "no memory for the partition-scoped root");
        }
        this.rootPfn = root;
        this.rootDword = RadixTreeRoot.of52(root << PageSizes.SHIFT_4K);
        this.mapPolicy = RadixMapPolicy.breakingBeforeMaking(phys, 9, installer, installer);
        host.writePartitionTableEntry(lpid, PartitionTableEntry.HR | rootDword, 0);
    }

    public int lpid() {
        return lpid;
    }

    public PowerHost host() {
        return host;
    }

    public FaultStatistics statistics() {
        return stats;
    }

    /** PATE doubleword 0 of this partition: HR and the root of the partition-scoped tree. */
    public long partitionTableDword0() {
        return PartitionTableEntry.HR | rootDword;
    }

    /** The process table the guest registered (PATE doubleword 1 without GR), or 0. */
    public long processTable() {
        return processTable;
    }

    public boolean guestTranslationShootdownEnabled() {
        return gtse;
    }

    // ------------------------------------------------------------------ VM ioctls

    /**
     * KVM_PPC_CONFIGURE_V3_MMU, what the VMM calls when the guest makes H_REGISTER_PROCESS_TABLE:
     * records the guest's process table (PRTB | PRTS) in the partition-table entry.
     */
    public void configureV3Mmu(long flags, long processTable) {
        if ((flags & ~(MMUV3_RADIX | MMUV3_GTSE)) != 0) {
            throw new KvmException(KvmException.Errno.EINVAL, String.format("unknown MMU flags 0x%x", flags));
        }
        if ((flags & MMUV3_RADIX) == 0) {
            throw new KvmException(KvmException.Errno.EINVAL, "jvisor supports only radix guests (no HPT)");
        }
        if ((processTable & ~(PartitionTableEntry.PRTB_MASK | PartitionTableEntry.PRTS_MASK)) != 0
                || PartitionTableEntry.prts(processTable) > 24) {
            throw new KvmException(KvmException.Errno.EINVAL, String.format("bad process table 0x%x", processTable));
        }
        this.processTable = processTable;
        this.gtse = (flags & MMUV3_GTSE) != 0;
        host.writePartitionTableEntry(lpid, partitionTableDword0(), PartitionTableEntry.GR | processTable);
    }

    /** KVM_PPC_GET_RMMU_INFO: the radix geometries and page sizes guests may use. */
    public RmmuInfo rmmuInfo() {
        return RmmuInfo.POWER9;
    }

    @Override
    public int checkExtension(Capability cap) {
        return switch (cap) {
            case PPC_MMU_RADIX -> 1;
            // What the vCPU side really offers (PowerVcpu): level interrupts and lowering them,
            // enable-cap for OSI, the OSI exit, KVM's paravirtual hypercall sequence.
            case PPC_IRQ_LEVEL, PPC_UNSET_IRQ, ENABLE_CAP, PPC_OSI, PPC_GET_PVINFO -> 1;
            // Segment state is the hash MMU's SLB: a radix-only hypervisor has none to save.
            case PPC_SEGSTATE, PPC_MMU_HASH_V3 -> 0;
            default -> 0;
        };
    }

    // ------------------------------------------------------------------ lookups

    /** Under the MMU lock: finds the leaf mapping {@code gpa}; true if present (see {@link #lockedWalk}). */
    private boolean findPte(long gpa) {
        return RadixTreeWalker.walk(lockedWalk, rootDword, gpa, reader, RadixWalkVisitor.TRANSLATE)
                == RadixTreeWalker.DONE;
    }

    /** Log2 of the guest real span one entry at {@code level} covers. */
    static int levelShift(int level) {
        return 52 - RadixTreeRoot.ROOT_INDEX_BITS - 9 * level;
    }

    /**
     * The partition-scoped entry mapping {@code gpa} right now, or 0: for tests, statistics and
     * the {@code walk} explainer.
     */
    public long lookup(long gpa) {
        mmuLock.lock();
        try {
            return findPte(gpa) ? lockedWalk.entry : 0;
        } finally {
            mmuLock.unlock();
        }
    }

    /** The page size (shift) of the mapping of {@code gpa}, or 0 if unmapped. */
    public int mappedPageShift(long gpa) {
        mmuLock.lock();
        try {
            return findPte(gpa) ? lockedWalk.pageShift : 0;
        } finally {
            mmuLock.unlock();
        }
    }

    // ------------------------------------------------------------------ the fault handler

    /** {@link #handlePageFault(long, long, long, boolean, MemoryCache)} of the fault the MMU reported. */
    public PageFaultResult handlePageFault(TranslationFault.PartitionScoped f, MemoryCache cache) {
        return f.fetch() ? handlePageFault(f.ea(), f.cause() & Srr1.INSTRUCTION_STORAGE_CAUSE, f.asdr(), true, cache)
                : handlePageFault(f.ea(), f.cause(), f.asdr(), false, cache);
    }

    /** The same for a caller without a vCPU: a cache of its own for this one fault. */
    public PageFaultResult handlePageFault(TranslationFault.PartitionScoped f) {
        return withOwnCache(cache -> handlePageFault(f, cache));
    }

    /**
     * Handles a partition-scoped fault (HDSI or HISI), as KVM's radix page-fault handler: every
     * branch of it, from the unusual-error checks through MMIO to installing the page.
     *
     * @param ea    the effective address of the access (HDAR), or the instruction address
     * @param dsisr HDSISR for a data access; for a fetch, the HSRR1 bits in the same positions
     * @param asdr  the guest real address that failed to translate (ASDR)
     * @param fetch true for an instruction fetch (HISI)
     * @param cache the faulting vCPU's cache of table pages, topped up here before the MMU lock
     */
    public PageFaultResult handlePageFault(long ea, long dsisr, long asdr, boolean fetch, MemoryCache cache) {
        if ((dsisr & Dsisr.UNSUPPORTED_RADIX) != 0) {
            stats.errors.increment();
            return new PageFaultResult.Error(String.format("unsupported MMU configuration fault at 0x%x", ea));
        }
        if ((dsisr & Dsisr.BAD_ACCESS) != 0) {
            return reflect(ea, dsisr, fetch);
        }
        long gpa = asdr & ~0xFFFL & ~0xF000_0000_0000_0000L;
        long gfn = gpa >>> PageSizes.SHIFT_4K;
        if ((dsisr & Dsisr.TABLE_WALK) == 0) gpa |= ea & 0xFFF;
        boolean writing = !fetch && (dsisr & Dsisr.STORE) != 0;

        MemorySlot slot = vm.memslots().find(gfn);
        if (slot == null || slot.invalid()) {
            if ((dsisr & (Dsisr.TABLE_WALK | Dsisr.BAD_ACCESS | Dsisr.RC_UPDATE)) != 0) {
                // The guest's own tables point outside its memory: its problem, reported as a DSI.
                return reflect(ea, dsisr, fetch);
            }
            if (fetch) {
                stats.reflected.increment();
                return new PageFaultResult.FetchFromNowhere(gpa, ea);
            }
            stats.mmio.increment();
            return new PageFaultResult.Mmio(gpa, ea, writing);
        }
        if (writing && slot.readOnly()) {
            stats.reflected.increment();
            return new PageFaultResult.Reflect(new TranslationFault.DataStorage(ea, Dsisr.STORE | Dsisr.PROTECTION));
        }
        if ((dsisr & Dsisr.RC_UPDATE) != 0 && setReferenceChange(gpa, writing)) {
            stats.setRc.increment();
            return new PageFaultResult.Resume(PageFaultResult.Reason.SET_RC);
        }
        return mapPage(slot, gpa, gfn, writing, cache);
    }

    /**
     * {@link #handlePageFault(long, long, long, boolean, MemoryCache)} for a caller without a vCPU
     * (tests, the {@code walk} explainer, benchmarks): a cache of its own for this one fault.
     */
    public PageFaultResult handlePageFault(long ea, long dsisr, long asdr, boolean fetch) {
        return withOwnCache(cache -> handlePageFault(ea, dsisr, asdr, fetch, cache));
    }

    /** One fault handled with a table-page cache of its own, given back afterwards. */
    private PageFaultResult withOwnCache(java.util.function.Function<MemoryCache, PageFaultResult> fault) {
        MemoryCache once = new MemoryCache(phys, MAX_NEW_TABLES);
        try {
            return fault.apply(once);
        } finally {
            once.free();
        }
    }

    private PageFaultResult reflect(long ea, long dsisr, boolean fetch) {
        stats.reflected.increment();
        return new PageFaultResult.Reflect(fetch ? new TranslationFault.InstructionStorage(ea, dsisr)
                : new TranslationFault.DataStorage(ea, dsisr));
    }

    /**
     * The set-R/C fault: POWER9 does not set reference and change bits in partition-scoped entries
     * itself. If the entry is there and allows the access, set them and resume; otherwise the
     * ordinary fault path decides (a write to an entry mapped read-only, for instance).
     */
    private boolean setReferenceChange(long gpa, boolean writing) {
        mmuLock.lock();
        try {
            if (!findPte(gpa)) return false;
            long pte = lockedWalk.entry;
            if (writing && (pte & RadixEntry.READ_WRITE) == 0) return false;
            long bits = RadixEntry.REFERENCE | (writing ? RadixEntry.CHANGE : 0);
            if ((pte & bits) != bits) {
                phys.writeLongBERelease(lockedWalk.entryAddress, pte | bits);
            }
            return true;
        } finally {
            mmuLock.unlock();
        }
    }

    private PageFaultResult mapPage(MemorySlot slot, long gpa, long gfn, boolean writing, MemoryCache cache) {
        HostAddressSpace mm = vm.addressSpace();
        // Read the sequence before looking the host page up: an invalidation after this point
        // makes the insert below retry instead of mapping a page the host is taking away.
        long mmuSeq = mmuLock.sequence();
        long hva = slot.gfnToHva(gfn);
        HostPage page = mm.getUserPage(hva, writing);
        long pfn;
        int level = LEVEL_4K;
        long flags = RadixEntry.READ | RadixEntry.EXECUTE;
        if (page == null) {
            Vma vma = mm.findVma(hva);
            if (vma == null || !vma.pfnMap()) {
                stats.errors.increment();
                return new PageFaultResult.Error(String.format(
                        "guest real 0x%x: host address 0x%x cannot be faulted in%s", gpa, hva,
                        vma == null ? " (not mapped)" : writing && !vma.writable() ? " for writing (read-only mapping)" : " (out of memory)"));
            }
            // Device memory mapped into the slot (VM_PFNMAP): no page to pin, cache-inhibited.
            pfn = vma.pgoff() + ((hva - vma.start()) >>> PageSizes.SHIFT_4K);
            flags |= RadixEntry.ATT_NON_IDEMPOTENT_IO;
            if (vma.writable() && !slot.readOnly()) flags |= RadixEntry.READ_WRITE;
        } else {
            pfn = page.pfn();
            // A slot that logs dirty pages is mapped 4K at a time, as KVM does, so that a store
            // dirties one page of the log rather than all of a large mapping's.
            boolean large = slot.dirtyBitmap() == null;
            if (large && page.pageShift() >= PageSizes.SHIFT_1G && largePageFits(slot, gpa & ~0xFFFL, hva, PageSizes.SHIFT_1G)) {
                level = LEVEL_1G;
            } else if (large && page.pageShift() >= PageSizes.SHIFT_2M
                    && largePageFits(slot, gpa & ~0xFFFL, hva, PageSizes.SHIFT_2M)) {
                level = LEVEL_2M;
            }
            // Writable only for a write, or when the host page is already writable and dirty;
            // otherwise the first guest store comes back here and dirties the host page.
            if (!slot.readOnly() && (writing || (page.writable() && page.dirty()))) {
                flags |= RadixEntry.READ_WRITE;
            }
        }
        flags |= RadixEntry.REFERENCE;
        if ((flags & RadixEntry.READ_WRITE) != 0) flags |= RadixEntry.CHANGE;
        try {
            int shift = levelShift(level);
            long mapPfn = pfn & ~((1L << (shift - PageSizes.SHIFT_4K)) - 1);
            long mapGpa = gpa & ~((1L << shift) - 1);
            int status = insert(slot, RadixEntry.pte(mapPfn << PageSizes.SHIFT_4K, flags), mapGpa, level, mmuSeq, cache);
            if (status == RadixMapPolicy.TABLE_IN_THE_WAY) {
                // A table is already where the large page would go: map just this small page.
                stats.largePageFallbacks.increment();
                level = LEVEL_4K;
                status = insert(slot, RadixEntry.pte(pfn << PageSizes.SHIFT_4K, flags),
                        gpa & ~0xFFFL, level, mmuSeq, cache);
            }
            return switch (status) {
                case RadixMapPolicy.MAPPED -> {
                    switch (level) {
                        case LEVEL_1G -> stats.mapped1g.increment();
                        case LEVEL_2M -> stats.mapped2m.increment();
                        default -> stats.mapped4k.increment();
                    }
                    yield new PageFaultResult.Resume(level == LEVEL_1G ? PageFaultResult.Reason.MAPPED_1G
                            : level == LEVEL_2M ? PageFaultResult.Reason.MAPPED_2M : PageFaultResult.Reason.MAPPED_4K);
                }
                case RadixMapPolicy.LARGER_PAGE -> {
                    // A larger page is already here: the guest retries through it.
                    stats.retriesRace.increment();
                    yield new PageFaultResult.Resume(PageFaultResult.Reason.RETRY_RACE);
                }
                case RadixMapPolicy.NO_MEMORY -> {
                    stats.errors.increment();
                    yield new PageFaultResult.Error("host out of memory for partition-scoped tables");
                }
                default -> {
                    stats.retriesInvalidation.increment();
                    yield new PageFaultResult.Resume(PageFaultResult.Reason.RETRY_INVALIDATION);
                }
            };
        } finally {
            if (page != null) phys.put(page.pfn());
        }
    }

    /** A large page may map gpa if host and guest addresses are congruent and the slot covers it whole. */
    private static boolean largePageFits(MemorySlot slot, long gpa, long hva, int shift) {
        long size = 1L << shift;
        if (((gpa ^ hva) & (size - 1)) != 0) return false;
        long start = gpa & -size;
        return start >= slot.baseGpa() && start + size <= slot.baseGpa() + slot.size();
    }

    /** Not a walk status: the insert was abandoned because an invalidation ran. */
    private static final int RETRY_SEQ = RadixMapPolicy.FIRST_USER_STATUS;

    /**
     * Installs {@code pte} for {@code gpa} at {@code level}, checking the notifier sequence under
     * the MMU lock (KVM's kvmppc_create_pte). Missing tables come from {@code cache}, topped up
     * before the lock is taken, as KVM tops up its vCPU's memory cache: nothing is allocated
     * under the lock.
     */
    private int insert(MemorySlot slot, long pte, long gpa, int level, long mmuSeq, MemoryCache cache) {
        // A short cache (the host nearly out of memory) fails only an insert that needs a table.
        cache.topUp(MAX_NEW_TABLES);
        mmuLock.lock();
        try {
            if (mmuLock.mustRetry(mmuSeq)) return RETRY_SEQ;
            if (slot != vm.memslots().find(gpa >>> PageSizes.SHIFT_4K)) {
                return RETRY_SEQ; // the slot changed under us (deleted or moved)
            }
            installer.cache = cache;
            installer.slot = slot;
            return mapPolicy.map(lockedWalk, rootDword, gpa, reader, level, pte);
        } finally {
            installer.cache = null;
            installer.slot = null;
            mmuLock.unlock();
        }
    }

    /**
     * This MMU's side of the map policy for the insert in progress: table pages come from the
     * faulting vCPU's cache, and a leaf broken to make room for another page is invalidated with
     * its own page size, its C bit carried into the slot's dirty log.
     */
    private final class Installer implements RadixMapPolicy.TableSource, RadixMapPolicy.BreakListener {
        MemoryCache cache;
        MemorySlot slot;

        @Override
        public long take(int nls) {
            long table = nls == 9 ? cache.take() : -1;
            if (table >= 0) stats.tablesAllocated.increment();
            return table;
        }

        @Override
        public void broken(long gpa, int pageShift, long old) {
            invalidatePage(gpa, pageShift);
            if (RadixEntry.changed(old)) markDirty(slot, gpa, pageShift);
        }
    }

    /** Dirty entries a harvest invalidates one by one; more, and it flushes the whole partition once. */
    static final int DIRTY_LOG_PAGE_FLUSHES = 64;

    private void invalidatePage(long gpa, int pageShift) {
        stats.tlbies.increment();
        host.tlbDomain().invalidatePartitionScopedPage(lpid, gpa, pageShift);
    }

    /** Carries a C bit into the slot's dirty log: every small page of a large mapping. */
    private static void markDirty(MemorySlot slot, long gpa, int pageShift) {
        if (slot == null || slot.dirtyBitmap() == null) return;
        long first = (gpa & -(1L << pageShift)) >>> PageSizes.SHIFT_4K;
        long count = 1L << (pageShift - PageSizes.SHIFT_4K);
        long lo = Math.max(first, slot.baseGfn());
        long hi = Math.min(first + count, slot.baseGfn() + slot.pages());
        if (lo < hi) slot.dirtyBitmap().markRange(lo - slot.baseGfn(), hi - lo);
    }

    // ------------------------------------------------------------------ notifier handlers

    /** Visits every present leaf covering any part of {@code [startGfn, endGfn)}, in one descent of the tree. */
    private void walkLeaves(long startGfn, long endGfn, LeafAction action) {
        RadixRangeWalker.walk(rootDword, startGfn << PageSizes.SHIFT_4K, endGfn << PageSizes.SHIFT_4K, reader, lockedWalk,
                action);
    }

    /** A range walk that only looks at leaves. */
    @FunctionalInterface
    private interface LeafAction extends RadixRangeWalker.Visitor {
        void apply(long entryAddress, long pte, long gpa, int pageShift);

        @Override
        default void leaf(long entryAddress, long entry, long address, int pageShift) {
            apply(entryAddress, entry, address, pageShift);
        }
    }

    /**
     * Removes the translations of a range: the whole PTE is cleared (not just V, which left stale
     * large-page state behind in older kernels), the TLB invalidated with the mapping's own page
     * size, and a set C bit carried into the dirty log.
     */
    @Override
    public void unmapGfnRange(MemorySlot slot, long start, long end) {
        walkLeaves(start, end, (entryAddress, pte, gpa, shift) -> {
            phys.writeLongBERelease(entryAddress, 0);
            invalidatePage(gpa, shift);
            stats.unmapped.increment();
            if (RadixEntry.changed(pte)) markDirty(slot, gpa, shift);
        });
    }

    @Override
    public boolean ageGfnRange(MemorySlot slot, long start, long end) {
        boolean[] young = {false};
        walkLeaves(start, end, (entryAddress, pte, gpa, shift) -> {
            if (RadixEntry.referenced(pte)) {
                young[0] = true;
                phys.writeLongBERelease(entryAddress, pte & ~RadixEntry.REFERENCE);
                // Without this, a TLB entry would hide the next access and the page would look idle.
                invalidatePage(gpa, shift);
            }
        });
        return young[0];
    }

    @Override
    public boolean testAgeGfn(MemorySlot slot, long gfn) {
        return findPte(gfn << PageSizes.SHIFT_4K) && RadixEntry.referenced(lockedWalk.entry);
    }

    @Override
    public void changePte(MemorySlot slot, long gfn, long newHostPte) {
        // The page moved: drop the old translation; the next guest access faults the new one in.
        unmapGfnRange(slot, gfn, gfn + 1);
    }

    /**
     * Dirty logging switched on for a slot: its large mappings go (their C bits carried into the
     * new log), so that every page faults back in at 4K and is logged on its own (KVM's radix
     * flush of the memslot when KVM_MEM_LOG_DIRTY_PAGES is set).
     */
    @Override
    public void commitMemoryRegion(MemslotTable.Change change, MemorySlot old, MemorySlot now) {
        if (change == MemslotTable.Change.FLAGS_ONLY && now != null && now.dirtyBitmap() != null
                && (old == null || old.dirtyBitmap() == null)) {
            flushMemslot(now);
        }
    }

    @Override
    public void flushMemslot(MemorySlot slot) {
        mmuLock.lock();
        try {
            unmapGfnRange(slot, slot.baseGfn(), slot.baseGfn() + slot.pages());
        } finally {
            mmuLock.unlock();
        }
    }

    /**
     * KVM_GET_DIRTY_LOG for a radix guest: every mapping whose C bit is set, clearing C (with a
     * tlbie, so the next store sets it again through a set-R/C fault), then the dirty bits saved
     * when pages were unmapped. A large mapping dirties all of its small pages.
     */
    @Override
    public void getDirtyLog(MemorySlot slot, long[] map) {
        mmuLock.lock();
        try {
            // Up to DIRTY_LOG_PAGE_FLUSHES entries are invalidated one by one; beyond that the C
            // bits are cleared first and the partition flushed once at the end, still under the
            // lock and before the log is returned, as KVM flushes its remote TLBs once per
            // harvest: each invalidation is a broadcast every running vCPU must answer, which made
            // a harvest of a busy guest cost a broadcast per dirty page. A store through a
            // translation cached before the flush reaches a page this harvest already names, and
            // the caller copies the page only after the harvest returns.
            long[] cleared = new long[DIRTY_LOG_PAGE_FLUSHES];
            int[] n = {0};
            walkLeaves(slot.baseGfn(), slot.baseGfn() + slot.pages(), (entryAddress, pte, gpa, shift) -> {
                if (!RadixEntry.changed(pte)) return;
                phys.writeLongBERelease(entryAddress, pte & ~RadixEntry.CHANGE);
                if (n[0] < cleared.length) cleared[n[0]] = gpa | shift;
                n[0]++;
                long first = Math.max(gpa >>> PageSizes.SHIFT_4K, slot.baseGfn()) - slot.baseGfn();
                long last = Math.min((gpa + (1L << shift)) >>> PageSizes.SHIFT_4K, slot.baseGfn() + slot.pages()) - slot.baseGfn();
                for (long p = first; p < last; p++) map[(int) (p >>> 6)] |= 1L << (p & 63);
            });
            if (n[0] > cleared.length) {
                stats.tlbies.increment();
                host.tlbDomain().invalidatePartition(lpid);
            } else {
                for (int i = 0; i < n[0]; i++) invalidatePage(cleared[i] & ~0xFFFL, (int) (cleared[i] & 0xFFF));
            }
        } finally {
            mmuLock.unlock();
        }
        // The saved bits last, as KVM does: a mapping unmapped while the walk ran (reclaim,
        // migration) carried its C bit into the bitmap, and is taken here. Harvested first, the
        // bitmap would miss a C bit carried in after it and before the walk reached the entry.
        for (int i = 0; i < map.length; i++) map[i] |= slot.dirtyBitmap().getAndClearWord(i);
    }

    // ------------------------------------------------------------------ teardown

    /** Table pages in the tree now, the root included (for leak checks). */
    public long tablePages() {
        mmuLock.lock();
        try {
            return 16 + tables(false);
        } finally {
            mmuLock.unlock();
        }
    }

    /**
     * Counts the table pages below the root and, with {@code free}, frees each after its own
     * entries were visited (post-order), clearing the directory entry that pointed at it.
     */
    private long tables(boolean free) {
        long[] n = {0};
        RadixRangeWalker.walk(rootDword, 0, Long.MAX_VALUE, reader, lockedWalk, new RadixRangeWalker.Visitor() {
            @Override
            public boolean table(long entryAddress, long entry, long address, int shift) {
                if (shift > PageSizes.SHIFT_2M) return true;
                // A table of 4K leaves: nothing below it to count or free first.
                tableDone(entryAddress, entry, address, shift);
                return false;
            }

            @Override
            public void tableDone(long entryAddress, long entry, long address, int shift) {
                n[0]++;
                if (free) {
                    phys.writeLongBERelease(entryAddress, 0);
                    phys.put(RadixEntry.nlb(entry) >>> PageSizes.SHIFT_4K);
                    stats.tablesFreed.increment();
                }
            }
        });
        return n[0];
    }

    @Override
    public void destroy() {
        mmuLock.lock();
        try {
            if (destroyed) return;
            destroyed = true;
            host.writePartitionTableEntry(lpid, 0, 0);
            tables(true);
            phys.put(rootPfn);
            host.freeLpid(lpid);
        } finally {
            mmuLock.unlock();
        }
    }
}
