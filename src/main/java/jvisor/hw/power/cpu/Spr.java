package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.FixedPoint.rt;

/**
 * Special-purpose registers: numbers, who may read and write them, and mfspr/mtspr/mftb.
 *
 * <p>Access rules implemented (Power ISA v3.0B Book III, mtspr/mfspr, as seen by a guest with
 * MSR[HV]=0):
 * <ul>
 * <li>A defined SPR whose access level is privileged, from problem state: privileged-instruction
 *     program interrupt. Hypervisor-only SPRs (LPCR, LPIDR, PTCR, HSRR0/1, HDEC, HEIR, ...) from
 *     privileged state: hypervisor emulation assistance exit (never delivered to the guest).</li>
 * <li>An undefined SPR (or a direction that is not defined, e.g. mtspr to PVR or mfspr of the
 *     write-only CTRL number): from problem state, a privileged-instruction program interrupt if
 *     SPR bit 0 (0x10 in the numbering) is set, else an illegal-instruction program interrupt (the
 *     hardware's emulation assistance as the hypervisor reflects it); from privileged state, SPRs
 *     0, 4, 5 and 6 give an illegal-instruction program interrupt and all others are no-ops
 *     (mfspr leaves RT unchanged).</li>
 * <li>32-bit SPRs (DSISR, PIDR, CTRL, VRSAVE, PSPB, PMCs, PVR, PIR) read back 32 bits wide.</li>
 * </ul>
 * The numbers are public for the hypervisor's {@link Core#readSpr}/{@link Core#writeSpr}.
 */
public final class Spr {
    private Spr() {
    }

    public static final int XER = 1, DSCR_USER = 3, LR = 8, CTR = 9, AMR_USER = 13, DSCR = 17, DSISR = 18, DAR = 19,
            DEC = 22, SRR0 = 26, SRR1 = 27, CFAR = 28, AMR = 29, PIDR = 48, IAMR = 61, CTRL_READ = 136,
            TIDR = 144, CTRL = 152, FSCR = 153, UAMOR = 157, PSPB = 159, VRSAVE = 256, SPRG3_USER = 259,
            TB = 268, TBU = 269, SPRG0 = 272, SPRG1 = 273, SPRG2 = 274, SPRG3 = 275, PVR = 287,
            HSPRG0 = 304, HSPRG1 = 305, HDSISR = 306, HDAR = 307, SPURR = 308, PURR = 309, HDEC = 310,
            HSRR0 = 314, HSRR1 = 315, LPCR = 318, LPIDR = 319, HEIR = 339, AMOR = 349, PTCR = 464,
            SIAR_USER = 780, SIAR = 796, SDAR = 797, ASDR = 816, TAR = 815, PSSCR = 823, PPR = 896, PPR32 = 898,
            PIR = 1023;

    static final byte UNDEFINED = 0, USER = 1, PRIVILEGED = 2, HYPERVISOR = 3;

    private static final byte[] READ = new byte[1024], WRITE = new byte[1024];
    private static final boolean[] NARROW = new boolean[1024];
    /** Where a plain-storage SPR lives in {@link Core#sprs} (user aliases point at the privileged number). */
    private static final short[] STORE = new short[1024];

    private static void def(int n, byte read, byte write, boolean narrow, int storeAt) {
        READ[n] = read;
        WRITE[n] = write;
        NARROW[n] = narrow;
        STORE[n] = (short) storeAt;
    }

    private static void def(int n, byte read, byte write) {
        def(n, read, write, false, n);
    }

    static {
        def(XER, USER, USER);
        def(DSCR_USER, USER, USER, false, DSCR);
        def(LR, USER, USER);
        def(CTR, USER, USER);
        def(AMR_USER, USER, USER);
        def(DSCR, PRIVILEGED, PRIVILEGED);
        def(DSISR, PRIVILEGED, PRIVILEGED, true, DSISR);
        def(DAR, PRIVILEGED, PRIVILEGED);
        def(DEC, PRIVILEGED, PRIVILEGED);
        def(SRR0, PRIVILEGED, PRIVILEGED);
        def(SRR1, PRIVILEGED, PRIVILEGED);
        def(CFAR, PRIVILEGED, PRIVILEGED);
        def(AMR, PRIVILEGED, PRIVILEGED);
        def(PIDR, PRIVILEGED, PRIVILEGED, true, PIDR);
        def(IAMR, PRIVILEGED, PRIVILEGED);
        def(CTRL_READ, USER, UNDEFINED, true, CTRL);
        def(TIDR, PRIVILEGED, PRIVILEGED);
        def(CTRL, UNDEFINED, PRIVILEGED, true, CTRL);
        def(FSCR, PRIVILEGED, PRIVILEGED);
        def(UAMOR, PRIVILEGED, PRIVILEGED);
        def(PSPB, PRIVILEGED, PRIVILEGED, true, PSPB);
        def(187, PRIVILEGED, PRIVILEGED); // CIABR
        def(VRSAVE, USER, USER, true, VRSAVE);
        def(SPRG3_USER, USER, UNDEFINED, false, SPRG3);
        def(TB, USER, UNDEFINED);
        def(TBU, USER, UNDEFINED);
        for (int n = SPRG0; n <= SPRG3; n++) {
            def(n, PRIVILEGED, PRIVILEGED);
        }
        def(PVR, PRIVILEGED, UNDEFINED, true, PVR);
        def(SPURR, PRIVILEGED, HYPERVISOR);
        def(PURR, PRIVILEGED, HYPERVISOR);
        for (int n : new int[] {HSPRG0, HSPRG1, HDSISR, HDAR, HDEC, 313, HSRR0, HSRR1, LPCR, LPIDR, 336, 337, 338,
                HEIR, AMOR, PTCR, ASDR, 1008, 190, 180, 188, 311}) {
            def(n, HYPERVISOR, HYPERVISOR);
        }
        for (int n = 284; n <= 286; n++) {
            def(n, UNDEFINED, HYPERVISOR); // timebase writes
        }
        // Performance monitor: privileged 784..798, problem-state aliases 768..782 (9 and 10 unused).
        for (int k = 0; k <= 14; k++) {
            if (k == 9 || k == 10) {
                continue;
            }
            boolean pmc = k >= 3 && k <= 8;
            def(784 + k, PRIVILEGED, PRIVILEGED, pmc, 784 + k);
            def(768 + k, USER, USER, pmc, 784 + k);
        }
        for (int n = 800; n <= 806; n++) {
            def(n, USER, USER); // event-based branch registers
        }
        def(TAR, USER, USER);
        def(PSSCR, PRIVILEGED, PRIVILEGED);
        def(PPR, USER, USER);
        def(PPR32, USER, USER, true, PPR32);
        def(PIR, PRIVILEGED, UNDEFINED, true, PIR);
    }

    private static int sprNumber(int w) {
        return ((w >>> 16) & 31) | (((w >>> 11) & 31) << 5);
    }

    /** Checks access; returns OK to go on, or the result of the interrupt/exit raised. */
    private static int check(Core c, int w, int n, byte level) {
        boolean problem = c.problemState();
        if (level == UNDEFINED) {
            if (problem) {
                return (n & 0x10) != 0 ? c.privileged() : c.illegal();
            }
            return n == 0 || (n >= 4 && n <= 6) ? c.illegal() : -1; // -1: no-op
        }
        if (problem && level >= PRIVILEGED) {
            return c.privileged();
        }
        if (level == HYPERVISOR) {
            return c.hypervisorAssist(w);
        }
        return Core.OK;
    }

    static int mfspr(Core c, int w) {
        return mfspr(c, w, sprNumber(w));
    }

    static int mftb(Core c, int w) {
        return mfspr(c, w, sprNumber(w));
    }

    private static int mfspr(Core c, int w, int n) {
        int r = check(c, w, n, READ[n]);
        if (r != Core.OK) {
            return r < 0 ? Core.OK : r;
        }
        c.gpr[rt(w)] = read(c, n);
        return Core.OK;
    }

    static int mtspr(Core c, int w) {
        int n = sprNumber(w);
        int r = check(c, w, n, WRITE[n]);
        if (r != Core.OK) {
            return r < 0 ? Core.OK : r;
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
        return switch (n) {
            case XER -> c.xer();
            case LR -> c.lr;
            case CTR -> c.ctr;
            case AMR, AMR_USER -> c.mmuRegs.amr;
            case IAMR -> c.mmuRegs.iamr;
            case PIDR -> c.mmuRegs.pidr & 0xFFFF_FFFFL;
            case LPIDR -> c.mmuRegs.lpidr & 0xFFFF_FFFFL;
            case LPCR -> c.mmuRegs.lpcr;
            case PTCR -> c.mmuRegs.ptcr;
            case DSISR -> c.dsisr & 0xFFFF_FFFFL;
            case DAR -> c.dar;
            case SRR0 -> c.srr0;
            case SRR1 -> c.srr1;
            case DEC -> c.decrementer();
            case TB, PURR, SPURR -> c.timebase();
            case TBU -> c.timebase() >>> 32;
            case PVR -> Core.PVR_POWER9;
            case PIR -> c.pir & 0xFFFF_FFFFL;
            case PPR32 -> c.sprs[PPR] >>> 32;
            case HSRR0 -> c.hsrr0;
            case HSRR1 -> c.hsrr1;
            case HDSISR -> c.hdsisr & 0xFFFF_FFFFL;
            case HDAR -> c.hdar;
            case ASDR -> c.asdr;
            case HEIR -> c.heir & 0xFFFF_FFFFL;
            case AMOR -> c.amor;
            default -> c.sprs[STORE[n] == 0 ? n : STORE[n]];
        };
    }

    /** Sets SPR n, without access checks, with the side effects the architecture gives it. */
    static void write(Core c, int n, long v) {
        switch (n) {
            case XER -> c.setXerBits(v);
            case LR -> c.lr = v;
            case CTR -> c.ctr = v;
            case AMR, AMR_USER -> {
                if (c.mmuRegs.amr != v) {
                    c.mmuRegs.amr = v;
                    c.flushTranslations();
                }
            }
            case IAMR -> {
                c.mmuRegs.iamr = v;
                c.flushTranslations();
            }
            case PIDR -> {
                c.mmuRegs.pidr = v & 0xFFFF_FFFFL;
                c.translationContextChanged();
            }
            case LPIDR -> {
                c.mmuRegs.lpidr = v & 0xFFFF_FFFFL;
                c.translationContextChanged();
            }
            case PTCR -> {
                c.mmuRegs.ptcr = v;
                c.translationContextChanged();
            }
            case LPCR -> {
                c.mmuRegs.lpcr = v;
                c.translationContextChanged();
            }
            case DSISR -> c.dsisr = v & 0xFFFF_FFFFL;
            case DAR -> c.dar = v;
            case SRR0 -> c.srr0 = v;
            case SRR1 -> c.srr1 = v;
            case DEC -> c.setDecrementer(v);
            case PPR32 -> c.sprs[PPR] = (c.sprs[PPR] & 0xFFFF_FFFFL) | (v << 32);
            case CTRL -> c.sprs[CTRL] = v & 1; // only the run latch is writable
            case HSRR0 -> c.hsrr0 = v;
            case HSRR1 -> c.hsrr1 = v;
            case HDSISR -> c.hdsisr = v & 0xFFFF_FFFFL;
            case HDAR -> c.hdar = v;
            case ASDR -> c.asdr = v;
            case HEIR -> c.heir = v & 0xFFFF_FFFFL;
            case AMOR -> c.amor = v;
            case PIR -> c.pir = v & 0xFFFF_FFFFL;
            case TB, TBU, PVR -> {
                // read-only to everyone here; the timebase belongs to the machine's TimeSource
            }
            default -> {
                int at = STORE[n] == 0 ? n : STORE[n];
                c.sprs[at] = NARROW[n] ? v & 0xFFFF_FFFFL : v;
            }
        }
    }
}
