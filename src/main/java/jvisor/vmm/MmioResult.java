package jvisor.vmm;

/** What the {@link MmioBus} did with an access. */
public sealed interface MmioResult {

    /** A device took the access (a load's data is filled in). */
    record Handled() implements MmioResult {}

    /**
     * No device claims {@code [address, address+length)}, or the length is not one a device
     * accepts. A load got all-ones. The run loop decides what the guest sees: jvisor raises the
     * machine check QEMU's pseries raises for such loads, and reports the access once.
     */
    record NoDevice(long address, int length, boolean isWrite) implements MmioResult {}

    MmioResult HANDLED = new Handled();
}
