package jvisor.hw.power;

import jvisor.memory.RealMemory;

/**
 * The architected radix translation of one access, without a TLB: quadrant, partition table,
 * process table, process-scoped walk, permission and R/C checks, partition-scoped walk, and the
 * exact fault when any step fails. {@link RadixMmu} calls it on a TLB miss; {@code jvisor walk}
 * calls it with a listener to print every table read.
 *
 * <p>Which stages apply (Power ISA v3.0B, as QEMU implements it):
 * <pre>
 *                 MSR[HV]=0                         MSR[HV]=1
 *   relocation off  partition-scoped only           none: RA = EA & 0x0FFF_FFFF_FFFF_FFFF
 *   relocation on   process- and partition-scoped   process-scoped; partition-scoped too when
 *                                                   the quadrant's LPID is not 0 (quadrants 1, 2)
 * </pre>
 * Whenever the partition-scoped stage applies, the process table and every process-scoped table
 * entry are guest real addresses, each translated by a partition-scoped walk first (the 2-D walk).
 * HRMOR is taken to be 0 for hypervisor real mode. LPCR[UPRT] is not consulted (QEMU only warns).
 *
 * <p>The steps, as the ISA describes radix tree translation (Book III, storage control), each
 * its own method: quadrant ({@link #selectQuadrant}), partition table entry ({@link #partitionTableEntry}),
 * process table entry ({@link #processTableEntry}), the process-scoped walk with every table
 * pointer translated partition-scoped first ({@link #processScopedWalk}, through the nested
 * reader), the partition-scoped translation of its result ({@link #partitionScopedTranslation}),
 * each with its permission and R/C checks. A step returns null to go on or the
 * {@link TranslationFault} that ends the translation; what it found stays in fields for the next.
 *
 * <p>One instance per core; not thread-safe; a translation that succeeds does not allocate (a
 * fault allocates its record).
 */
public final class RadixTranslator {
    /** EA MSB 2:11: must be zero for the 52-bit tree, else a segment interrupt. */
    public static final long EA_OUTSIDE_52_BITS = 0x3FF0000000000000L;
    /** EA without the quadrant (MSB 0:1). */
    public static final long EA_WITHOUT_QUADRANT = 0x3FFFFFFFFFFFFFFFL;
    /** Hypervisor real mode ignores EA MSB 0:3. */
    public static final long HV_REAL_MODE_MASK = 0x0FFFFFFFFFFFFFFFL;

    private final MmuRegisters registers;
    private final RealMemory memory;
    private final HostTableReader hostReader;
    private final PartitionScopedTableReader nestedReader;
    private final RadixWalk processWalk = new RadixWalk(WalkStage.PROCESS_SCOPED);
    private final RadixWalk partitionWalk = new RadixWalk(WalkStage.PARTITION_SCOPED);

    // Results of the last successful translation.
    /** Host real address. */
    public long realAddress;
    /** Guest real address (the process-scoped result, or the EA in real mode). */
    public long guestRealAddress;
    /** log2 of the page size: the smaller of the two stages' pages. */
    public int pageShift;
    /** Accesses a cached copy may satisfy, see {@link RadixPermissions#grantedProcessScoped}. */
    public int granted;
    /** The (LPID, PID) the quadrant selected; {@code pid} is -1 when no process-scoped stage ran. */
    public long lpid, pid;
    /** Whether the partition-scoped stage applied. */
    public boolean partitionScoped;
    /** Page size of each stage (0 when the stage did not apply). */
    public int processPageShift, partitionPageShift;

    /** The fault of the last translation that returned -1. */
    private TranslationFault fault;
    /** Set by a step that found the leaf changed before it reported a fault: walk again. */
    private boolean leafChanged;

    // The translation in progress: the quadrant's PID, the partition table entry, the process
    // table entry. The other steps' results go straight into the public fields.
    private long quadrantPid;
    private long pate0, pate1;
    private long prte;
    /** Where the process table entry in use was read in host real memory. */
    private long prteHost;

    // Cached PATE and PRTE, valid while the cache generation is unchanged; tlbie RIC=2 and context
    // changes move the generation on (see RadixMmu).
    private int cacheGeneration = -1;
    private boolean pateCached, prteCached;
    private long cachedPateLpid, cachedPate0, cachedPate1;
    private long cachedPrteLpid, cachedPrtePid, cachedPrte0, cachedPrteHost;

    public RadixTranslator(MmuRegisters registers, RealMemory memory) {
        this.registers = registers;
        this.memory = memory;
        this.hostReader = new HostTableReader(memory);
        this.nestedReader = new PartitionScopedTableReader(memory);
    }

    /**
     * Translates without caches of any kind, telling {@code listener} (may be null) about every
     * table read. Returns the host real address, or -1 with the fault in {@link #fault()}.
     */
    public long translate(long ea, int access, long msr, RadixWalkListener listener) {
        return translate(ea, access, msr, listener, false, 0);
    }

    /**
     * Translates, using cached PATE/PRTE values when {@code useCache} and they were cached under
     * the same {@code generation}. Returns the host real address, or -1 with the fault in
     * {@link #fault()}.
     */
    public long translate(long ea, int access, long msr, RadixWalkListener listener,
                          boolean useCache, int generation) {
        if (useCache && generation != cacheGeneration) {
            pateCached = prteCached = false;
            cacheGeneration = generation;
        }
        processWalk.listener = listener;
        partitionWalk.listener = listener;
        leafChanged = false;
        TranslationFault f = translateOnce(ea, access, msr, listener, useCache, true);
        if (f != null && leafChanged) {
            // The leaf changed between the walk and the fault: walk again, and this time report.
            f = translateOnce(ea, access, msr, listener, useCache, false);
        }
        processWalk.listener = null;
        partitionWalk.listener = null;
        if (f != null) {
            fault = f;
            return -1;
        }
        return realAddress;
    }

    /**
     * The partition-scoped generation the next cached translation runs under: the nested walk's
     * cache of table pages is dropped when it changed (see {@link PartitionScopedTableReader}).
     */
    public void nestedCacheGeneration(int generation) {
        nestedReader.generation(generation);
    }

    /** The process-scoped walk of the last translation (what it read, level by level). */
    public RadixWalk processWalk() {
        return processWalk;
    }

    /** Where the last translation's process table entry was read in host real memory. */
    public long processTableEntryHost() {
        return prteHost;
    }

    /** The fault of the last translation that returned -1. */
    public TranslationFault fault() {
        return fault;
    }

    /**
     * One attempt, step by step. With {@code mayRestart}, a permission or R/C fault at a leaf that
     * changed meanwhile sets {@link #leafChanged} so that the caller walks again.
     */
    private TranslationFault translateOnce(long ea, int access, long msr, RadixWalkListener listener,
                                           boolean useCache, boolean mayRestart) {
        boolean hv = (msr & Msr.HV) != 0;
        boolean relocate = (msr & (access == Mmu.FETCH ? Msr.IR : Msr.DR)) != 0;
        if (hv && !relocate) {
            hypervisorRealMode(ea);
            return null;
        }
        TranslationFault f = selectQuadrant(ea, access, hv);
        if (f == null) {
            f = partitionTableEntry(ea, access, listener, useCache);
        }
        if (f != null) {
            return f;
        }
        boolean nested = !hv || lpid != 0;
        partitionScoped = nested;
        if (relocate) {
            TableReader reader = nested ? nestedReader.root(pate0, useCache && listener == null) : hostReader;
            pid = quadrantPid;
            f = processTableEntry(ea, access, reader, useCache);
            if (f == null) {
                f = processScopedWalk(ea, access, msr, reader, mayRestart);
            }
            if (f != null) {
                return f;
            }
        } else {
            guestRealMode(ea);
        }
        if (nested) {
            return partitionScopedTranslation(ea, access, mayRestart, useCache && listener == null);
        }
        realAddress = guestRealAddress;
        partitionPageShift = 0;
        return null;
    }

    /** Hypervisor real mode: no translation, EA MSB 0:3 ignored (HRMOR taken to be 0). */
    private void hypervisorRealMode(long ea) {
        realAddress = guestRealAddress = ea & HV_REAL_MODE_MASK;
        pageShift = 12;
        granted = RadixPermissions.ALL;
        lpid = 0;
        pid = -1;
        partitionScoped = false;
        processPageShift = partitionPageShift = 0;
    }

    /**
     * The quadrant (EA MSB 0:1) selects the (LPID, PID) pair; into {@link #lpid} and
     * {@link #quadrantPid}. It is decided before relocation is looked at: QEMU applies it to guest
     * real mode too, which is where a guest's real-mode EA MSB 0:1 selects (LPIDR, 0) or
     * (LPIDR, PIDR). Quadrants 1 and 2 are the hypervisor's only; EA MSB 2:11 must be 0.
     */
    private TranslationFault selectQuadrant(long ea, int access, boolean hv) {
        if ((ea & EA_OUTSIDE_52_BITS) != 0) {
            return segment(ea, access);
        }
        long lpidr = registers.lpidr & 0xFFFFFFFFL;
        long pidr = registers.pidr & 0xFFFFFFFFL;
        switch ((int) (ea >>> 62)) {
            case 0 -> {
                lpid = hv ? 0 : lpidr;
                quadrantPid = pidr;
            }
            case 1 -> {
                if (!hv) {
                    return segment(ea, access);
                }
                lpid = lpidr;
                quadrantPid = pidr;
            }
            case 2 -> {
                if (!hv) {
                    return segment(ea, access);
                }
                lpid = lpidr;
                quadrantPid = 0;
            }
            default -> {
                lpid = hv ? 0 : lpidr;
                quadrantPid = 0;
            }
        }
        return null;
    }

    /**
     * The partition table entry of {@link #lpid}, read from host real memory (or the cached copy)
     * into {@link #pate0} and {@link #pate1}. An LPID beyond the table or an entry that is not
     * radix (HR=0) is an unsupported configuration for the hypervisor.
     */
    private TranslationFault partitionTableEntry(long ea, int access, RadixWalkListener listener, boolean useCache) {
        long lp = lpid;
        if (useCache && pateCached && cachedPateLpid == lp) {
            pate0 = cachedPate0;
            pate1 = cachedPate1;
        } else {
            long ptcr = registers.ptcr;
            if (lp >= Ptcr.entries(ptcr)) {
                return hypervisorStorage(ea, access, Dsisr.UNSUPPORTED_RADIX, ea);
            }
            long pateAddress = Ptcr.entryAddress(ptcr, lp);
            if (!memory.contains(pateAddress, 16)) {
                return machineCheck(ea, access, pateAddress);
            }
            pate0 = memory.readLongBE(pateAddress);
            pate1 = memory.readLongBE(pateAddress + 8);
            if (listener != null) {
                listener.tableRead(WalkStage.PARTITION_TABLE, 0, pateAddress, pateAddress, pate0);
                listener.tableRead(WalkStage.PARTITION_TABLE, 1, pateAddress + 8, pateAddress + 8, pate1);
            }
            if (useCache) {
                cachedPateLpid = lp;
                cachedPate0 = pate0;
                cachedPate1 = pate1;
                pateCached = true;
            }
        }
        if (!PartitionTableEntry.hr(pate0)) {
            return hypervisorStorage(ea, access, Dsisr.UNSUPPORTED_RADIX, ea);
        }
        return null;
    }

    /**
     * Doubleword 0 of the process table entry of {@link #pid} (or the cached copy) into
     * {@link #prte}: the process table is at PATE dword 1's PRTB, read through {@code reader}
     * (partition-scoped first when the partition-scoped stage applies).
     */
    private TranslationFault processTableEntry(long ea, int access, TableReader reader, boolean useCache) {
        long pd = pid;
        if (useCache && prteCached && cachedPrteLpid == lpid && cachedPrtePid == pd) {
            prte = cachedPrte0;
            prteHost = cachedPrteHost;
        } else {
            long prtb = PartitionTableEntry.prtb(pate1);
            long tableBytes = PartitionTableEntry.processTableBytes(pate1);
            if ((prtb & (tableBytes - 1)) != 0) {
                return storage(ea, access, Dsisr.UNSUPPORTED_RADIX);
            }
            if (pd >= (tableBytes >>> 4)) {
                return storage(ea, access, Dsisr.NO_TRANSLATION);
            }
            RadixWalk w = processWalk;
            w.reset(prtb + (pd << 4));
            w.stage = WalkStage.PROCESS_TABLE;
            prte = reader.readEntry(w, 0, prtb + (pd << 4));
            prteHost = w.entryHostAddress;
            w.stage = WalkStage.PROCESS_SCOPED;
            if (w.readFailure != 0) {
                return tableReadFault(ea, access, w);
            }
            if (useCache) {
                cachedPrteLpid = lpid;
                cachedPrtePid = pd;
                cachedPrte0 = prte;
                cachedPrteHost = prteHost;
                prteCached = true;
            }
        }
        if (prte == 0) {
            return storage(ea, access, Dsisr.UNSUPPORTED_RADIX);
        }
        return null;
    }

    /**
     * The process-scoped walk of the tree {@link #prte} roots, every table read through
     * {@code reader} (the 2-D walk when nested), then the guest's permission and R/C checks on
     * the leaf. Leaves the guest real address, page size and grant in the public fields.
     */
    private TranslationFault processScopedWalk(long ea, int access, long msr, TableReader reader, boolean mayRestart) {
        RadixWalk w = processWalk;
        int status = RadixTreeWalker.walk(w, prte, ea & EA_WITHOUT_QUADRANT, reader, RadixWalkVisitor.TRANSLATE);
        if (status == RadixTreeWalker.READ_FAILED) {
            return tableReadFault(ea, access, w);
        }
        if (status != RadixTreeWalker.DONE) {
            return storage(ea, access, RadixPermissions.causeOfWalkStatus(status));
        }
        long pte = w.entry;
        long cause = RadixPermissions.processScoped(pte, access, msr, registers.amr, registers.iamr);
        if (cause == 0 && !RadixPermissions.referenceChangeOk(pte, access)) {
            cause = Dsisr.RC_UPDATE;
        }
        if (cause != 0) {
            leafChanged = mayRestart && leafChanged(w);
            return storage(ea, access, cause);
        }
        guestRealAddress = w.result;
        pageShift = processPageShift = w.pageShift;
        granted = RadixPermissions.grantedProcessScoped(pte, msr);
        return null;
    }

    /** Guest real mode: no process-scoped stage, the EA without its quadrant is the guest real address. */
    private void guestRealMode(long ea) {
        pid = -1;
        guestRealAddress = ea & EA_WITHOUT_QUADRANT;
        pageShift = 64;
        processPageShift = 0;
        granted = RadixPermissions.ALL;
    }

    /**
     * The partition-scoped walk of {@link #guestRealAddress} in host real memory and the
     * hypervisor's permission and R/C checks: the host real address, the smaller page size of the
     * two stages, and what both stages grant.
     */
    private TranslationFault partitionScopedTranslation(long ea, int access, boolean mayRestart, boolean useCache) {
        long gra = guestRealAddress;
        // The nested reader's cache of partition-scoped translations serves the page too (a
        // miss after the guest's own tlbie then walks only the guest's tree).
        PartitionScopedTableReader kept = nestedReader.root(pate0, useCache);
        int slot = kept.cachedSlot(gra, access);
        if (slot >= 0) {
            realAddress = kept.cachedHostPage(slot) | (gra & 0xFFF);
            partitionPageShift = kept.cachedPageShift(slot);
            pageShift = Math.min(pageShift, partitionPageShift);
            granted &= RadixPermissions.grantedPartitionScoped(kept.cachedLeaf(slot));
            return null;
        }
        RadixWalk w = partitionWalk;
        int status = RadixTreeWalker.walk(w, pate0, gra, hostReader, RadixWalkVisitor.TRANSLATE);
        if (status == RadixTreeWalker.READ_FAILED) {
            return machineCheck(ea, access, w.failedAddress);
        }
        if (status != RadixTreeWalker.DONE) {
            return hypervisorStorage(ea, access, RadixPermissions.causeOfWalkStatus(status), gra);
        }
        long pte = w.entry;
        long cause = RadixPermissions.partitionScoped(pte, access);
        if (cause != 0) {
            leafChanged = mayRestart && leafChanged(w);
            return hypervisorStorage(ea, access, cause, gra);
        }
        if (!RadixPermissions.referenceChangeOk(pte, access)) {
            leafChanged = mayRestart && leafChanged(w);
            // With effective LPID 0 the hypervisor's own tables need R/C: a plain storage interrupt.
            return lpid != 0 ? hypervisorStorage(ea, access, Dsisr.RC_UPDATE, gra)
                    : storage(ea, access, Dsisr.RC_UPDATE);
        }
        realAddress = w.result;
        partitionPageShift = w.pageShift;
        pageShift = Math.min(pageShift, w.pageShift);
        granted &= RadixPermissions.grantedPartitionScoped(pte);
        kept.keep(gra, w.result, pte, w.pageShift);
        return null;
    }

    /** Architecture step 7: look at the leaf again before reporting; an upgrade needs no tlbie. */
    private boolean leafChanged(RadixWalk w) {
        long host = w.entryHostAddress;
        if (host < 0 || !memory.contains(host, 8)) {
            return false;
        }
        return memory.readLongBE(host) != w.entry;
    }

    private static TranslationFault segment(long ea, int access) {
        return access == Mmu.FETCH ? new TranslationFault.InstructionSegment(ea) : new TranslationFault.DataSegment(ea);
    }

    /** DSI (DSISR, DAR) or ISI (SRR1 bits). */
    private static TranslationFault storage(long ea, int access, long cause) {
        if (access == Mmu.FETCH) {
            return new TranslationFault.InstructionStorage(ea, cause);
        }
        return new TranslationFault.DataStorage(ea, access == Mmu.STORE ? cause | Dsisr.STORE : cause);
    }

    /** HDSI (HDSISR, HDAR = EA, ASDR) or HISI (HSRR1 bits, ASDR). */
    private static TranslationFault hypervisorStorage(long ea, int access, long cause, long asdr) {
        if (access == Mmu.FETCH) {
            return new TranslationFault.HypervisorInstructionStorage(ea, cause, asdr);
        }
        return new TranslationFault.HypervisorDataStorage(ea, access == Mmu.STORE ? cause | Dsisr.STORE : cause, asdr);
    }

    /**
     * A process-scoped table access failed. A partition-scoped failure is an HDSI whatever the
     * access (the table read is a load) with MSB 46 and ASDR = the table entry's guest real address;
     * an R fault on the table's page with effective LPID 0 is a plain storage interrupt.
     */
    private TranslationFault tableReadFault(long ea, int access, RadixWalk w) {
        if (w.readFailure == TableReader.MACHINE_CHECK) {
            return machineCheck(ea, access, w.failedAddress);
        }
        if (w.readCause == Dsisr.RC_UPDATE && lpid == 0) {
            return storage(ea, access, Dsisr.RC_UPDATE);
        }
        return new TranslationFault.HypervisorDataStorage(ea, w.readCause | Dsisr.TABLE_WALK, w.failedAddress);
    }

    private static TranslationFault machineCheck(long ea, int access, long realAddress) {
        return new TranslationFault.MachineCheck(ea, realAddress, access != Mmu.FETCH);
    }
}
