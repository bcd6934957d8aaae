package jvisor.hw.arm;

/**
 * HPFAR_EL2, the faulting IPA of a stage-2 abort: FIPA in bits [PA-9:4] holds IPA[PA-1:12]. The
 * page offset is not in it; for MMIO the hypervisor takes it from FAR_EL2 bits 11:0.
 */
public final class Hpfar {
    private Hpfar() {}

    public static long fromIpa(long ipa) {
        return (ipa >>> 12) << 4;
    }

    /** The IPA of the faulting page. */
    public static long ipa(long hpfar) {
        return (hpfar & ~0xFL) << 8;
    }

    /** The faulting IPA with the byte offset taken from FAR. */
    public static long ipa(long hpfar, long far) {
        return ipa(hpfar) | (far & 0xFFF);
    }
}
