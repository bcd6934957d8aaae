package jvisor.hw.arm;

/**
 * The exception syndrome of aborts (ESR_ELx), as the spec sheet lays it out: EC bits 31:26, IL
 * bit 25, and for data aborts the ISS fields ISV 24, SAS 23:22, SSE 21, SRT 20:16, SF 15, AR 14,
 * FnV 10, EA 9, CM 8, S1PTW 7, WnR 6, DFSC 5:0. Instruction aborts use S1PTW and the status code
 * only. The same layout serves ESR_EL2 (stage-2 faults, taken by the hypervisor) and ESR_EL1
 * (stage-1 faults, taken by the guest).
 */
public final class Esr {
    private Esr() {}

    public static final int EC_IABT_LOWER = 0x20, EC_IABT_CURRENT = 0x21, EC_DABT_LOWER = 0x24, EC_DABT_CURRENT = 0x25;
    public static final int EC_SHIFT = 26;
    public static final long IL = 1L << 25;
    public static final long ISV = 1L << 24;
    public static final int SAS_SHIFT = 22, SRT_SHIFT = 16;
    public static final long SSE = 1L << 21, SF = 1L << 15, AR = 1L << 14, FNV = 1L << 10, EA = 1L << 9, CM = 1L << 8;
    public static final long S1PTW = 1L << 7, WNR = 1L << 6;
    public static final long FSC_MASK = 0x3F;

    /** Fault status codes (DFSC / IFSC). The level is added to the base of the level-indexed ones. */
    public static final int FSC_ADDRESS_SIZE = 0x00, FSC_TRANSLATION = 0x04, FSC_ACCESS_FLAG = 0x08,
            FSC_PERMISSION = 0x0C, FSC_EXTERNAL = 0x10, FSC_EXTERNAL_WALK = 0x14, FSC_ALIGNMENT = 0x21;

    /** The kinds of fault the status code names, for counting and dispatch. */
    public enum FaultKind { ADDRESS_SIZE, TRANSLATION, ACCESS_FLAG, PERMISSION, EXTERNAL, ALIGNMENT, OTHER }

    /** The status code of a level-indexed fault kind at {@code level}. */
    public static int fsc(int base, int level) {
        return base + level;
    }

    /**
     * A data abort syndrome.
     *
     * @param access     the {@link AccessInfo} of the instruction; its fields are reported (ISV
     *                   set) only when it is a single-register access and the fault is not on
     *                   a stage-1 table walk
     * @param lowerEl    taken from a lower exception level (EC 0x24) rather than the current one
     */
    public static long dataAbort(int fsc, boolean write, boolean s1ptw, int access, boolean lowerEl) {
        long esr = ((long) (lowerEl ? EC_DABT_LOWER : EC_DABT_CURRENT) << EC_SHIFT) | IL | (fsc & FSC_MASK);
        if (s1ptw) {
            esr |= S1PTW;
        } else if (write) {
            esr |= WNR;
        }
        if (!s1ptw && AccessInfo.syndromeValid(access)) {
            esr |= ISV | ((long) AccessInfo.sizeLog2(access) << SAS_SHIFT) | ((long) AccessInfo.register(access) << SRT_SHIFT);
            if (AccessInfo.signExtend(access)) esr |= SSE;
            if (AccessInfo.sixtyFourBit(access)) esr |= SF;
            if (AccessInfo.acquireRelease(access)) esr |= AR;
        }
        return esr;
    }

    /** An instruction abort syndrome. */
    public static long instructionAbort(int fsc, boolean s1ptw, boolean lowerEl) {
        long esr = ((long) (lowerEl ? EC_IABT_LOWER : EC_IABT_CURRENT) << EC_SHIFT) | IL | (fsc & FSC_MASK);
        if (s1ptw) esr |= S1PTW;
        return esr;
    }

    public static int ec(long esr) {
        return (int) ((esr >>> EC_SHIFT) & 0x3F);
    }

    public static boolean isDataAbort(long esr) {
        int ec = ec(esr);
        return ec == EC_DABT_LOWER || ec == EC_DABT_CURRENT;
    }

    public static boolean isInstructionAbort(long esr) {
        int ec = ec(esr);
        return ec == EC_IABT_LOWER || ec == EC_IABT_CURRENT;
    }

    public static int fsc(long esr) {
        return (int) (esr & FSC_MASK);
    }

    public static boolean isv(long esr) {
        return (esr & ISV) != 0;
    }

    /** Access size in bytes (1, 2, 4, 8) from SAS. */
    public static int accessBytes(long esr) {
        return 1 << ((esr >>> SAS_SHIFT) & 3);
    }

    public static int srt(long esr) {
        return (int) ((esr >>> SRT_SHIFT) & 0x1F);
    }

    public static boolean sse(long esr) {
        return (esr & SSE) != 0;
    }

    public static boolean sf(long esr) {
        return (esr & SF) != 0;
    }

    public static boolean wnr(long esr) {
        return (esr & WNR) != 0;
    }

    public static boolean s1ptw(long esr) {
        return (esr & S1PTW) != 0;
    }

    public static FaultKind kind(long esr) {
        int fsc = fsc(esr);
        if (fsc <= 0x03) return FaultKind.ADDRESS_SIZE;
        if (fsc <= 0x07) return FaultKind.TRANSLATION;
        if (fsc <= 0x0B) return FaultKind.ACCESS_FLAG;
        if (fsc <= 0x0F) return FaultKind.PERMISSION;
        if (fsc == FSC_EXTERNAL || (fsc >= FSC_EXTERNAL_WALK && fsc <= FSC_EXTERNAL_WALK + 3)) return FaultKind.EXTERNAL;
        if (fsc == FSC_ALIGNMENT) return FaultKind.ALIGNMENT;
        return FaultKind.OTHER;
    }

    /** The lookup level of a level-indexed fault status code. */
    public static int level(long esr) {
        return fsc(esr) & 3;
    }

    public static String describe(long esr) {
        StringBuilder sb = new StringBuilder(String.format("ESR 0x%x: %s %s", esr,
                isInstructionAbort(esr) ? "instruction abort" : isDataAbort(esr) ? "data abort" : "EC 0x" + Integer.toHexString(ec(esr)),
                kind(esr).name().toLowerCase().replace('_', '-')));
        FaultKind k = kind(esr);
        if (k != FaultKind.EXTERNAL && k != FaultKind.ALIGNMENT && k != FaultKind.OTHER) sb.append(" L").append(level(esr));
        if (s1ptw(esr)) sb.append(" S1PTW");
        if (wnr(esr)) sb.append(" WnR");
        if (isv(esr)) {
            sb.append(String.format(" ISV size %d x%d%s%s", accessBytes(esr), srt(esr), sse(esr) ? " SSE" : "", sf(esr) ? " SF" : ""));
        }
        return sb.toString();
    }
}
