package jvisor.hw.power.cpu;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import jvisor.hw.power.InterruptVector;
import jvisor.hw.power.Mmu;
import jvisor.hw.power.MmuRegisters;
import jvisor.hw.power.Msr;
import jvisor.hw.power.TlbControl;
import jvisor.hw.power.Tlbie;
import jvisor.hw.power.TranslationFault;
import jvisor.memory.RealMemory;

/**
 * One POWER9 hardware thread running a pseries guest (MSR[HV] is always 0).
 *
 * <p>The hypervisor calls {@link #run(long)}, which executes guest instructions until an
 * {@link Exit} condition, and reads or writes the architected state in between, exactly as KVM's
 * run loop does with a vcpu. Everything a guest can do, including executing garbage, ends either in
 * an architected interrupt delivered to the guest or in an exit; nothing throws.
 *
 * <p>Its parts: the run loop is here; the fetch cache ({@link FetchCache}), the load/store unit
 * with the data translation cache ({@link LoadStoreUnit}), interrupt entry ({@link Interrupts}),
 * the requests of other threads ({@link CoreRequests}) and the decrementer ({@link Decrementer})
 * each have their own class. Both translation caches are dropped on every event that can change
 * a translation (context SPR writes, tlbie/tlbiel/slbia, a remote flush request); MSR changes
 * need no flush because the mode is part of their tags.
 *
 * <p>Instruction bodies signal a fault by returning {@link #INTERRUPT} or {@link #EXIT} after
 * setting up the interrupt or exit; loads and stores that fault set {@link #trap} and the body
 * returns it before touching any register.
 *
 * <p>Not thread-safe except for the methods documented as callable from other threads
 * ({@link #setExternalInterrupt}, {@link #requestExit}, {@link #requestTranslationFlush},
 * {@link #requestSystemReset}).
 */
public final class Core {
    /** Instruction body results. */
    static final int OK = 0, INTERRUPT = 1, EXIT = 2;

    /** Processor version: POWER9 DD2.2 as QEMU's pseries POWER9 reports it. */
    public static final long PVR_POWER9 = 0x004E_1202L;

    /**
     * Most instructions the interpreter runs between event checks. Requests from other threads
     * (external interrupts, IPIs, flushes) are seen at the next check through attention, and an
     * instruction that makes an interrupt due (a DEC write, EE turned on) raises attention too,
     * which the next instruction sees;
     * the poll is what notices the decrementer going negative, for which it reads the host's
     * clock. At 256, those reads were 1.9% of a cold Linux boot's vCPU time. Translated code
     * polls every {@link #COMPILED_SLICE} at most, so the decrementer's interrupt may come a few
     * microseconds after it went negative either way. Cold Linux boots (8 pairs), 256 -> 1024:
     * wall 0.98, processor time 0.98; 4096 measured the same as 1024.
     */
    private static final int POLL_INTERVAL = 1024;
    /**
     * Most instructions a compiled region may run per entry. Leaving a region costs a return to the
     * dispatcher and an event check, so regions get a longer slice than the interpreter's poll
     * interval; a request from another thread waits at most that long (regions do not read
     * attention: see RegionCompiler).
     */
    private static final int COMPILED_SLICE = 4096;
    /**
     * One entry in this many to translated code gets a short allowance: the region's own
     * instruction count and 0 to {@link #SHORT_SLICE_EXTRA} - 1 more, so that it stops at a loop
     * head some way along its path. A region whose entries seldom run out of their slice would
     * otherwise reach HotSpot's C2 with its loop heads' stop branch never taken, compiled as a trap
     * that throws the code away the first time it is, once per loop head.
     */
    private static final int SHORT_SLICE_EVERY = 1024;
    static final int SHORT_SLICE_EXTRA = 64;

    // ---- wiring ----
    final RealMemory memory;
    final Mmu mmu;
    final MmuRegisters mmuRegs;
    final TlbControl tlb;
    final TimeSource time;
    final ReservationMonitor reservations;
    final DecodeCache decodeCache;
    final int slot;
    /** The partition-scoped fault that ended the last run with {@link Exit#HDSI} or {@link Exit#HISI}. */
    TranslationFault.PartitionScoped hypervisorFault;
    /** Data accesses and the data translation cache. */
    final LoadStoreUnit lsu;
    /** What happens to the cached translations when translations change. */
    final CachedTranslations translations;
    /** Interrupt entry. */
    final Interrupts interrupts = new Interrupts(this);

    // ---- architected state ----
    /** The GPRs; with the native tier on, its state after them ({@link NativeTier#STATE_LENGTH}). */
    long[] gpr = new long[32];
    /** FPRs, VRs and VSRs, FPSCR, VSCR. */
    final VectorScalarRegisters vs = new VectorScalarRegisters();
    int cr;
    int so, ov, ca, ov32, ca32;
    int xerBytes;
    /** XER bits 32:63 other than SO, OV, CA, OV32, CA32 and the byte count: reserved, read back as written. */
    int xerReserved;
    long lr, ctr;
    long pc;
    long msr;
    long srr0, srr1, dar, dsisr;
    long hsrr0, hsrr1, hdsisr, hdar, asdr, heir;
    long pir;
    long amor = -1L;
    /** Backing store for the SPRs that are plain storage; indexed by SPR number. */
    final long[] sprs = new long[1024];
    final Decrementer dec;

    // ---- reservation ----
    boolean resValid;
    long resAddr, resDw0, resDw1;
    int resLen;

    // ---- derived from MSR ----
    long addrMask = 0xFFFF_FFFFL;
    boolean le, tracing;

    // ---- execution bookkeeping ----
    long cia;
    int trap;
    int exitReason;
    /** 1 when the run loop's last call ended in an exit, which its poll test takes ({@link #serviceEvents}). */
    private int exitDue;
    String exitMessage = "";
    /** Instructions executed before the current {@link #run} (brought up to date when it returns). */
    long instructions;
    /**
     * Something another thread asked for, an interrupt line rose, or an instruction made events
     * due (MSR[EE] on, a decrementer write): the run loop services events before the next
     * instruction. Compiled loops check it too.
     */
    volatile boolean attention;
    /** {@code sc} exits to the hypervisor ({@link Exit#SYSTEM_CALL}) instead of interrupting the guest. */
    boolean interceptSystemCalls;

    // ---- a debugger's breakpoints and watchpoints (null: none, and then they cost nothing) ----
    DebugPoints debug;
    DebugPoints.Hit debugHit;
    /** Asynchronous interrupts wait while a debugger single-steps ({@link #step()}). */
    private boolean holdInterrupts;

    public void setInterceptSystemCalls(boolean intercept) {
        interceptSystemCalls = intercept;
    }

    // ---- translation of hot code to JVM bytecode ----
    private static final boolean JIT_DEFAULT = Boolean.parseBoolean(System.getProperty("jvisor.jit", "true"));
    private boolean jit = JIT_DEFAULT;
    /** When code is translated, and translated again for C2. */
    private final Tiering tiering;
    /** Instructions translated code executed ({@link #translatedInstructions}). */
    private long translated;
    /** Times the run loop entered translated code and it ran ({@link #regionEntries}). */
    private long regionEntries;
    /** Allowance a compiled region hands back ({@link CompiledRegion#run}). */
    long jitLeft;
    /** Set by a compiled region that stopped at a load or store missing the data translation cache. */
    boolean stepOnce;

    /** Turns translation of hot guest code on or off (default: the system property jvisor.jit). */
    public void setJit(boolean enabled) {
        jit = enabled;
    }

    /** This core's side of the native tier (x86-64 blocks of warm code, {@link NativeTier}): its switch and counts. */
    final NativeCore natives = new NativeCore(this);
    public NativeCore natives() {
        return natives;
    }

    /** When this core's code is translated (its thresholds), and what its quick translations ran. */
    Tiering tiering() {
        return tiering;
    }

    private volatile boolean externalLevel;
    /** What other threads ask of this core. */
    final CoreRequests requests = new CoreRequests(this);

    final FetchCache fetch = new FetchCache(this::fetchChanged);

    /**
     * The fetch cache changed (a flush, a new fetch mode, a page let go): a straight-line run stops
     * before its next instruction and the run loop looks the page up again. A plain write: only
     * this core's thread changes its fetch cache, and the run reads attention plainly too.
     */
    private void fetchChanged() {
        ATTENTION.set(this, true);
    }

    /**
     * @param memory       the machine's real memory (host real addresses the MMU returns)
     * @param mmu          translation for fetches, loads and stores
     * @param mmuRegisters the translation SPRs this core owns (LPIDR, PIDR, PTCR, LPCR, AMR, IAMR)
     * @param tlb          where tlbie/tlbiel/slbia go
     * @param time         the machine's timebase
     * @param reservations the machine's reservation monitor
     * @param decodeCache  the machine's decoded-instruction cache
     * @param pir          processor identification (the thread's interrupt server number)
     */
    public Core(RealMemory memory, Mmu mmu, MmuRegisters mmuRegisters, TlbControl tlb, TimeSource time,
                ReservationMonitor reservations, DecodeCache decodeCache, int pir) {
        this.memory = memory;
        this.mmu = mmu;
        this.mmuRegs = mmuRegisters;
        this.tlb = tlb;
        this.time = time;
        this.reservations = reservations;
        this.decodeCache = decodeCache;
        this.slot = reservations.register();
        this.pir = pir;
        this.translations = new CachedTranslations(this, mmu, decodeCache);
        this.lsu = new LoadStoreUnit(this);
        this.tiering = new Tiering(memory, decodeCache, fetch);
        this.dec = new Decrementer(time);
        sprs[Spr.PPR] = 4L << 50; // medium priority, the architected reset value
        sprs[Spr.CTRL] = 1;       // run latch on
        translations.flushAll();
        applyMsr(Msr.ME);
        natives.enableByDefault();
    }

    // =====================================================================================
    // Run loop
    // =====================================================================================

    /**
     * Runs guest instructions until an exit. Returns an {@link Exit} code; at most
     * {@code maxInstructions} instructions are executed (or attempted, when they fault).
     */
    public int run(long maxInstructions) {
        Core outer = requests.enter();
        natives.enter();
        try {
            return runGuest(maxInstructions);
        } finally {
            natives.leave();
            requests.leave(outer);
        }
    }

    /**
     * The run loop. The budget and the event-poll countdown live in locals, and the instruction
     * count is settled from the budget on the way out: the dispatcher's calls would otherwise make
     * HotSpot store and reload them for every instruction.
     */
    private int runGuest(long maxInstructions) {
        long budget = maxInstructions;
        int poll = 0;
        stepOnce = false;
        trap = 0;
        exitDue = 0;
        pc &= addrMask;
        // Whether the instruction at pc starts a run of interpretation (a branch target, an
        // interrupt vector, the first instruction): only those are counted toward translation.
        // Nonzero for yes: ints, so that what makes a head is or-ed in with no test (see StraightLineRun).
        int head = 1, counted = 0;
        try {
            while (true) {
                // Not short-circuit: one test, taken every poll interval, rather than a second one
                // for attention alone that HotSpot would compile as never taken.
                if (--poll < 0 | attention) {
                    poll = POLL_INTERVAL;
                    int r = serviceEvents();
                    // An interrupt taken (r INTERRUPT; OK is 0) starts a run at its vector. With no
                    // test: one HotSpot compiled before the guest's first interrupt would deoptimize.
                    trap = 0;
                    head |= r;
                    if (r == EXIT) {
                        return exitReason;
                    }
                }
                if (budget <= 0) {
                    return finish(Exit.INSTRUCTION_LIMIT, "");
                }
                long at = pc;
                DecodePage page = fetch.lookup(at);
                if (page == null) {
                    page = fetchMiss(at);
                    if (page == null) {
                        budget--;
                        int r = trap;
                        trap = 0;
                        head = 1;
                        if (r == EXIT) {
                            return exitReason;
                        }
                        continue;
                    }
                }
                int s = (int) (at & 0xFFF) >>> 2;
                CompiledRegion[] regions = page.regions;
                boolean jit = this.jit;
                if (stepOnce) {
                    // A translated access missed the data translation cache: the interpreter performs it.
                    stepOnce = false;
                } else if (jit && !tracing) {
                    CompiledRegion region = regions == null ? null : regions[s];
                    if (region != null) {
                        // A page run in both modes keeps the translation for the first; the other
                        // interprets, as does a budget too short for a region's every path.
                        if (region.current(page, addrMask)
                                && budget >= region.instructions) {
                            // The slice, or every SHORT_SLICE_EVERY-th entry (not a core's first) the
                            // short one, computed without a branch HotSpot could compile as never taken.
                            long shortSlice = (((regionEntries + 1) & (SHORT_SLICE_EVERY - 1)) - 1) >>> 63;
                            long extra = Tiering.shortSliceExtra(regionEntries / SHORT_SLICE_EVERY);
                            long allowance = Math.min(Math.min(budget, region.cap),
                                    COMPILED_SLICE - shortSlice * (COMPILED_SLICE - region.instructions - extra));
                            int r = region.enter(this, s, allowance);
                            long used = allowance - jitLeft;
                            // Nothing ran: the instruction is interpreted right here anyway.
                            stepOnce &= used != 0;
                            if (used != 0) {
                                budget -= used;
                                translated += used;
                                regionEntries++;
                                tiering.regionRan(page, region, used, at);
                                // Past the poll interval, events are serviced before the next
                                // instruction, and an exit taken: no test of its own, which HotSpot
                                // compiled as never true and threw the loop away at the first exit.
                                exitDue = r >>> 1;
                                poll = (poll - ((int) used - 1)) | -exitDue;
                                head = 1;
                                trap = 0;
                                continue;
                            }
                        }
                    } else {
                        counted = head;
                    }
                } else if (debug != null && debug.breaksAt(at)) {
                    cia = at;
                    debugHit = new DebugPoints.Hit(DebugPoints.BREAKPOINT, at);
                    return finish(Exit.DEBUG, "");
                }
                if (counted != 0 && natives.on && le && addrMask == -1L && page.littleEndian && debug == null) {
                    int n = natives.step(page, s, at, budget, poll);
                    if (n >= 0) {
                        budget -= n;
                        poll -= Math.max(0, n - 1);
                        // After a bail the interpreter goes on in the same run; anything else was a branch.
                        head = natives.afterBail ? 0 : 1;
                        counted = 0;
                        trap = 0;
                        exitDue = 0;
                        continue;
                    }
                }
                if (tracing) {
                    budget--;
                    int r = interpretOne(page, s, at);
                    head = 1;
                    if (r == EXIT || (r == OK && interrupts.traceAfter(lastOp) == EXIT)) {
                        return exitReason;
                    }
                    trap = 0;
                    continue;
                }
                // A straight-line run through the page (see straight): at most to the page's end,
                // the budget, and the next poll, each instruction counting against the last two.
                int allowed = (int) Math.min(Math.min(budget, (long) poll + 1), DecodePage.SLOTS - s);
                boolean step = natives.afterBail && NativeTier.RESUME;
                if (step) {
                    // A native block stopped before this instruction: interpreted alone, and
                    // the next one may start a block.
                    allowed = 1;
                }
                int run = StraightLineRun.run(this, page, jit, s, at, allowed);
                int done = (run >>> StraightLineRun.RUN_SHIFT) - s;
                natives.afterBail = false;
                if (counted != 0) {
                    counted = 0;
                    tiering.ran(page, s, done, addrMask);
                }
                budget -= done;
                int how = run & StraightLineRun.RUN_HOW;
                head = how | (step ? 1 : 0); // RUN_ON is 0
                trap = 0;
                exitDue = how & (how >>> 1); // RUN_EXIT, 3, alone has both bits
                poll = (poll - (done - 1)) | -exitDue;
            }
        } finally {
            instructions += maxInstructions - budget;
        }
    }

    // What a straight-line run (StraightLineRun) keeps between its instructions beside the slot:
    // fields of the core, written once per run. HotSpot's compiled code keeps no value in a
    // register across a call, and each instruction is a call of the dispatcher: as locals, these
    // were stored to the stack and loaded back around every instruction (10 stores and 13 loads;
    // the loop is now 56 host instructions an instruction where it was 80). On the core, which
    // the loop holds anyway, they cost it no second object to keep across each call.
    DecodePage runPage;
    long[] runEntries;
    /** {@link DecodePage#ENTERED} while translation is on (the run stops before such a slot), else 0. */
    long runEntered;
    /** The slot the run stops before: at most the page's end. */
    int runEnd;

    /**
     * {@link #attention} read as a plain field, in the straight-line loop: an instruction that makes
     * an interrupt due sets it on this thread, and the next instruction must see that; a request from
     * another thread waits for the loop's end (at most the poll interval) and the run loop's volatile
     * read. A volatile read at every instruction was a barrier HotSpot moves no access across.
     */
    static final VarHandle ATTENTION;
    /** {@link #pc} and {@link #msr} as another thread samples them ({@link #sampledPc}). */
    private static final VarHandle PC, MSR;

    static {
        try {
            ATTENTION = MethodHandles.lookup().findVarHandle(Core.class, "attention", boolean.class);
            PC = MethodHandles.lookup().findVarHandle(Core.class, "pc", long.class);
            MSR = MethodHandles.lookup().findVarHandle(Core.class, "msr", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The decoded page the core fetches {@code ea} from in the current mode, or null (a fetch-cache miss): a whole region's check. */
    DecodePage fetchedPage(long ea) {
        return fetch.lookup(ea);
    }

    /** The operation of the instruction {@link #interpretOne} executed last. */
    private int lastOp;

    /** Executes the instruction at slot s of the page (address at) alone: single-stepping and tracing. */
    private int interpretOne(DecodePage page, int s, long at) {
        long entry = page.kept(s);
        if (entry == 0) {
            entry = decode(page, s, at);
        }
        lastOp = (int) (entry >>> 32);
        cia = at;
        pc = (at + 4) & addrMask;
        return Executor.execute(this, lastOp, (int) entry);
    }

    /** Decodes slot s of the page (address at); a page the decode cache let go is fetched anew next time. */
    long decode(DecodePage page, int s, long at) {
        long entry = page.decode(s, memory);
        if (page.retired) {
            fetch.forget(at);
        }
        return entry;
    }

    private int finish(int reason, String message) {
        exitReason = reason;
        exitMessage = message;
        return reason;
    }

    private int serviceEvents() {
        if (exitDue != 0) {
            exitDue = 0;
            return EXIT;
        }
        if (attention) {
            attention = false;
            int r = requests.serve();
            if (r != OK) {
                return r;
            }
        }
        return holdInterrupts ? OK : interrupts.asynchronous(externalLevel);
    }

    // =====================================================================================
    // Interrupts and exits
    // =====================================================================================

    /** Something jvisor does not implement: stop cleanly at the instruction. */
    int unimplemented(String what, int word) {
        pc = cia;
        return exit(Exit.ERROR, String.format("%s not implemented (instruction 0x%08x at 0x%x)", what, word, cia));
    }

    int exit(int reason, String message) {
        finish(reason, message);
        trap = EXIT;
        return EXIT;
    }

    // =====================================================================================
    // Fetch
    // =====================================================================================

    private DecodePage fetchMiss(long at) {
        cia = at;
        long ra = mmu.translate(at, Mmu.FETCH, msr);
        if (ra < 0) {
            interrupts.fetchFault(mmu.fault());
            return null;
        }
        long page = ra & LoadStoreUnit.PAGE_MASK;
        if (!memory.contains(page, LoadStoreUnit.PAGE)) {
            interrupts.raise(InterruptVector.MACHINE_CHECK, at, 0);
            return null;
        }
        DecodePage p = decodeCache.page(page >>> 12, le);
        fetch.fill(at, p);
        return p;
    }

    // =====================================================================================
    // Loads and stores
    // =====================================================================================

    // =====================================================================================
    // Registers
    // =====================================================================================

    void applyMsr(long v) {
        long old = msr;
        msr = v;
        if (((old ^ v) & (Msr.IR | Msr.PR | Msr.HV | Msr.SF | Msr.LE)) != 0) {
            natives.modeChanged(v); // guest addresses may lead elsewhere: the jump cache's mode
        }
        long mask = (v & Msr.SF) != 0 ? -1L : 0xFFFF_FFFFL;
        boolean trace = (v & (Msr.SE | Msr.BE)) != 0 || debug != null;
        if (mask != addrMask | trace != tracing) {
            // A straight-line run stops before the next instruction: its address is another
            // page's in the other width, and single-stepping interprets one at a time.
            attention = true;
        }
        addrMask = mask;
        le = (v & Msr.LE) != 0;
        tracing = trace;
        lsu.setMode(v);
        fetch.setMode(v);
        if ((v & Msr.EE) != 0 && (old & Msr.EE) == 0) {
            attention = true; // an interrupt held off by EE=0 is taken before the next instruction
        }
    }

    /** XER as software reads it: SO, OV, CA, OV32, CA32, the byte count and the reserved bits. */
    public long xer() {
        return ((long) so << 31) | ((long) ov << 30) | ((long) ca << 29) | ((long) ov32 << 19)
                | ((long) ca32 << 18) | xerReserved | xerBytes;
    }

    public void setXer(long v) {
        so = (int) (v >>> 31) & 1;
        ov = (int) (v >>> 30) & 1;
        ca = (int) (v >>> 29) & 1;
        ov32 = (int) (v >>> 19) & 1;
        ca32 = (int) (v >>> 18) & 1;
        xerBytes = (int) v & 0x7F;
        xerReserved = (int) v & 0x1FF3_FF80;
    }

    /** Sets CR field {@code bf} to the low four bits of {@code value4}. */
    void setCrField(int bf, int value4) {
        cr = ConditionRegister.withField(cr, bf, value4);
    }

    /** CR0 for a record form: the 64-bit result in 64-bit mode, the low word's sign in 32-bit mode. */
    void recordCr0(long result) {
        cr = ConditionRegister.withCr0(cr, result, addrMask, so);
    }

    boolean is64() {
        return (msr & Msr.SF) != 0;
    }

    boolean problemState() {
        return (msr & Msr.PR) != 0;
    }

    long timebase() {
        return time.timebase();
    }

    /** The decrementer now, sign-extended from its width: negative means the interrupt is pending. */
    public long decrementerValue() {
        return dec.read(mmuRegs.lpcr);
    }

    void setDecrementer(long v) {
        dec.write(v, mmuRegs.lpcr);
        attention = true; // one written negative interrupts before the next instruction
    }

    /** Loses this core's reservation, if any. */
    void dropReservation() {
        if (resValid) {
            resValid = false;
            reservations.release(slot);
        }
    }

    // =====================================================================================
    // Hypervisor API
    // =====================================================================================

    public long gpr(int n) {
        return gpr[n];
    }

    public void setGpr(int n, long v) {
        gpr[n] = v;
    }

    public long pc() {
        return pc;
    }

    /**
     * The instruction address as another thread sees it while this core runs (a profiler's
     * sample): the interpreter publishes each instruction's, translated code the address where
     * it was entered until it leaves. Read opaquely: whole, and never a value kept from before.
     */
    public long sampledPc() {
        return (long) PC.getOpaque(this);
    }

    /** Whether the core ran in problem state (MSR[PR], user code) when sampled, as {@link #sampledPc}. */
    public boolean sampledProblemState() {
        return ((long) MSR.getOpaque(this) & Msr.PR) != 0;
    }

    /** Sets the next instruction address; truncated to 32 bits when run starts in 32-bit mode. */
    public void setPc(long v) {
        pc = v & ~3L;
    }

    public long msr() {
        return msr;
    }

    /** Sets the MSR as the hypervisor may (any bit); the caller keeps HV=0 for a guest. */
    public void setMsr(long v) {
        applyMsr(v);
        pc &= addrMask;
    }

    public int cr() {
        return cr;
    }

    public void setCr(int v) {
        cr = v;
    }

    public long lr() {
        return lr;
    }

    public void setLr(long v) {
        lr = v;
    }

    public long ctr() {
        return ctr;
    }

    public void setCtr(long v) {
        ctr = v;
    }

    public long srr0() {
        return srr0;
    }

    public long srr1() {
        return srr1;
    }

    public long dar() {
        return dar;
    }

    public long dsisr() {
        return dsisr;
    }

    /**
     * The partition-scoped fault that ended the last run with {@link Exit#HDSI} or
     * {@link Exit#HISI}, as the MMU reported it (HDAR, HDSISR, ASDR and HSRR1 hold the same).
     */
    public TranslationFault.PartitionScoped hypervisorFault() {
        return hypervisorFault;
    }

    /** Why the last run ended, as an {@link Exit} code. */
    public int exitReason() {
        return exitReason;
    }

    public String exitMessage() {
        return exitMessage;
    }

    /** Instructions executed (or attempted) since the core was made. */
    public long instructions() {
        return instructions;
    }

    /** Of {@link #instructions()}, those translated code executed; the rest were interpreted. */
    public long translatedInstructions() {
        return translated;
    }

    /**
     * Times the run loop entered translated code that then ran: each is a way back out to the run
     * loop too, where the code went on in other translated code, the interpreter, an interrupt or an exit.
     */
    public long regionEntries() {
        return regionEntries;
    }

    /** Of {@link #translatedInstructions()}, those quick translations (C1's code) ran. */
    public long quickInstructions() {
        return tiering.quickInstructions;
    }

    /** Of {@link #regionEntries()}, those into quick translations. */
    public long quickRegionEntries() {
        return tiering.quickEntries;
    }

    /**
     * Delivers an interrupt to the guest now, as the hypervisor does when it reflects a fault
     * (a DSI after an HDSI it cannot resolve, a program interrupt after emulation assistance):
     * SRR0 = the current pc, SRR1 = MSR bits plus {@code srr1Bits}. Set DAR/DSISR first with
     * {@link #writeSpr} where the interrupt needs them.
     */
    public boolean deliverInterrupt(int vector, long srr1Bits) {
        return interrupts.reflect(vector, srr1Bits);
    }

    /** The translation SPRs; write LPCR here, then call {@link #translationRegistersChanged()}. */
    public MmuRegisters mmuRegisters() {
        return mmuRegs;
    }

    /** The hypervisor changed LPCR, LPIDR, PTCR, PIDR, AMR or IAMR directly. */
    public void translationRegistersChanged() {
        translations.contextChanged();
    }

    /** Width of the decrementer when LPCR[LD]=1 (ibm,dec-bits; 56 by default). */
    public void setDecrementerBits(int bits) {
        dec.setLargeBits(bits);
    }

    /** The vector-scalar register file (FPRs, VRs, VSRs, FPSCR, VSCR). */
    public VectorScalarRegisters vectorScalar() {
        return vs;
    }

    /**
     * Reads any SPR with hypervisor authority (no privilege checks); 0 for unknown numbers. What
     * the hardware saved at an exit (HSRR0/1, HEIR, HDAR, HDSISR, ASDR) is read here too.
     */
    public long readSpr(int n) {
        return Spr.read(this, n & 0x3FF);
    }

    /** Writes any SPR with hypervisor authority (no privilege checks). */
    public void writeSpr(int n, long v) {
        Spr.write(this, n & 0x3FF, v);
    }

    // ---- a debugger's view (between runs only) ----

    /**
     * Sets the breakpoints and watchpoints a debugger stops at (null or empty: none). While any is
     * set the core interprets every instruction, as it does under MSR[SE], so that no translated
     * region runs over a breakpoint, and watched pages stay out of its data translation cache.
     */
    public void setDebugPoints(DebugPoints points) {
        debug = points == null || points.isEmpty() ? null : points;
        tracing = (msr & (Msr.SE | Msr.BE)) != 0 || debug != null;
        translations.flushAll();
    }

    /** What the last {@link Exit#DEBUG} stopped at. */
    public DebugPoints.Hit debugHit() {
        return debugHit;
    }

    /**
     * A debugger's single step: {@code run(1)} with external and decrementer interrupts held off,
     * so that the step executes the instruction at pc rather than entering an interrupt handler
     * (a synchronous interrupt the instruction causes is still taken). Returns the exit code.
     */
    public int step() {
        holdInterrupts = true;
        try {
            return run(1);
        } finally {
            holdInterrupts = false;
        }
    }

    // ---- callable from any thread ----

    /** The level of the external interrupt line (the interrupt controller's output). */
    public void setExternalInterrupt(boolean asserted) {
        externalLevel = asserted;
        if (asserted) {
            attention = true;
        }
    }

    /** Makes the running {@link #run} return {@link Exit#INTERRUPTED} at the next instruction boundary. */
    public void requestExit() {
        requests.post(CoreRequests.EXIT);
    }

    /** Another core's tlbie (or the hypervisor) invalidated translations this core may have cached. */
    public void requestTranslationFlush() {
        requests.post(CoreRequests.FLUSH);
    }

    /** System reset (0x100) at the next instruction boundary, e.g. an NMI from the hypervisor. */
    public void requestSystemReset() {
        requests.post(CoreRequests.SYSTEM_RESET);
    }

    /**
     * Translations were invalidated (a tlbie, or the hypervisor through the TLB domain): see
     * {@link CoreRequests#flushAndWait}. A process-scoped invalidation drops only what was written
     * in the guest's tables ({@link CachedTranslations#dropWritten}), a partition-scoped one everything.
     */
    public void translationsInvalidatedAndWait(boolean processScoped) {
        requests.flushAndWait(processScoped ? CoreRequests.WRITTEN : CoreRequests.FLUSH);
    }

    /**
     * Delivers an interrupt decided by the hypervisor (a reflected storage interrupt, a machine
     * check for MMIO to nowhere, a program interrupt for an instruction it cannot emulate):
     * SRR0 is the current pc, so call it with pc at the instruction concerned. Between runs only.
     *
     * @param srr1Bits interrupt-specific SRR1 bits (MSB 33:36, 42:47)
     */
    public boolean deliverInterrupt(int vector, long srr1Bits, long dar, long dsisr) {
        if (vector == InterruptVector.DATA_STORAGE || vector == InterruptVector.MACHINE_CHECK
                || vector == InterruptVector.ALIGNMENT) {
            this.dar = dar;
            this.dsisr = dsisr & 0xFFFF_FFFFL;
        }
        return interrupts.reflect(vector, srr1Bits);
    }

    /**
     * Reflects a storage interrupt the hypervisor decided on (a DSI or ISI after a partition-scoped
     * fault it cannot resolve with a mapping) into the guest, as the MMU's own would be delivered:
     * DAR and DSISR, or the SRR1 cause bits. SRR0 is the current pc. Between runs only.
     */
    public boolean deliver(TranslationFault fault) {
        return interrupts.reflectStorage(fault);
    }
}
