package jvisor.hw.arm;

/**
 * An abort the two-stage translation raised: to EL2 (a stage-2 fault, for the hypervisor: ESR_EL2,
 * FAR_EL2, HPFAR_EL2) or to EL1 (a stage-1 fault, for the guest kernel: ESR_EL1, FAR_EL1). One
 * instance per physical CPU is reused so a fault never allocates.
 */
public final class Abort {
    /** True when the abort is taken to the hypervisor (stage 2), false when to the guest (stage 1). */
    public boolean toEl2;
    public long esr;
    public long far;
    /** Only for aborts to EL2. */
    public long hpfar;

    public void clear() {
        toEl2 = false;
        esr = far = hpfar = 0;
    }

    public void stage2(long esr, long far, long ipa) {
        this.toEl2 = true;
        this.esr = esr;
        this.far = far;
        this.hpfar = Hpfar.fromIpa(ipa);
    }

    public void stage1(long esr, long far) {
        this.toEl2 = false;
        this.esr = esr;
        this.far = far;
        this.hpfar = 0;
    }

    @Override
    public String toString() {
        return String.format("%s far=0x%x%s (%s)", toEl2 ? "abort to EL2" : "abort to EL1", far,
                toEl2 ? String.format(" hpfar=0x%x ipa=0x%x", hpfar, Hpfar.ipa(hpfar)) : "", Esr.describe(esr));
    }
}
