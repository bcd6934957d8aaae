package jvisor.hw.power.cpu;

import jvisor.hw.power.Mmu;
import jvisor.hw.power.MmuFault;
import jvisor.hw.power.MmuRegisters;
import jvisor.hw.power.TlbControl;
import jvisor.memory.RealMemory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One POWER9 hardware thread running a pseries guest (MSR[HV] is always 0).
 *
 * <p>The hypervisor calls {@link #run(long)}, which executes guest instructions until an
 * {@link Exit} condition, and reads or writes the architected state in between, exactly as KVM's
 * run loop does with a vcpu. Everything a guest can do, including executing garbage, ends either in
 * an architected interrupt delivered to the guest or in an exit; nothing throws.
 *
 * <p>Hot path: the fetch goes through a small per-core cache of (effective page, mode) to decoded
 * page; loads and stores through a per-core direct-mapped cache of (effective page, mode) to host
 * real page, separate for reads and writes. The MMU is asked only on a miss. Both caches are
 * dropped on every event that can change a translation (context SPR writes, tlbie/tlbiel/slbia,
 * a remote flush request); MSR changes need no flush because the mode is part of the tag.
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

    /** LPCR[ILE], MSB 38: interrupts are taken in little-endian mode. */
    public static final long LPCR_ILE = 1L << 25;
    static final long LPCR_LD = 1L << 17;   // MSB 46: large decrementer
    static final long LPCR_GTSE = 1L << 10; // MSB 53

    /** SRR1 program-interrupt reasons (MSB 43..47). */
    static final long SRR1_FP_ENABLED = 1L << 20, SRR1_ILLEGAL = 1L << 19, SRR1_PRIVILEGED = 1L << 18,
            SRR1_TRAP = 1L << 17;
    /** SRR1 MSB 42: on a machine check, the error was on a load or store. */
    static final long SRR1_MC_LOAD_STORE = 1L << 21;
    /** SRR1 bits an ISI copies from the MMU's report (MSB 33:36 and 42:47). */
    static final long SRR1_ISI_BITS = 0x783F_0000L;
    static final long DSISR_STORE = 0x0200_0000L;

    private static final int PAGE = 4096;
    private static final ValueLayout.OfShort HALF_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN),
            HALF_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt WORD_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN),
            WORD_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong DOUBLE_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN),
            DOUBLE_BE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final long PAGE_MASK = ~0xFFFL;
    /**
     * Entries of the data translation caches: 8192 pages (32 MiB) each way, so a guest sweeping a
     * large array does not miss on every page (QEMU's softmmu TLB grows as large). Flushing them
     * costs nothing per entry: see {@link #dataEpoch}.
     */
    private static final int DTLB = 8192, FTLB = 16;
    /** Bits 4..11 of a data tag hold the epoch of the flush it was made after. */
    private static final int EPOCH_SHIFT = 4, EPOCHS = 256;
    private static final int POLL_INTERVAL = 256;
    /**
     * Most instructions a compiled region may run per entry. Leaving a region costs a return to the
     * dispatcher and an event check, so regions get a longer slice than the interpreter's poll
     * interval; requests from other threads are still seen at every loop head through attention.
     */
    private static final int COMPILED_SLICE = 4096;
    private static final int REQ_EXIT = 1, REQ_FLUSH = 2, REQ_SRESET = 4;

    // ---- wiring ----
    final RealMemory memory;
    final Mmu mmu;
    final MmuRegisters mmuRegs;
    final TlbControl tlb;
    final TimeSource time;
    final ReservationMonitor reservations;
    final DecodeCache decodeCache;
    final int slot;
    final MmuFault fault = new MmuFault();

    // ---- architected state ----
    final long[] gpr = new long[32];
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
    long decValue, decBase;
    int decBits = 56;

    // ---- reservation ----
    boolean resValid;
    long resAddr, resDw0, resDw1;
    int resLen;

    // ---- derived from MSR ----
    long addrMask = 0xFFFF_FFFFL;
    boolean le, tracing;
    /** Low bits of a data-cache tag: the translation mode (MSR IR/DR-derived bits) and {@link #dataEpoch}. */
    long dataMode, fetchMode;
    /**
     * Bumped by every flush and part of every data tag, so entries made before a flush never match
     * again; only when it wraps are the tags really cleared.
     */
    private int dataEpoch;

    // ---- execution bookkeeping ----
    long cia;
    int trap;
    int exitReason;
    String exitMessage = "";
    long instructions;
    private int poll;
    /** Something another thread asked for (or an interrupt line rose); compiled loops check it too. */
    volatile boolean attention;
    /** {@code sc} exits to the hypervisor ({@link Exit#SYSTEM_CALL}) instead of interrupting the guest. */
    boolean interceptSystemCalls;

    // ---- a debugger's breakpoints and watchpoints (null: none, and then they cost nothing) ----
    private DebugPoints debug;
    private DebugPoints.Hit debugHit;
    /** Asynchronous interrupts wait while a debugger single-steps ({@link #step()}). */
    private boolean holdInterrupts;

    public void setInterceptSystemCalls(boolean intercept) {
        interceptSystemCalls = intercept;
    }

    // ---- translation of hot code to JVM bytecode ----
    private static final boolean JIT_DEFAULT = Boolean.parseBoolean(System.getProperty("jvisor.jit", "true"));
    private static final int JIT_THRESHOLD = Integer.getInteger("jvisor.jit.threshold", 64);
    private boolean jit = JIT_DEFAULT;
    private int jitThreshold = Math.max(1, Math.min(JIT_THRESHOLD, Short.MAX_VALUE));
    /** Allowance a compiled region hands back ({@link CompiledRegion#run}). */
    long jitLeft;
    /** Set by a compiled region that stopped at a load or store missing the data cache. */
    boolean stepOnce;

    /** Turns translation of hot guest code on or off (default: the system property jvisor.jit). */
    public void setJit(boolean enabled) {
        jit = enabled;
    }

    /**
     * How many times interpretation must start at a branch target before the code there is
     * translated (default: the system property jvisor.jit.threshold, 64).
     */
    public void setJitThreshold(int executions) {
        jitThreshold = Math.max(1, Math.min(executions, Short.MAX_VALUE));
    }

    /** The core whose {@link #run} the current thread is in, if any. */
    private static final ThreadLocal<Core> RUNNING = new ThreadLocal<>();
    /** True while {@link #run} executes guest instructions (KVM's IN_GUEST_MODE). */
    private volatile boolean inGuest;
    /** Translation flushes performed at the request of other threads. */
    private volatile long flushesDone;
    private volatile boolean externalLevel;
    private final AtomicInteger requests = new AtomicInteger();

    // ---- translation fast paths ----
    private final long[] rdTag = new long[DTLB], rdBase = new long[DTLB];
    private final long[] wrTag = new long[DTLB], wrBase = new long[DTLB];
    /** The host bytes of each cached data page (what rdBase/wrBase address), for the hit path. */
    private final MemorySegment[] rdPage = new MemorySegment[DTLB], wrPage = new MemorySegment[DTLB];
    private final long[] fTag = new long[FTLB];
    private final DecodePage[] fPage = new DecodePage[FTLB];

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
        sprs[Spr.PPR] = 4L << 50; // medium priority, the architected reset value
        sprs[Spr.CTRL] = 1;       // run latch on
        flushTranslations();
        applyMsr(Msr.ME);
        decBase = time.timebase();
        decValue = 0x7FFF_FFFFL;
    }

    // =====================================================================================
    // Run loop
    // =====================================================================================

    /**
     * Runs guest instructions until an exit. Returns an {@link Exit} code; at most
     * {@code maxInstructions} instructions are executed (or attempted, when they fault).
     */
    public int run(long maxInstructions) {
        Core outer = RUNNING.get();
        RUNNING.set(this);
        inGuest = true;
        try {
            return runGuest(maxInstructions);
        } finally {
            inGuest = false;
            RUNNING.set(outer);
        }
    }

    private int runGuest(long maxInstructions) {
        long budget = maxInstructions;
        stepOnce = false;
        trap = 0;
        poll = 0;
        pc &= addrMask;
        // Whether the instruction at pc starts a run of interpretation (a branch target, an
        // interrupt vector, the first instruction): only those are counted toward translation.
        boolean head = true;
        while (true) {
            if (--poll < 0 || attention) {
                int r = serviceEvents();
                if (r != OK) {
                    trap = 0;
                    head = true;
                    if (r == EXIT) {
                        return exitReason;
                    }
                }
            }
            if (budget <= 0) {
                return finish(Exit.INSTRUCTION_LIMIT, "");
            }
            long at = pc;
            int f = (int) (at >>> 12) & (FTLB - 1);
            DecodePage page = fPage[f];
            if (fTag[f] != ((at & PAGE_MASK) | fetchMode)) {
                page = fetchMiss(at);
                if (page == null) {
                    budget--;
                    instructions++;
                    int r = trap;
                    trap = 0;
                    head = true;
                    if (r == EXIT) {
                        return exitReason;
                    }
                    continue;
                }
            }
            int s = (int) (at & 0xFFF) >>> 2;
            if (stepOnce) {
                // A translated access missed the data cache: the interpreter performs it.
                stepOnce = false;
            } else if (jit && !tracing) {
                CompiledRegion[] regions = page.regions;
                CompiledRegion region = regions == null ? null : regions[s];
                if (region != null) {
                    // A page run in both modes keeps the translation for the first; the other interprets.
                    if (region.generation == page.generation && region.addrMask == addrMask) {
                        long allowance = Math.min(budget, COMPILED_SLICE);
                        int r = region.run(this, s, allowance);
                        long used = allowance - jitLeft;
                        // Nothing ran: the instruction is interpreted right here anyway.
                        stepOnce &= used != 0;
                        if (used != 0) {
                            budget -= used;
                            instructions += used;
                            // Past the poll interval, events are serviced before the next instruction.
                            poll -= (int) used - 1;
                            head = true;
                            if (r != OK) {
                                trap = 0;
                                if (r == EXIT) {
                                    return exitReason;
                                }
                            }
                            continue;
                        }
                    }
                } else if (head && page.becameHot(s, jitThreshold)) {
                    translate(page, s);
                }
            } else if (debug != null && debug.breaksAt(at)) {
                cia = at;
                debugHit = new DebugPoints.Hit(DebugPoints.BREAKPOINT, at);
                return finish(Exit.DEBUG, "");
            }
            budget--;
            instructions++;
            long entry = page.entries[s];
            if (entry == 0) {
                entry = page.decode(s, memory);
                if (page.retired) {
                    fTag[f] = -1L; // the cache let the page go: fetch a kept one next time
                }
            }
            int op = (int) (entry >>> 32);
            boolean traced = tracing;
            cia = at;
            pc = (at + 4) & addrMask;
            int r = Executor.execute(this, op, (int) entry);
            if (r != OK) {
                trap = 0;
                head = true;
                if (r == EXIT) {
                    return exitReason;
                }
                continue;
            }
            head = pc != at + 4 || s == DecodePage.SLOTS - 1;
            if (traced && traceAfter(op) == EXIT) {
                return exitReason;
            }
        }
    }

    /** Compiles the hot code entered at slot s of the page, within the machine's bound. */
    private void translate(DecodePage page, int s) {
        decodeCache.reserveRegion();
        RegionCompiler.Translation t = RegionCompiler.translate(page, s, memory, addrMask);
        if (t != null) {
            page.install(t.region(), t.entries());
        }
    }

    private int finish(int reason, String message) {
        exitReason = reason;
        exitMessage = message;
        return reason;
    }

    private int serviceEvents() {
        poll = POLL_INTERVAL;
        if (attention) {
            attention = false;
            int req = requests.getAndSet(0);
            if ((req & REQ_FLUSH) != 0) {
                flushTranslations();
                flushesDone++;
            }
            if ((req & REQ_EXIT) != 0) {
                if ((req & REQ_SRESET) != 0) {
                    requests.getAndUpdate(v -> v | REQ_SRESET);
                    attention = true;
                }
                cia = pc;
                return exit(Exit.INTERRUPTED, "exit requested");
            }
            if ((req & REQ_SRESET) != 0) {
                cia = pc;
                // SRR1 MSB 42:45 = 0b0100: system reset requested from outside the thread.
                return interrupt(0x100, pc, 1L << 20);
            }
        }
        if ((msr & Msr.EE) != 0 && !holdInterrupts) {
            if (externalLevel) {
                cia = pc;
                return interrupt(0x500, pc, 0);
            }
            if (decrementer() < 0) {
                cia = pc;
                return interrupt(0x900, pc, 0);
            }
        }
        return OK;
    }

    private int traceAfter(int op) {
        boolean branch = op >= Op.B && op <= Op.BCTAR;
        if (op == Op.RFID || op == Op.SC || ((msr & Msr.SE) == 0 && !branch)) {
            return OK;
        }
        if ((msr & (Msr.SE | Msr.BE)) == 0) {
            return OK;
        }
        sprs[Spr.SIAR] = cia;
        int r = interrupt(0xD00, pc, 0);
        trap = 0;
        return r;
    }

    // =====================================================================================
    // Interrupts and exits
    // =====================================================================================

    /**
     * Delivers an interrupt to the guest: SRR0/SRR1 saved, MSR set for the handler
     * (SF=1, LE=LPCR[ILE], IR=DR=EE=PR=0, facilities and trace off, RI=0, HV/ME/S unchanged;
     * machine check also clears ME), and execution continues at the vector. LPCR[AIL] 2 and 3
     * relocate the handler with IR=DR=1 when the interrupted context ran with IR=DR=1.
     */
    int interrupt(int vector, long savedPc, long srr1Bits) {
        if (vector == 0x200 && (msr & Msr.ME) == 0) {
            return exit(Exit.STOPPED, "checkstop: machine check with MSR[ME]=0 at 0x" + Long.toHexString(cia));
        }
        srr0 = savedPc;
        srr1 = (msr & Msr.SAVED_IN_SRR1) | srr1Bits;
        long lpcr = mmuRegs.lpcr;
        long n = (msr & (Msr.HV | Msr.ME | Msr.S)) | Msr.SF;
        if ((lpcr & LPCR_ILE) != 0) {
            n |= Msr.LE;
        }
        long base = 0;
        int ail = (int) (lpcr >>> 23) & 3;
        if (ail >= 2 && vector != 0x100 && vector != 0x200 && (msr & (Msr.IR | Msr.DR)) == (Msr.IR | Msr.DR)) {
            n |= Msr.IR | Msr.DR;
            base = ail == 3 ? 0xC000_0000_0000_4000L : 0x18000L;
        }
        if (vector == 0x200) {
            n &= ~Msr.ME;
        }
        applyMsr(n);
        pc = base + vector;
        trap = INTERRUPT;
        return INTERRUPT;
    }

    /**
     * The system call vectored interrupt of scv LEV (Book III 7.5.19, ISA 3.0): unlike the other
     * interrupts it leaves SRR0/SRR1 alone, saving the return address in LR and the MSR in CTR,
     * and leaves MSR[EE] and MSR[RI] as they were. The handler is at 0xC000_0000_0000_3000 +
     * 32 * LEV with relocation on when LPCR[AIL] = 3 (below the 0x4000 offset of the other
     * relocated vectors; Linux's scv entry is there) and at real address 0x17000 + 32 * LEV
     * otherwise. Linux uses scv only with AIL = 3.
     */
    int systemCallVectored(int lev) {
        lr = (cia + 4) & addrMask;
        ctr = msr & Msr.SAVED_IN_SRR1;
        long n = (msr & (Msr.HV | Msr.ME | Msr.S | Msr.EE | Msr.RI)) | Msr.SF;
        if ((mmuRegs.lpcr & LPCR_ILE) != 0) {
            n |= Msr.LE;
        }
        long target;
        if (((mmuRegs.lpcr >>> 23) & 3) == 3) {
            n |= Msr.IR | Msr.DR;
            target = 0xC000_0000_0000_3000L + 32L * lev;
        } else {
            target = 0x17000L + 32L * lev;
        }
        applyMsr(n);
        pc = target;
        trap = INTERRUPT;
        return INTERRUPT;
    }

    int program(long reason) {
        return interrupt(0x700, cia, reason);
    }

    int illegal() {
        return program(SRR1_ILLEGAL);
    }

    int privileged() {
        return program(SRR1_PRIVILEGED);
    }

    /** The instruction needs the hypervisor: HEIR gets the word and run returns. */
    int hypervisorAssist(int word) {
        heir = word & 0xFFFF_FFFFL;
        hsrr0 = cia;
        hsrr1 = msr;
        pc = cia;
        return exit(Exit.HYPERVISOR_EMULATION_ASSIST, "");
    }

    /** Something jvisor does not implement: stop cleanly at the instruction. */
    int unimplemented(String what, int word) {
        pc = cia;
        return exit(Exit.ERROR, String.format("%s not implemented (instruction 0x%08x at 0x%x)", what, word, cia));
    }

    int exit(int reason, String message) {
        exitReason = reason;
        exitMessage = message;
        trap = EXIT;
        return EXIT;
    }

    private int hypervisorStorage(int reason) {
        hdsisr = fault.hdsisr;
        hdar = fault.hdar;
        asdr = fault.asdr;
        hsrr0 = cia;
        hsrr1 = msr | (reason == Exit.HISI ? fault.hdsisr & SRR1_ISI_BITS : 0);
        pc = cia;
        return exit(reason, "");
    }

    private int dataFault(long ea, int access) {
        if (fault.toHypervisor()) {
            return hypervisorStorage(Exit.HDSI);
        }
        switch (fault.vector) {
            case MmuFault.DSI -> {
                dar = fault.dar;
                dsisr = (fault.dsisr | (access == Mmu.STORE ? DSISR_STORE : 0)) & 0xFFFF_FFFFL;
                return interrupt(0x300, cia, 0);
            }
            case MmuFault.DATA_SEGMENT -> {
                dar = fault.dar;
                return interrupt(0x380, cia, 0);
            }
            case MmuFault.MACHINE_CHECK -> {
                return machineCheckData(ea);
            }
            default -> {
                return exit(Exit.ERROR, "MMU reported an unexpected data fault: " + fault);
            }
        }
    }

    private int machineCheckData(long ea) {
        dar = ea;
        return interrupt(0x200, cia, SRR1_MC_LOAD_STORE);
    }

    private int fetchFault() {
        if (fault.toHypervisor()) {
            return hypervisorStorage(Exit.HISI);
        }
        return switch (fault.vector) {
            case MmuFault.ISI -> interrupt(0x400, cia, fault.dsisr & SRR1_ISI_BITS);
            case MmuFault.INSTRUCTION_SEGMENT -> interrupt(0x480, cia, 0);
            case MmuFault.MACHINE_CHECK -> interrupt(0x200, cia, 0);
            default -> exit(Exit.ERROR, "MMU reported an unexpected fetch fault: " + fault);
        };
    }

    int alignment(long ea) {
        dar = ea;
        return interrupt(0x600, cia, 0);
    }

    // =====================================================================================
    // Fetch
    // =====================================================================================

    private DecodePage fetchMiss(long at) {
        cia = at;
        fault.clear();
        long ra = mmu.translate(at, Mmu.FETCH, msr, fault);
        if (ra < 0) {
            fetchFault();
            return null;
        }
        long page = ra & PAGE_MASK;
        if (!memory.contains(page, PAGE)) {
            interrupt(0x200, at, 0);
            return null;
        }
        DecodePage p = decodeCache.page(page >>> 12, le);
        int f = (int) (at >>> 12) & (FTLB - 1);
        fTag[f] = (at & PAGE_MASK) | fetchMode;
        fPage[f] = p;
        return p;
    }

    // =====================================================================================
    // Loads and stores
    // =====================================================================================

    long eaD(int w) {
        int ra = (w >>> 16) & 31;
        return ((ra == 0 ? 0 : gpr[ra]) + (short) w) & addrMask;
    }

    long eaDS(int w) {
        int ra = (w >>> 16) & 31;
        return ((ra == 0 ? 0 : gpr[ra]) + (short) (w & 0xFFFC)) & addrMask;
    }

    long eaX(int w) {
        int ra = (w >>> 16) & 31;
        return ((ra == 0 ? 0 : gpr[ra]) + gpr[(w >>> 11) & 31]) & addrMask;
    }

    /** Loads {@code len} (1, 2, 4, 8) bytes in the current byte order, zero-extended. */
    long load(long ea, int len) {
        return switch (len) {
            case 1 -> loadByte(ea);
            case 2 -> le ? loadHalfLE(ea) : loadHalfBE(ea);
            case 4 -> le ? loadWordLE(ea) : loadWordBE(ea);
            default -> le ? loadDoubleLE(ea) : loadDoubleBE(ea);
        };
    }

    /** Stores the low {@code len} bytes of {@code v} in the current byte order. */
    void store(long ea, int len, long v) {
        switch (len) {
            case 1 -> storeByte(ea, v);
            case 2 -> { if (le) storeHalfLE(ea, v); else storeHalfBE(ea, v); }
            case 4 -> { if (le) storeWordLE(ea, v); else storeWordBE(ea, v); }
            default -> { if (le) storeDoubleLE(ea, v); else storeDoubleBE(ea, v); }
        }
    }

    // One small method per width and byte order: the interpreter reaches them through load/store,
    // translated code calls them directly with the byte order of its page (the hit inline, the
    // slow path as a call). The byte order used must be the current one (MSR[LE]): the slow path
    // reads it from the core.

    /** Index into the data translation cache of the page of {@code ea}. */
    private static int dtlb(long ea) {
        return (int) (ea >>> 12) & (DTLB - 1);
    }

    /** The cached host bytes of the page holding {@code len} bytes at {@code ea} for reading, or null (slow path). */
    MemorySegment readPage(long ea, int len) {
        int i = dtlb(ea);
        return rdTag[i] == ((ea & PAGE_MASK) | dataMode) && (ea & 0xFFF) <= PAGE - len ? rdPage[i] : null;
    }

    /** As {@link #readPage} for writing; a write through it must be followed by {@link #storedCached}. */
    MemorySegment writePage(long ea, int len) {
        int i = dtlb(ea);
        return wrTag[i] == ((ea & PAGE_MASK) | dataMode) && (ea & 0xFFF) <= PAGE - len ? wrPage[i] : null;
    }

    static long getByte(MemorySegment page, long ea) {
        return page.get(ValueLayout.JAVA_BYTE, ea & 0xFFF) & 0xFFL;
    }

    static void putByte(MemorySegment page, long ea, long v) {
        page.set(ValueLayout.JAVA_BYTE, ea & 0xFFF, (byte) v);
    }

    long loadByte(long ea) {
        MemorySegment p = readPage(ea, 1);
        return p != null ? getByte(p, ea) : loadSlow(ea, 1);
    }

    void storeByte(long ea, long v) {
        MemorySegment p = writePage(ea, 1);
        if (p == null) {
            storeSlow(ea, 1, v);
            return;
        }
        putByte(p, ea, v);
        storedCached(ea, 1);
    }

    static long getHalfLE(MemorySegment page, long ea) {
        return page.get(HALF_LE, ea & 0xFFF) & 0xFFFFL;
    }

    static void putHalfLE(MemorySegment page, long ea, long v) {
        page.set(HALF_LE, ea & 0xFFF, (short) v);
    }

    long loadHalfLE(long ea) {
        MemorySegment p = readPage(ea, 2);
        return p != null ? getHalfLE(p, ea) : loadSlow(ea, 2);
    }

    void storeHalfLE(long ea, long v) {
        MemorySegment p = writePage(ea, 2);
        if (p == null) {
            storeSlow(ea, 2, v);
            return;
        }
        putHalfLE(p, ea, v);
        storedCached(ea, 2);
    }

    static long getHalfBE(MemorySegment page, long ea) {
        return page.get(HALF_BE, ea & 0xFFF) & 0xFFFFL;
    }

    static void putHalfBE(MemorySegment page, long ea, long v) {
        page.set(HALF_BE, ea & 0xFFF, (short) v);
    }

    long loadHalfBE(long ea) {
        MemorySegment p = readPage(ea, 2);
        return p != null ? getHalfBE(p, ea) : loadSlow(ea, 2);
    }

    void storeHalfBE(long ea, long v) {
        MemorySegment p = writePage(ea, 2);
        if (p == null) {
            storeSlow(ea, 2, v);
            return;
        }
        putHalfBE(p, ea, v);
        storedCached(ea, 2);
    }

    static long getWordLE(MemorySegment page, long ea) {
        return page.get(WORD_LE, ea & 0xFFF) & 0xFFFF_FFFFL;
    }

    static void putWordLE(MemorySegment page, long ea, long v) {
        page.set(WORD_LE, ea & 0xFFF, (int) v);
    }

    long loadWordLE(long ea) {
        MemorySegment p = readPage(ea, 4);
        return p != null ? getWordLE(p, ea) : loadSlow(ea, 4);
    }

    void storeWordLE(long ea, long v) {
        MemorySegment p = writePage(ea, 4);
        if (p == null) {
            storeSlow(ea, 4, v);
            return;
        }
        putWordLE(p, ea, v);
        storedCached(ea, 4);
    }

    static long getWordBE(MemorySegment page, long ea) {
        return page.get(WORD_BE, ea & 0xFFF) & 0xFFFF_FFFFL;
    }

    static void putWordBE(MemorySegment page, long ea, long v) {
        page.set(WORD_BE, ea & 0xFFF, (int) v);
    }

    long loadWordBE(long ea) {
        MemorySegment p = readPage(ea, 4);
        return p != null ? getWordBE(p, ea) : loadSlow(ea, 4);
    }

    void storeWordBE(long ea, long v) {
        MemorySegment p = writePage(ea, 4);
        if (p == null) {
            storeSlow(ea, 4, v);
            return;
        }
        putWordBE(p, ea, v);
        storedCached(ea, 4);
    }

    static long getDoubleLE(MemorySegment page, long ea) {
        return page.get(DOUBLE_LE, ea & 0xFFF);
    }

    static void putDoubleLE(MemorySegment page, long ea, long v) {
        page.set(DOUBLE_LE, ea & 0xFFF, v);
    }

    long loadDoubleLE(long ea) {
        MemorySegment p = readPage(ea, 8);
        return p != null ? getDoubleLE(p, ea) : loadSlow(ea, 8);
    }

    void storeDoubleLE(long ea, long v) {
        MemorySegment p = writePage(ea, 8);
        if (p == null) {
            storeSlow(ea, 8, v);
            return;
        }
        putDoubleLE(p, ea, v);
        storedCached(ea, 8);
    }

    static long getDoubleBE(MemorySegment page, long ea) {
        return page.get(DOUBLE_BE, ea & 0xFFF);
    }

    static void putDoubleBE(MemorySegment page, long ea, long v) {
        page.set(DOUBLE_BE, ea & 0xFFF, v);
    }

    long loadDoubleBE(long ea) {
        MemorySegment p = readPage(ea, 8);
        return p != null ? getDoubleBE(p, ea) : loadSlow(ea, 8);
    }

    void storeDoubleBE(long ea, long v) {
        MemorySegment p = writePage(ea, 8);
        if (p == null) {
            storeSlow(ea, 8, v);
            return;
        }
        putDoubleBE(p, ea, v);
        storedCached(ea, 8);
    }

    /**
     * A store through {@link #writePage} happened at {@code ea}: the decode cache and the
     * reservations learn of it. True when it dropped decoded instructions (it wrote code).
     */
    boolean storedCached(long ea, int len) {
        return stored(wrBase[dtlb(ea)] + (ea & 0xFFF), len);
    }

    /** Every store (within one page) tells the decode cache and the reservation monitor; true if it wrote code. */
    boolean stored(long ra, int len) {
        long page = ra >>> 12;
        boolean code = decodeCache.isDecoded(page);
        if (code) {
            decodeCache.invalidate(page);
        }
        reservations.storeSeen(slot, ra, len);
        return code;
    }

    long read(long ra, int len, boolean littleEndian) {
        RealMemory m = memory;
        if (littleEndian) {
            return switch (len) {
                case 1 -> m.readByte(ra) & 0xFFL;
                case 2 -> m.readShortLE(ra) & 0xFFFFL;
                case 4 -> m.readIntLE(ra) & 0xFFFF_FFFFL;
                default -> m.readLongLE(ra);
            };
        }
        return switch (len) {
            case 1 -> m.readByte(ra) & 0xFFL;
            case 2 -> m.readShortBE(ra) & 0xFFFFL;
            case 4 -> m.readIntBE(ra) & 0xFFFF_FFFFL;
            default -> m.readLongBE(ra);
        };
    }

    void write(long ra, int len, long v, boolean littleEndian) {
        RealMemory m = memory;
        if (littleEndian) {
            switch (len) {
                case 1 -> m.writeByte(ra, (byte) v);
                case 2 -> m.writeShortLE(ra, (short) v);
                case 4 -> m.writeIntLE(ra, (int) v);
                default -> m.writeLongLE(ra, v);
            }
        } else {
            switch (len) {
                case 1 -> m.writeByte(ra, (byte) v);
                case 2 -> m.writeShortBE(ra, (short) v);
                case 4 -> m.writeIntBE(ra, (int) v);
                default -> m.writeLongBE(ra, v);
            }
        }
    }

    long loadSlow(long ea, int len) {
        if ((ea & 0xFFF) <= PAGE - len) {
            long ra = dataAddress(ea, len, Mmu.LOAD);
            return ra < 0 ? 0 : read(ra, len, le);
        }
        // The access crosses a page: translate both pages before reading anything.
        long split = (ea | 0xFFF) + 1;
        int first = (int) (split - ea);
        long ra0 = dataAddress(ea, first, Mmu.LOAD);
        if (ra0 < 0) {
            return 0;
        }
        long ra1 = dataAddress(split & addrMask, len - first, Mmu.LOAD);
        if (ra1 < 0) {
            return 0;
        }
        long v = 0;
        for (int k = 0; k < len; k++) {
            long b = memory.readByte(k < first ? ra0 + k : ra1 + k - first) & 0xFFL;
            v = le ? v | (b << (8 * k)) : (v << 8) | b;
        }
        return v;
    }

    void storeSlow(long ea, int len, long v) {
        if ((ea & 0xFFF) <= PAGE - len) {
            long ra = dataAddress(ea, len, Mmu.STORE);
            if (ra >= 0) {
                write(ra, len, v, le);
                stored(ra, len);
            }
            return;
        }
        long split = (ea | 0xFFF) + 1;
        int first = (int) (split - ea);
        long ra0 = dataAddress(ea, first, Mmu.STORE);
        if (ra0 < 0) {
            return;
        }
        long ra1 = dataAddress(split & addrMask, len - first, Mmu.STORE);
        if (ra1 < 0) {
            return;
        }
        for (int k = 0; k < len; k++) {
            int shift = le ? 8 * k : 8 * (len - 1 - k);
            memory.writeByte(k < first ? ra0 + k : ra1 + k - first, (byte) (v >>> shift));
        }
        stored(ra0, first);
        stored(ra1, len - first);
    }

    /**
     * Translates a data access that stays within one page and returns the host real address,
     * or -1 after raising the interrupt or exit (then {@link #trap} is set).
     */
    long dataAddress(long ea, int len, int access) {
        int i = (int) (ea >>> 12) & (DTLB - 1);
        long tag = (ea & PAGE_MASK) | dataMode;
        int off = (int) ea & 0xFFF;
        if (access == Mmu.LOAD ? rdTag[i] == tag : wrTag[i] == tag) {
            return (access == Mmu.LOAD ? rdBase[i] : wrBase[i]) + off;
        }
        if (debug != null && watched(ea, len, access)) {
            return -1;
        }
        fault.clear();
        long ra = mmu.translate(ea, access, msr, fault);
        if (ra < 0) {
            dataFault(ea, access);
            return -1;
        }
        if (!memory.contains(ra, len)) {
            machineCheckData(ea);
            return -1;
        }
        long page = ra & PAGE_MASK;
        // Only pages the memory can hand out as a segment are cached: the hit path uses it.
        MemorySegment bytes = memory.contains(page, PAGE) ? memory.page(page) : null;
        // A watched page stays out of the cache, so every access to it comes through here.
        if (bytes != null && (debug == null || !debug.watchesPage(ea))) {
            if (access == Mmu.STORE) {
                wrTag[i] = tag;
                wrBase[i] = page;
                wrPage[i] = bytes;
            } else {
                rdTag[i] = tag;
                rdBase[i] = page;
                rdPage[i] = bytes;
            }
        }
        return ra;
    }

    /** Drops every cached translation of this core (fetch and data). */
    void flushTranslations() {
        dataEpoch = (dataEpoch + 1) & (EPOCHS - 1);
        if (dataEpoch == 0) {
            Arrays.fill(rdTag, -1L);
            Arrays.fill(wrTag, -1L);
            Arrays.fill(rdPage, null);
            Arrays.fill(wrPage, null);
        }
        dataMode = (dataMode & ((1L << EPOCH_SHIFT) - 1)) | ((long) dataEpoch << EPOCH_SHIFT);
        Arrays.fill(fTag, -1L);
        Arrays.fill(fPage, null);
    }

    /** A translation SPR changed: the MMU and this core's caches must forget. */
    void translationContextChanged() {
        mmu.contextChanged();
        flushTranslations();
    }

    // =====================================================================================
    // Registers
    // =====================================================================================

    void applyMsr(long v) {
        long old = msr;
        msr = v;
        addrMask = (v & Msr.SF) != 0 ? -1L : 0xFFFF_FFFFL;
        le = (v & Msr.LE) != 0;
        tracing = (v & (Msr.SE | Msr.BE)) != 0 || debug != null;
        long hv = (v >>> 58) & 4, pr = (v >>> 13) & 2;
        dataMode = ((v >>> 4) & 1) | pr | hv | ((long) dataEpoch << EPOCH_SHIFT);
        fetchMode = ((v >>> 5) & 1) | pr | hv | ((v & 1) << 3);
        if ((v & Msr.EE) != 0 && (old & Msr.EE) == 0) {
            poll = 0;
        }
    }

    long xer() {
        return ((long) so << 31) | ((long) ov << 30) | ((long) ca << 29) | ((long) ov32 << 19)
                | ((long) ca32 << 18) | xerReserved | xerBytes;
    }

    void setXerBits(long v) {
        so = (int) (v >>> 31) & 1;
        ov = (int) (v >>> 30) & 1;
        ca = (int) (v >>> 29) & 1;
        ov32 = (int) (v >>> 19) & 1;
        ca32 = (int) (v >>> 18) & 1;
        xerBytes = (int) v & 0x7F;
        xerReserved = (int) v & 0x1FF3_FF80;
    }

    /** Sets CR field {@code bf} to LT/GT/EQ from a signed comparison of {@code v} with 0, plus SO. */
    void setCrField(int bf, int value4) {
        cr = withCrField(cr, bf, value4);
    }

    /** {@code cr} with field {@code bf} replaced by the low four bits of {@code value4}. */
    static int withCrField(int cr, int bf, int value4) {
        int shift = 28 - 4 * bf;
        return (cr & ~(0xF << shift)) | ((value4 & 0xF) << shift);
    }

    static int compareSigned(long a, long b) {
        return a < b ? 8 : a > b ? 4 : 2;
    }

    static int compareUnsigned(long a, long b) {
        int c = Long.compareUnsigned(a, b);
        return c < 0 ? 8 : c > 0 ? 4 : 2;
    }

    /** CR0 for a record form: the 64-bit result in 64-bit mode, the low word's sign in 32-bit mode. */
    void recordCr0(long result) {
        cr = withCr0(cr, result, addrMask, so);
    }

    /** {@code cr} with CR0 recording {@code result}; {@code addrMask} (all ones in 64-bit mode) gives the mode. */
    static int withCr0(int cr, long result, long addrMask, int so) {
        long r = addrMask == -1L ? result : (int) result;
        return (cr & 0x0FFF_FFFF) | ((compareSigned(r, 0) | so) << 28);
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

    int decWidth() {
        return (mmuRegs.lpcr & LPCR_LD) != 0 ? decBits : 32;
    }

    /** The decrementer's current value, sign-extended from its width. */
    /** The decrementer now, sign-extended from its width: negative means the interrupt is pending. */
    public long decrementerValue() {
        return decrementer();
    }

    long decrementer() {
        long v = decValue - (time.timebase() - decBase);
        int shift = 64 - decWidth();
        return (v << shift) >> shift;
    }

    void setDecrementer(long v) {
        int shift = 64 - decWidth();
        decValue = (v << shift) >> shift;
        decBase = time.timebase();
        poll = 0;
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
        poll = 0;
    }

    public int cr() {
        return cr;
    }

    public void setCr(int v) {
        cr = v;
    }

    public long xerValue() {
        return xer();
    }

    public void setXer(long v) {
        setXerBits(v);
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

    /** HSRR0 as the hardware saved it at the last exit (address of the instruction, or after sc 1). */
    public long hsrr0() {
        return hsrr0;
    }

    public long hsrr1() {
        return hsrr1;
    }

    /** The instruction word that caused the last emulation-assistance exit. */
    public long heir() {
        return heir;
    }

    public long hdsisr() {
        return hdsisr;
    }

    public long hdar() {
        return hdar;
    }

    public long asdr() {
        return asdr;
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

    /**
     * Delivers an interrupt to the guest now, as the hypervisor does when it reflects a fault
     * (a DSI after an HDSI it cannot resolve, a program interrupt after emulation assistance):
     * SRR0 = the current pc, SRR1 = MSR bits plus {@code srr1Bits}. Set DAR/DSISR first with
     * {@link #writeSpr} where the interrupt needs them.
     */
    public boolean deliverInterrupt(int vector, long srr1Bits) {
        pc &= addrMask;
        cia = pc;
        int r = interrupt(vector, pc, srr1Bits);
        trap = 0;
        // A machine check with MSR[ME]=0 is a checkstop: the caller must stop the guest.
        return r != EXIT;
    }

    /** The translation SPRs; write LPCR here, then call {@link #translationRegistersChanged()}. */
    public MmuRegisters mmuRegisters() {
        return mmuRegs;
    }

    /** The hypervisor changed LPCR, LPIDR, PTCR, PIDR, AMR or IAMR directly. */
    public void translationRegistersChanged() {
        translationContextChanged();
        poll = 0;
    }

    /** Width of the decrementer when LPCR[LD]=1 (ibm,dec-bits; 56 by default). */
    public void setDecrementerBits(int bits) {
        decBits = bits;
    }

    /** Reads any SPR with hypervisor authority (no privilege checks); 0 for unknown numbers. */
    /** The vector-scalar register file (FPRs, VRs, VSRs, FPSCR, VSCR). */
    public VectorScalarRegisters vectorScalar() {
        return vs;
    }

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
     * region runs over a breakpoint, and watched pages stay out of its data cache.
     */
    public void setDebugPoints(DebugPoints points) {
        debug = points == null || points.isEmpty() ? null : points;
        tracing = (msr & (Msr.SE | Msr.BE)) != 0 || debug != null;
        flushTranslations();
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

    /** The access hits a watchpoint: the instruction stops before it, for the debugger. */
    private boolean watched(long ea, int len, int access) {
        DebugPoints.Hit hit = debug.watchHit(ea, len, access == Mmu.STORE);
        if (hit == null) {
            return false;
        }
        debugHit = hit;
        pc = cia;
        exit(Exit.DEBUG, "");
        return true;
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
        request(REQ_EXIT);
    }

    /** Another core's tlbie (or the hypervisor) invalidated translations this core may have cached. */
    public void requestTranslationFlush() {
        request(REQ_FLUSH);
    }

    /** System reset (0x100) at the next instruction boundary, e.g. an NMI from the hypervisor. */
    public void requestSystemReset() {
        request(REQ_SRESET);
    }

    /**
     * Flushes this core's cached translations and, if it is running guest code on another thread,
     * waits until it has dropped them: after this returns the core cannot use a translation that
     * was removed before the call (a tlbie's completion, or KVM's remote TLB flush with its
     * acknowledgement). A core outside {@link #run} flushes before its next instruction.
     */
    public void flushTranslationsAndWait() {
        Core self = RUNNING.get();
        if (self == this) {
            flushTranslations();
            return;
        }
        long seen = flushesDone;
        request(REQ_FLUSH);
        while (inGuest && flushesDone == seen) {
            // Two cores may invalidate at once (tlbie on both): each keeps answering the other.
            if (self != null) {
                self.serviceRemoteFlush();
            }
            Thread.onSpinWait();
        }
    }

    /** On this core's own thread: performs a flush another thread is waiting for. */
    private void serviceRemoteFlush() {
        if ((requests.get() & REQ_FLUSH) != 0) {
            requests.getAndUpdate(v -> v & ~REQ_FLUSH);
            flushTranslations();
            flushesDone++;
        }
    }

    /**
     * Delivers an interrupt decided by the hypervisor (a reflected storage interrupt, a machine
     * check for MMIO to nowhere, a program interrupt for an instruction it cannot emulate):
     * SRR0 is the current pc, so call it with pc at the instruction concerned. Between runs only.
     *
     * @param srr1Bits interrupt-specific SRR1 bits (MSB 33:36, 42:47)
     */
    public boolean deliverInterrupt(int vector, long srr1Bits, long dar, long dsisr) {
        if (vector == 0x300 || vector == 0x200 || vector == 0x600) {
            this.dar = dar;
            this.dsisr = dsisr & 0xFFFF_FFFFL;
        }
        return deliverInterrupt(vector, srr1Bits);
    }

    private void request(int bit) {
        requests.getAndUpdate(v -> v | bit);
        attention = true;
    }
}
