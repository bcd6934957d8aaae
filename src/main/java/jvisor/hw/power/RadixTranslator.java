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
 * <p>One instance per core; not thread-safe; allocation-free.
 */
public final class RadixTranslator {
    /** MSR bits that steer translation. */
    /** EA MSB 2:11: must be zero for the 52-bit tree, else a segment interrupt. */
    public static final long EA_OUTSIDE_52_BITS = 0x3FF0000000000000L;
    /** EA without the quadrant (MSB 0:1). */
    public static final long EA_WITHOUT_QUADRANT = 0x3FFFFFFFFFFFFFFFL;
    /** Hypervisor real mode ignores EA MSB 0:3. */
    public static final long HV_REAL_MODE_MASK = 0x0FFFFFFFFFFFFFFFL;

    private static final int OK = 0, FAULT = 1, RESTART = 2;

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

    // Cached PATE and PRTE, valid while the cache generation is unchanged; tlbie RIC=2 and context
    // changes move the generation on (see RadixMmu).
    private int cacheGeneration = -1;
    private boolean pateCached, prteCached;
    private long cachedPateLpid, cachedPate0, cachedPate1;
    private long cachedPrteLpid, cachedPrtePid, cachedPrte0;

    public RadixTranslator(MmuRegisters registers, RealMemory memory) {
        this.registers = registers;
        this.memory = memory;
        this.hostReader = new HostTableReader(memory);
        this.nestedReader = new PartitionScopedTableReader(memory);
    }

    /**
     * Translates without caches of any kind, telling {@code listener} (may be null) about every
     * table read. Returns the host real address, or -1 with {@code fault} filled in.
     */
    public long translate(long ea, int access, long msr, MmuFault fault, RadixWalkListener listener) {
        return translate(ea, access, msr, fault, listener, false, 0);
    }

    /**
     * Translates, using cached PATE/PRTE values when {@code useCache} and they were cached under
     * the same {@code generation}.
     */
    public long translate(long ea, int access, long msr, MmuFault fault, RadixWalkListener listener,
                          boolean useCache, int generation) {
        if (useCache && generation != cacheGeneration) {
            pateCached = prteCached = false;
            cacheGeneration = generation;
        }
        processWalk.listener = listener;
        partitionWalk.listener = listener;
        int status = translateOnce(ea, access, msr, fault, listener, useCache, true);
        if (status == RESTART) {
            // The leaf changed between the walk and the fault: walk again, and this time report.
            status = translateOnce(ea, access, msr, fault, listener, useCache, false);
        }
        processWalk.listener = null;
        partitionWalk.listener = null;
        return status == OK ? realAddress : -1;
    }

    private int translateOnce(long ea, int access, long msr, MmuFault fault, RadixWalkListener listener,
                              boolean useCache, boolean mayRestart) {
        boolean hv = (msr & Msr.HV) != 0;
        boolean relocate = (msr & (access == Mmu.FETCH ? Msr.IR : Msr.DR)) != 0;
        if (hv && !relocate) {
            realAddress = guestRealAddress = ea & HV_REAL_MODE_MASK;
            pageShift = 12;
            granted = RadixPermissions.ALL;
            lpid = 0;
            pid = -1;
            partitionScoped = false;
            processPageShift = partitionPageShift = 0;
            return OK;
        }
        // The quadrant is decided before relocation is looked at: QEMU applies it to guest real
        // mode too, which is where a guest's real-mode EA MSB 0:1 selects (LPIDR, 0) or (LPIDR, PIDR).
        if ((ea & EA_OUTSIDE_52_BITS) != 0) {
            return segment(fault, ea, access);
        }
        long lpidr = registers.lpidr & 0xFFFFFFFFL;
        long pidr = registers.pidr & 0xFFFFFFFFL;
        long lp, pd;
        switch ((int) (ea >>> 62)) {
            case 0 -> {
                lp = hv ? 0 : lpidr;
                pd = pidr;
            }
            case 1 -> {
                if (!hv) {
                    return segment(fault, ea, access);
                }
                lp = lpidr;
                pd = pidr;
            }
            case 2 -> {
                if (!hv) {
                    return segment(fault, ea, access);
                }
                lp = lpidr;
                pd = 0;
            }
            default -> {
                lp = hv ? 0 : lpidr;
                pd = 0;
            }
        }
        lpid = lp;

        // Partition table entry (host real memory).
        long pate0, pate1;
        if (useCache && pateCached && cachedPateLpid == lp) {
            pate0 = cachedPate0;
            pate1 = cachedPate1;
        } else {
            long ptcr = registers.ptcr;
            if (lp >= Ptcr.entries(ptcr)) {
                return hypervisorStorage(fault, ea, access, Dsisr.UNSUPPORTED_RADIX, ea);
            }
            long pateAddress = Ptcr.entryAddress(ptcr, lp);
            if (!memory.contains(pateAddress, 16)) {
                return machineCheck(fault, ea, pateAddress);
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
            return hypervisorStorage(fault, ea, access, Dsisr.UNSUPPORTED_RADIX, ea);
        }
        boolean nested = !hv || lp != 0;
        partitionScoped = nested;
        TableReader reader = nested ? nestedReader.root(pate0) : hostReader;

        long gra;
        int shift;
        int grant;
        if (relocate) {
            pid = pd;
            long prte;
            if (useCache && prteCached && cachedPrteLpid == lp && cachedPrtePid == pd) {
                prte = cachedPrte0;
            } else {
                long prtb = PartitionTableEntry.prtb(pate1);
                long tableBytes = PartitionTableEntry.processTableBytes(pate1);
                if ((prtb & (tableBytes - 1)) != 0) {
                    return storage(fault, ea, access, Dsisr.UNSUPPORTED_RADIX);
                }
                if (pd >= (tableBytes >>> 4)) {
                    return storage(fault, ea, access, Dsisr.NO_TRANSLATION);
                }
                RadixWalk w = processWalk;
                w.reset(prtb + (pd << 4));
                w.stage = WalkStage.PROCESS_TABLE;
                prte = reader.readEntry(w, 0, prtb + (pd << 4));
                w.stage = WalkStage.PROCESS_SCOPED;
                if (w.readFailure != 0) {
                    return tableReadFault(fault, ea, access, w);
                }
                if (useCache) {
                    cachedPrteLpid = lp;
                    cachedPrtePid = pd;
                    cachedPrte0 = prte;
                    prteCached = true;
                }
            }
            if (prte == 0) {
                return storage(fault, ea, access, Dsisr.UNSUPPORTED_RADIX);
            }
            RadixWalk w = processWalk;
            int status = RadixTreeWalker.walk(w, prte, ea & EA_WITHOUT_QUADRANT, reader, RadixWalkVisitor.TRANSLATE);
            if (status == RadixTreeWalker.READ_FAILED) {
                return tableReadFault(fault, ea, access, w);
            }
            if (status != RadixTreeWalker.DONE) {
                return storage(fault, ea, access, RadixPermissions.causeOfWalkStatus(status));
            }
            long pte = w.entry;
            long cause = RadixPermissions.processScoped(pte, access, msr, registers.amr, registers.iamr);
            if (cause == 0 && !RadixPermissions.referenceChangeOk(pte, access)) {
                cause = Dsisr.RC_UPDATE;
            }
            if (cause != 0) {
                if (mayRestart && leafChanged(w)) {
                    return RESTART;
                }
                return storage(fault, ea, access, cause);
            }
            gra = w.result;
            shift = w.pageShift;
            processPageShift = shift;
            grant = RadixPermissions.grantedProcessScoped(pte, msr);
        } else {
            pid = -1;
            gra = ea & EA_WITHOUT_QUADRANT;
            shift = 64;
            processPageShift = 0;
            grant = RadixPermissions.ALL;
        }
        guestRealAddress = gra;

        if (nested) {
            RadixWalk w = partitionWalk;
            int status = RadixTreeWalker.walk(w, pate0, gra, hostReader, RadixWalkVisitor.TRANSLATE);
            if (status == RadixTreeWalker.READ_FAILED) {
                return machineCheck(fault, ea, w.failedAddress);
            }
            if (status != RadixTreeWalker.DONE) {
                return hypervisorStorage(fault, ea, access, RadixPermissions.causeOfWalkStatus(status), gra);
            }
            long pte = w.entry;
            long cause = RadixPermissions.partitionScoped(pte, access);
            if (cause != 0) {
                if (mayRestart && leafChanged(w)) {
                    return RESTART;
                }
                return hypervisorStorage(fault, ea, access, cause, gra);
            }
            if (!RadixPermissions.referenceChangeOk(pte, access)) {
                if (mayRestart && leafChanged(w)) {
                    return RESTART;
                }
                // With effective LPID 0 the hypervisor's own tables need R/C: a plain storage interrupt.
                return lp != 0 ? hypervisorStorage(fault, ea, access, Dsisr.RC_UPDATE, gra)
                        : storage(fault, ea, access, Dsisr.RC_UPDATE);
            }
            realAddress = w.result;
            partitionPageShift = w.pageShift;
            shift = Math.min(shift, w.pageShift);
            grant &= RadixPermissions.grantedPartitionScoped(pte);
        } else {
            realAddress = gra;
            partitionPageShift = 0;
        }
        pageShift = shift;
        granted = grant;
        return OK;
    }

    /** Architecture step 7: look at the leaf again before reporting; an upgrade needs no tlbie. */
    private boolean leafChanged(RadixWalk w) {
        long host = w.entryHostAddress;
        if (host < 0 || !memory.contains(host, 8)) {
            return false;
        }
        return memory.readLongBE(host) != w.entry;
    }

    private static int segment(MmuFault fault, long ea, int access) {
        fault.clear();
        if (access == Mmu.FETCH) {
            fault.vector = MmuFault.INSTRUCTION_SEGMENT;
        } else {
            fault.vector = MmuFault.DATA_SEGMENT;
            fault.dar = ea;
        }
        return FAULT;
    }

    /** DSI (DSISR, DAR) or ISI (SRR1 bits). */
    private static int storage(MmuFault fault, long ea, int access, long cause) {
        fault.clear();
        if (access == Mmu.FETCH) {
            fault.vector = MmuFault.ISI;
            fault.dsisr = cause;
        } else {
            fault.vector = MmuFault.DSI;
            fault.dsisr = access == Mmu.STORE ? cause | Dsisr.STORE : cause;
            fault.dar = ea;
        }
        return FAULT;
    }

    /** HDSI (HDSISR, HDAR = EA, ASDR) or HISI (HSRR1 bits, ASDR). */
    private static int hypervisorStorage(MmuFault fault, long ea, int access, long cause, long asdr) {
        fault.clear();
        if (access == Mmu.FETCH) {
            fault.vector = MmuFault.HISI;
            fault.hdsisr = cause;
        } else {
            fault.vector = MmuFault.HDSI;
            fault.hdsisr = access == Mmu.STORE ? cause | Dsisr.STORE : cause;
            fault.hdar = ea;
        }
        fault.asdr = asdr;
        return FAULT;
    }

    /**
     * A process-scoped table access failed. A partition-scoped failure is an HDSI whatever the
     * access (the table read is a load) with MSB 46 and ASDR = the table entry's guest real address;
     * an R fault on the table's page with effective LPID 0 is a plain storage interrupt.
     */
    private int tableReadFault(MmuFault fault, long ea, int access, RadixWalk w) {
        if (w.readFailure == TableReader.MACHINE_CHECK) {
            return machineCheck(fault, ea, w.failedAddress);
        }
        if (w.readCause == Dsisr.RC_UPDATE && lpid == 0) {
            return storage(fault, ea, access, Dsisr.RC_UPDATE);
        }
        fault.clear();
        fault.vector = MmuFault.HDSI;
        fault.hdsisr = w.readCause | Dsisr.TABLE_WALK;
        fault.hdar = ea;
        fault.asdr = w.failedAddress;
        return FAULT;
    }

    private static int machineCheck(MmuFault fault, long ea, long realAddress) {
        fault.clear();
        fault.vector = MmuFault.MACHINE_CHECK;
        fault.dar = ea;
        fault.realAddress = realAddress;
        return FAULT;
    }
}
