package jvisor.vmm;

/**
 * The partition-wide LPCR bits that hypercalls handled in user space change. The machine applies
 * each change to every vCPU of the partition (as QEMU and KVM do: LPCR is per partition), before
 * the calling vCPU runs again.
 */
public interface LpcrControl {

    /** H_SET_MODE resource 4: interrupts are taken little-endian (LPCR[ILE]=1) or big-endian. */
    void setInterruptLittleEndian(boolean littleEndian);

    /**
     * H_REGISTER_PROCESS_TABLE: LPCR[UPRT] and LPCR[HR] set for a radix guest (clear once the
     * table is deregistered), LPCR[GTSE] as the guest asked.
     */
    void setProcessTableMode(boolean radix, boolean gtse);

    /** Ignores every change (a machine under test). */
    LpcrControl NONE = new LpcrControl() {
        @Override
        public void setInterruptLittleEndian(boolean littleEndian) {}

        @Override
        public void setProcessTableMode(boolean radix, boolean gtse) {}
    };
}
