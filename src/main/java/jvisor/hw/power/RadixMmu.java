package jvisor.hw.power;

import jvisor.memory.RealMemory;

/**
 * A POWER9 core's radix MMU: a {@link RadixTlb} in front of the {@link RadixTranslator} (and, for
 * a miss in a large page a walk already translated, its {@link RadixLargePages} block), plus the
 * core's side of tlbie/tlbiel. One per core, used by the core's thread; other cores reach it only
 * through {@link #invalidateLocal} (via the {@link RadixTlbDomain}).
 *
 * <p>A TLB hit costs one volatile read, one array probe and a permission test, and neither
 * allocates nor throws. A hit whose cached permissions do not allow the access is treated as a
 * miss, so the tables are read again before any fault is reported: a permission upgrade or an R/C
 * update in memory is honoured without a tlbie.
 *
 * <p>The cached PATE and PRTE live as long as the TLB generation and are keyed by LPID and PID:
 * writes to LPIDR and PTCR ({@link #contextChanged}) flush everything, as QEMU does, and so does
 * every tlbie reaching this core; RIC=2 is therefore honoured and the other forms drop a little
 * more than they must. A write to PIDR ({@link #processIdChanged}) drops only the entries of the
 * old process, so the operating system's own translations (quadrant 3) survive a context switch
 * as they do in the hardware's PID-tagged TLB.
 */
public final class RadixMmu implements Mmu {
    private final MmuRegisters registers;
    private final RealMemory memory;
    private final RadixTlbDomain domain;
    private final RadixTlb tlb = new RadixTlb();
    private final RadixLargePages largePages = new RadixLargePages();
    private final RadixTranslator translator;

    /**
     * @param domain the machine's tlbie domain, which this MMU joins; null for a core alone
     */
    public RadixMmu(MmuRegisters registers, RealMemory memory, RadixTlbDomain domain) {
        this.registers = registers;
        this.memory = memory;
        this.domain = domain;
        this.translator = new RadixTranslator(registers, memory);
        if (domain != null) {
            domain.join(this);
        }
    }

    public MmuRegisters registers() {
        return registers;
    }

    public RealMemory memory() {
        return memory;
    }

    @Override
    public long translate(long ea, int access, long msr) {
        RadixTlb t = tlb;
        int generation = t.generation;
        boolean relocate = (msr & (access == FETCH ? Msr.IR : Msr.DR)) != 0;
        if (!relocate && (msr & Msr.HV) != 0) {
            return ea & RadixTranslator.HV_REAL_MODE_MASK;
        }
        long tag = RadixTlb.tag(ea, msr, relocate);
        int i = RadixTlb.index(ea);
        if (t.tag[i] == tag && allows(t.granted[i], access)) {
            return t.host[i] | (ea & 0xFFF);
        }
        return miss(ea, access, msr, generation, tag, i);
    }

    /**
     * Whether a cached translation that grants {@code granted} may serve {@code access}: the
     * access is among them, and AMR/IAMR key 0 is asked where the grant says it must be (its
     * registers change without a flush). A cached translation that may not goes to the walk.
     */
    private boolean allows(int granted, int access) {
        return (granted & (1 << access)) != 0
                && ((granted & RadixPermissions.KEY0) == 0 || RadixPermissions.key0Allows(access, registers.amr, registers.iamr));
    }

    private long misses;

    /** TLB misses so far (translations that needed a walk). */
    public long misses() {
        return misses;
    }

    /** Refills from large pages (walks the TLB misses did not need). */
    public long largePageRefills() {
        return largePages.refills;
    }

    private long miss(long ea, int access, long msr, int generation, long tag, int i) {
        int block = largePages.find(ea, tag, generation);
        if (block >= 0 && allows(largePages.granted(block), access)) {
            return largePages.refill(block, tlb, ea, tag, i, generation);
        }
        misses++;
        RadixTranslator x = translator;
        x.nestedCacheGeneration(tlb.partitionGeneration);
        long ra = x.translate(ea, access, msr, null, true, generation);
        if (ra < 0) {
            return -1;
        }
        if (tables != null && x.pid >= 0) {
            // Registered before it is cached; with other cores, a first registration makes them
            // pass an instruction boundary and the walk is made again (see ProcessTableWatch).
            boolean others = domain != null && domain.size() > 1;
            for (int tries = 0; tables.register(x, ea, others); tries++) {
                domain.synchronize();
                tables.settle();
                if (tries == 3) {
                    tables.distrust(); // tables that keep changing under the walks
                    break;
                }
                ra = x.translate(ea, access, msr, null, true, generation);
                if (ra < 0) {
                    return -1;
                }
            }
        }
        long offset = ea & 0xFFF;
        tlb.insert(generation, i, tag, ra - offset, x.granted,
                x.partitionScoped ? x.guestRealAddress - offset : -1,
                x.lpid, x.pid, x.processPageShift, x.partitionPageShift);
        largePages.remember(ea, tag, x, generation);
        return ra;
    }

    private ProcessTableWatch.View tables;

    /** Keeps track of the guest tables this MMU's translations are read from, in {@code watch}. */
    public void watchTables(ProcessTableWatch watch) {
        tables = watch == null ? null : watch.new View();
    }

    @Override
    public ProcessTableWatch.View tables() {
        return tables;
    }

    @Override
    public TranslationFault fault() {
        return translator.fault();
    }

    @Override
    public void contextChanged() {
        tlb.flushAll();
    }

    @Override
    public void processIdChanged(long pid) {
        long current = pid & 0xFFFF_FFFFL; // the translation uses PIDR's low word
        tlb.dropOtherProcesses(current);
        largePages.dropOtherProcesses(current);
    }

    /**
     * Translates with no TLB and no cached table entries, telling {@code listener} of every table
     * read: the full walk, for {@code jvisor walk} and for tests. Leaves the TLB untouched.
     * Returns the host real address, or -1 with the fault in {@link #fault()}.
     */
    public long explain(long ea, int access, long msr, RadixWalkListener listener) {
        return translator.translate(ea, access, msr, listener);
    }

    /** Details of the last translation made by {@link #explain} or by a TLB miss. */
    public RadixTranslator lastTranslation() {
        return translator;
    }

    /** Executes tlbie: checks it, then invalidates every TLB of the domain. */
    public int tlbie(int instruction, long rs, long rb, long msr) {
        return execute(instruction, rs, rb, msr, false);
    }

    /** Executes tlbiel: checks it, then invalidates this core's TLB only. */
    public int tlbiel(int instruction, long rs, long rb, long msr) {
        return execute(instruction, rs, rb, msr, true);
    }

    /**
     * Privilege before form: problem state gets the privileged-instruction program interrupt; a
     * guest (MSR[HV]=0) may issue only process-scoped invalidations, and tlbie only with
     * LPCR[GTSE]=1, else the hypervisor emulates; an invalid form is an illegal instruction. A
     * guest's invalidation applies to its own LPID (LPIDR), whatever RS says. R=0 (hashed page
     * table forms) has nothing to invalidate in a radix TLB.
     */
    private int execute(int instruction, long rs, long rb, long msr, boolean local) {
        if ((msr & Msr.PR) != 0) {
            return Tlbie.PRIVILEGED;
        }
        Tlbie t = Tlbie.decode(instruction, rs, rb);
        boolean hv = (msr & Msr.HV) != 0;
        if (local && !t.radix()) {
            // A hashed-page-table tlbiel: a guest may issue it (hash guests flush locally this
            // way, and QEMU's pseries lets it), and a radix TLB holds nothing it names.
            return Tlbie.OK;
        }
        if (!hv && (!t.processScoped() || (!local && (registers.lpcr & Lpcr.GTSE) == 0))) {
            return Tlbie.HYPERVISOR_EMULATION;
        }
        if (!Tlbie.validForm(t.ric(), t.processScoped(), t.is())) {
            return Tlbie.ILLEGAL_FORM;
        }
        if (!t.radix()) {
            return Tlbie.OK;
        }
        if (!hv) {
            t = new Tlbie(t.ric(), t.processScoped(), t.radix(), t.is(), t.epn(), t.pageShift(),
                    registers.lpidr & 0xFFFFFFFFL, t.pid());
        }
        if (local || domain == null) {
            invalidateLocal(t);
        } else {
            domain.broadcast(t);
        }
        return Tlbie.OK;
    }

    /** Applies an invalidation to this core's TLB and cached table entries; callable from any thread. */
    public void invalidateLocal(Tlbie t) {
        tlb.invalidate(t);
    }

    /** Valid TLB entries (for tests and statistics). */
    public int tlbEntries() {
        return tlb.validEntries();
    }
}
