package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.FixedPoint.rt;

import jvisor.hw.power.InterruptVector;
import jvisor.hw.power.Msr;

/**
 * Special-purpose registers: numbers, who may read and write them, and mfspr/mtspr/mftb.
 *
 * <p>Which numbers exist and at which privilege comes from the SPR table of Power ISA v3.0B
 * Book III §4.4.4 (Move To/From System Register Instructions), plus the POWER9-specific
 * registers QEMU's POWER9 model gives a pseries guest (EAR, SCOMC/D, MMCRH, TFMR, MMCRC, TACR,
 * TCSCR, CSIGR, SPMC1/2, MMCRS, WORT, TSCR, HID0, ...). Access rules, for a guest (MSR[HV]=0):
 * <ul>
 * <li>Privileged SPRs from problem state: privileged-instruction program interrupt.</li>
 * <li>Hypervisor SPRs: from problem state a privileged-instruction program interrupt, from
 *     privileged state the hypervisor emulation assistance interrupt (an exit; the hypervisor
 *     decides what the guest sees). A direction the table leaves undefined for a defined SPR
 *     (mtspr to PVR, TB, PIR, TIR, CTRL at 136, SPRG3 at 259, the problem-state PMU numbers
 *     768/780-782; mfspr of CTRL at 152 or of the timebase write numbers) is treated the same way
 *     from privileged state, which is what a pseries guest sees under QEMU.</li>
 * <li>Undefined numbers: from problem state a privileged-instruction program interrupt when
 *     SPR bit 0 (0x10 in the numbering) is 1, else hypervisor emulation assistance; from privileged
 *     state mfspr of 0, 4, 5, 6 and mtspr of 0 (numbers old software must see trapped: MQ, the
 *     601's RTC and DEC read numbers) cause hypervisor emulation assistance, all others are
 *     no-ops (mfspr leaves RT unchanged). 808-811 are no-ops in every state.</li>
 * <li>Facilities: the transactional-memory SPRs need MSR[TM] (else facility unavailable, cause
 *     TM, in any state); from problem state SPR 3 (DSCR), the EBB SPRs and TAR need their FSCR bit
 *     and the PMU SPRs 768-782 follow MMCR0[PMCC] (00: read only, 01: facility unavailable,
 *     1x: read and write).</li>
 * <li>32-bit SPRs read with the upper word zero; XER keeps bits 32:63 as written (its reserved
 *     bits read back, as QEMU's do); the BESCR set/reset numbers act on BESCR (Book II, Event-Based
 *     Branch Facility, Branch Event Status and Control Register).</li>
 * </ul>
 * The numbers are public for the hypervisor's {@link Core#readSpr}/{@link Core#writeSpr}.
 */
public final class Spr {
    private Spr() {
    }

    public static final int XER = 1, DSCR_USER = 3, LR = 8, CTR = 9, AMR_USER = 13, DSCR = 17, DSISR = 18, DAR = 19,
            DEC = 22, SRR0 = 26, SRR1 = 27, CFAR = 28, AMR = 29, PIDR = 48, IAMR = 61, TFHAR = 128, TFIAR = 129,
            TEXASR = 130, TEXASRU = 131, CTRL_READ = 136, TIDR = 144, CTRL = 152, FSCR = 153, UAMOR = 157,
            PSPB = 159, DPDES = 176, DAWR0 = 180, RPR = 186, CIABR = 187, DAWRX0 = 188, HFSCR = 190, VRSAVE = 256,
            SPRG3_USER = 259, TB = 268, TBU = 269, SPRG0 = 272, SPRG1 = 273, SPRG2 = 274, SPRG3 = 275, EAR = 282,
            TBL_WRITE = 284, TBU_WRITE = 285, TBU40 = 286, PVR = 287, HSPRG0 = 304, HSPRG1 = 305, HDSISR = 306,
            HDAR = 307, SPURR = 308, PURR = 309, HDEC = 310, HRMOR = 313, HSRR0 = 314, HSRR1 = 315, LPCR = 318,
            LPIDR = 319, HMER = 336, HMEER = 337, PCR = 338, HEIR = 339, AMOR = 349, TIR = 446, PTCR = 464,
            SIER_USER = 768, MMCR0_USER = 779, SIAR_USER = 780, MMCR1_USER = 782, SIER = 784, MMCR0 = 795,
            SIAR = 796, SDAR = 797, BESCRS = 800, BESCRSU = 801, BESCRR = 802, BESCRRU = 803, EBBHR = 804,
            EBBRR = 805, BESCR = 806, TAR = 815, ASDR = 816, PSSCR_PRIVILEGED = 823, IC = 848, VTB = 849,
            PSSCR = 855, WORT = 895, PPR = 896, PPR32 = 898, HID0 = 1008, PIR = 1023;

    /** Access levels of one direction of one SPR number. */
    static final byte UNDEFINED = 0, USER = 1, PRIVILEGED = 2, HYPERVISOR = 3, NO_OP = 4, OTHER_DIRECTION = 5;

    /** What else gates an access: an FSCR bit in problem state, MSR[TM], or MMCR0[PMCC]. */
    private static final byte GATE_NONE = 0, GATE_DSCR = 1, GATE_EBB = 2, GATE_TAR = 3, GATE_TM = 4, GATE_PMU = 5;

    /** FSCR bits (MSB 0 numbering: 61 DSCR, 59 BHRB, 56 EBB, 55 TAR, 51 SCV) and the causes FSCR[IC] reports. */
    static final long FSCR_DSCR = 1L << 2, FSCR_BHRB = 1L << 4, FSCR_EBB = 1L << 7, FSCR_TAR = 1L << 8,
            FSCR_SCV = 1L << 12;
    static final int CAUSE_DSCR = 2, CAUSE_PMU = 3, CAUSE_BHRB = 4, CAUSE_TM = 5, CAUSE_EBB = 7, CAUSE_TAR = 8,
            CAUSE_SCV = 12;

    private static final byte[] READ = new byte[1024], WRITE = new byte[1024], GATE = new byte[1024];
    private static final boolean[] NARROW = new boolean[1024];
    /** Where a plain-storage SPR lives in {@link Core#sprs} (aliases point at the privileged number). */
    private static final short[] STORE = new short[1024];

    private static void def(int n, byte read, byte write, boolean narrow, int storeAt, byte gate) {
        READ[n] = read;
        WRITE[n] = write;
        NARROW[n] = narrow;
        STORE[n] = (short) storeAt;
        GATE[n] = gate;
    }

    private static void def(int n, byte read, byte write) {
        def(n, read, write, false, n, GATE_NONE);
    }

    private static void def32(int n, byte read, byte write) {
        def(n, read, write, true, n, GATE_NONE);
    }

    static {
        def(XER, USER, USER);
        def(DSCR_USER, USER, USER, false, DSCR, GATE_DSCR);
        def(LR, USER, USER);
        def(CTR, USER, USER);
        def(AMR_USER, USER, USER);
        def(DSCR, PRIVILEGED, PRIVILEGED);
        def32(DSISR, PRIVILEGED, PRIVILEGED);
        def(DAR, PRIVILEGED, PRIVILEGED);
        def(DEC, PRIVILEGED, PRIVILEGED);
        def(SRR0, PRIVILEGED, PRIVILEGED);
        def(SRR1, PRIVILEGED, PRIVILEGED);
        def(CFAR, PRIVILEGED, PRIVILEGED);
        def(AMR, PRIVILEGED, PRIVILEGED);
        def32(PIDR, PRIVILEGED, PRIVILEGED);
        def(IAMR, PRIVILEGED, PRIVILEGED);
        for (int n = TFHAR; n <= TEXASRU; n++) {
            def(n, USER, USER, n == TEXASRU, n == TEXASRU ? TEXASR : n, GATE_TM);
        }
        def(CTRL_READ, USER, OTHER_DIRECTION, true, CTRL, GATE_NONE);
        def(TIDR, PRIVILEGED, PRIVILEGED);
        def(CTRL, OTHER_DIRECTION, PRIVILEGED, true, CTRL, GATE_NONE);
        def(FSCR, PRIVILEGED, PRIVILEGED);
        def(UAMOR, PRIVILEGED, PRIVILEGED);
        def32(PSPB, PRIVILEGED, PRIVILEGED);
        def(DPDES, PRIVILEGED, HYPERVISOR);
        def32(VRSAVE, USER, USER);
        def(SPRG3_USER, USER, OTHER_DIRECTION, false, SPRG3, GATE_NONE);
        def(TB, USER, OTHER_DIRECTION);
        def32(TBU, USER, OTHER_DIRECTION);
        for (int n = SPRG0; n <= SPRG3; n++) {
            def(n, PRIVILEGED, PRIVILEGED);
        }
        def(EAR, PRIVILEGED, PRIVILEGED);
        for (int n = TBL_WRITE; n <= TBU40; n++) {
            def(n, OTHER_DIRECTION, HYPERVISOR);
        }
        def32(PVR, PRIVILEGED, OTHER_DIRECTION);
        def(SPURR, PRIVILEGED, HYPERVISOR);
        def(PURR, PRIVILEGED, HYPERVISOR);
        def(TIR, PRIVILEGED, OTHER_DIRECTION);
        def(IC, PRIVILEGED, HYPERVISOR);
        def(VTB, PRIVILEGED, HYPERVISOR);
        // Hypervisor resources; 276/277 SCOMC/SCOMD, 316 MMCRH, 317 TFMR, 850/851/853 and 884 the
        // POWER9 performance-monitor and timer-facility registers, 921/922 TSCR and its neighbour.
        for (int n : new int[] {DAWR0, RPR, CIABR, DAWRX0, HFSCR, 276, 277, HSPRG0, HSPRG1, HDSISR, HDAR, HDEC,
                HRMOR, HSRR0, HSRR1, 316, 317, LPCR, LPIDR, HMER, HMEER, PCR, HEIR, AMOR, PTCR, ASDR, 850, 851,
                853, PSSCR, 884, 921, 922, HID0}) {
            def(n, HYPERVISOR, HYPERVISOR);
        }
        NARROW[DAWRX0] = NARROW[HDSISR] = NARROW[LPIDR] = NARROW[HEIR] = true;
        // Performance monitor: privileged 784..798, problem-state aliases 768..782 (9 and 10 unused).
        for (int k = 0; k <= 14; k++) {
            if (k == 9 || k == 10) {
                continue;
            }
            boolean pmc = k >= 3 && k <= 8;
            def(784 + k, PRIVILEGED, PRIVILEGED, pmc, 784 + k, GATE_NONE);
            // SIER, SIAR, SDAR and MMCR1 have no problem-state write number.
            boolean readOnly = k == 0 || k >= 12;
            def(768 + k, USER, readOnly ? OTHER_DIRECTION : USER, pmc, 784 + k, GATE_PMU);
        }
        for (int n = BESCRS; n <= BESCR; n++) {
            def(n, USER, USER, n == BESCRSU || n == BESCRRU, n, GATE_EBB);
        }
        for (int n = 808; n <= 811; n++) {
            def(n, NO_OP, NO_OP);
        }
        def(TAR, USER, USER, false, TAR, GATE_TAR);
        def(PSSCR_PRIVILEGED, PRIVILEGED, PRIVILEGED);
        // POWER9 implementation registers a guest may use: 885, TACR/TCSCR/CSIGR, SPMC1/2, MMCRS, WORT.
        for (int n : new int[] {885, 888, 889, 890, 892, 893, 894, WORT}) {
            def(n, PRIVILEGED, PRIVILEGED);
        }
        def(PPR, USER, USER);
        def32(PPR32, USER, USER);
        def32(PIR, PRIVILEGED, OTHER_DIRECTION);
    }

    /** Access level of mfspr (write=false) or mtspr (write=true) of SPR n. */
    static byte level(int n, boolean write) {
        return (write ? WRITE : READ)[n & 0x3FF];
    }

    /** Whether SPR n holds 32 bits (reads give the upper word zero). */
    static boolean narrow(int n) {
        return NARROW[n & 0x3FF];
    }

    private static int sprNumber(int w) {
        return ((w >>> 16) & 31) | (((w >>> 11) & 31) << 5);
    }

    private static final int NOP = -1;

    /** Checks access; returns OK to go on, NOP for a no-op, or the result of the interrupt/exit raised. */
    private static int check(Core c, int w, int n, byte level, boolean write) {
        boolean problem = c.problemState();
        boolean privilegedNumber = (n & 0x10) != 0;
        switch (level) {
            case USER:
                return gate(c, n, write);
            case PRIVILEGED:
                return problem ? c.interrupts.privileged() : Core.OK;
            case HYPERVISOR:
                return problem ? c.interrupts.privileged() : c.interrupts.hypervisorAssist(w);
            case NO_OP:
                return NOP;
            case OTHER_DIRECTION:
                if (problem) {
                    return privilegedNumber ? c.interrupts.privileged() : c.interrupts.hypervisorAssist(w);
                }
                return c.interrupts.hypervisorAssist(w);
            default:
                if (problem) {
                    return privilegedNumber ? c.interrupts.privileged() : c.interrupts.hypervisorAssist(w);
                }
                boolean trapped = n == 0 || (!write && n >= 4 && n <= 6);
                return trapped ? c.interrupts.hypervisorAssist(w) : NOP;
        }
    }

    private static int gate(Core c, int n, boolean write) {
        byte gate = GATE[n];
        if (gate == GATE_NONE) {
            return Core.OK;
        }
        if (gate == GATE_TM) {
            return (c.msr & Msr.TM) == 0 ? facilityUnavailable(c, CAUSE_TM) : Core.OK;
        }
        if (!c.problemState()) {
            return Core.OK;
        }
        long fscr = c.sprs[FSCR];
        return switch (gate) {
            case GATE_DSCR -> (fscr & FSCR_DSCR) == 0 ? facilityUnavailable(c, CAUSE_DSCR) : Core.OK;
            case GATE_EBB -> (fscr & FSCR_EBB) == 0 ? facilityUnavailable(c, CAUSE_EBB) : Core.OK;
            case GATE_TAR -> (fscr & FSCR_TAR) == 0 ? facilityUnavailable(c, CAUSE_TAR) : Core.OK;
            default -> {
                // MMCR0[PMCC] (MSB 44:45): 00 read only, 01 no access, 1x read and write.
                int pmcc = (int) (c.sprs[MMCR0] >>> 18) & 3;
                if (pmcc == 1) {
                    yield facilityUnavailable(c, CAUSE_PMU);
                }
                yield write && pmcc == 0 ? c.interrupts.privileged() : Core.OK;
            }
        };
    }

    /** Facility unavailable interrupt: the cause goes to FSCR[IC] (MSB 0:7). */
    static int facilityUnavailable(Core c, int cause) {
        c.sprs[FSCR] = (c.sprs[FSCR] & 0x00FF_FFFF_FFFF_FFFFL) | ((long) cause << 56);
        return c.interrupts.raise(InterruptVector.FACILITY_UNAVAILABLE, c.cia, 0);
    }

    static int mfspr(Core c, int w) {
        int n = sprNumber(w);
        int r = check(c, w, n, READ[n], false);
        if (r != Core.OK) {
            return r == NOP ? Core.OK : r;
        }
        c.gpr[rt(w)] = read(c, n);
        return Core.OK;
    }

    static int mftb(Core c, int w) {
        return mfspr(c, w);
    }

    static int mtspr(Core c, int w) {
        int n = sprNumber(w);
        int r = check(c, w, n, WRITE[n], true);
        if (r != Core.OK) {
            return r == NOP ? Core.OK : r;
        }
        long v = c.gpr[rt(w)];
        if (n == AMR_USER && c.problemState()) {
            long mask = c.sprs[UAMOR];
            v = (c.mmuRegs.amr & ~mask) | (v & mask);
        } else if (n == AMR || n == AMR_USER) {
            v = (c.mmuRegs.amr & ~c.amor) | (v & c.amor);
        }
        write(c, n, v);
        return Core.OK;
    }

    /** Value of SPR n, without access checks. */
    static long read(Core c, int n) {
        long v = switch (n) {
            case XER -> c.xer();
            case LR -> c.lr;
            case CTR -> c.ctr;
            case AMR, AMR_USER -> c.mmuRegs.amr;
            case IAMR -> c.mmuRegs.iamr;
            case PIDR -> c.mmuRegs.pidr;
            case LPIDR -> c.mmuRegs.lpidr;
            case LPCR -> c.mmuRegs.lpcr;
            case PTCR -> c.mmuRegs.ptcr;
            case DSISR -> c.dsisr;
            case DAR -> c.dar;
            case SRR0 -> c.srr0;
            case SRR1 -> c.srr1;
            case DEC -> c.decrementerValue();
            case TB, PURR, SPURR, VTB -> c.timebase();
            case TBU -> c.timebase() >>> 32;
            case PVR -> Core.PVR_POWER9;
            case PIR -> c.pir;
            case TIR, DPDES -> 0;
            case PPR32 -> c.sprs[PPR] >>> 32;
            case TEXASRU -> c.sprs[TEXASR] >>> 32;
            case BESCRS, BESCRR -> c.sprs[BESCR];
            case BESCRSU, BESCRRU -> c.sprs[BESCR] >>> 32;
            case HSRR0 -> c.hsrr0;
            case HSRR1 -> c.hsrr1;
            case HDSISR -> c.hdsisr;
            case HDAR -> c.hdar;
            case ASDR -> c.asdr;
            case HEIR -> c.heir;
            case AMOR -> c.amor;
            default -> c.sprs[STORE[n] == 0 ? n : STORE[n]];
        };
        return NARROW[n] ? v & 0xFFFF_FFFFL : v;
    }

    /** Sets SPR n, without access checks, with the side effects the architecture gives it. */
    static void write(Core c, int n, long v) {
        if (NARROW[n]) {
            v &= 0xFFFF_FFFFL;
        }
        switch (n) {
            case XER -> c.setXer(v);
            case LR -> c.lr = v;
            case CTR -> c.ctr = v;
            case AMR, AMR_USER -> {
                if (c.mmuRegs.amr != v) {
                    c.mmuRegs.amr = v;
                    c.translations.flushAll();
                }
            }
            case IAMR -> {
                c.mmuRegs.iamr = v;
                c.translations.flushAll();
            }
            case PIDR -> {
                c.mmuRegs.pidr = v;
                c.translations.processIdChanged(v);
            }
            case LPIDR -> {
                c.mmuRegs.lpidr = v;
                c.translations.contextChanged();
            }
            case PTCR -> {
                c.mmuRegs.ptcr = v;
                c.translations.contextChanged();
            }
            case LPCR -> {
                c.mmuRegs.lpcr = v;
                c.translations.contextChanged();
            }
            case DSISR -> c.dsisr = v;
            case DAR -> c.dar = v;
            case SRR0 -> c.srr0 = v;
            case SRR1 -> c.srr1 = v;
            case DEC -> c.setDecrementer(v);
            case PPR32 -> c.sprs[PPR] = (c.sprs[PPR] & 0xFFFF_FFFFL) | (v << 32);
            case TEXASRU -> c.sprs[TEXASR] = (c.sprs[TEXASR] & 0xFFFF_FFFFL) | (v << 32);
            // Book II, BESCR: the set and reset numbers turn BESCR bits on or off, the U forms its upper word.
            case BESCRS -> c.sprs[BESCR] |= v;
            case BESCRSU -> c.sprs[BESCR] |= v << 32;
            case BESCRR -> c.sprs[BESCR] &= ~v;
            case BESCRRU -> c.sprs[BESCR] &= ~(v << 32);
            case CTRL -> c.sprs[CTRL] = v & 1; // only the run latch is writable
            case HSRR0 -> c.hsrr0 = v;
            case HSRR1 -> c.hsrr1 = v;
            case HDSISR -> c.hdsisr = v;
            case HDAR -> c.hdar = v;
            case ASDR -> c.asdr = v;
            case HEIR -> c.heir = v;
            case AMOR -> c.amor = v;
            case PIR -> c.pir = v;
            case TB, TBU, TBL_WRITE, TBU_WRITE, TBU40, PVR, TIR, DPDES, PURR, SPURR, VTB -> {
                // read-only here; the timebase belongs to the machine's TimeSource
            }
            default -> c.sprs[STORE[n] == 0 ? n : STORE[n]] = v;
        }
    }
}
