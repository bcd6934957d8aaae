package jvisor.kvm.power;

/**
 * The result of the hypervisor's software walk of a guest's process-scoped tables
 * ({@link GuestPageTableWalk}): a guest real address with the page size and the permissions the
 * guest's entry and AMR/IAMR grant, or why there is none.
 */
public record GuestTranslation(Status status, long ea, long gpa, int pageShift,
                               boolean mayRead, boolean mayWrite, boolean mayExecute, long failedAddress) {

    public enum Status {
        /** Translated. */
        OK,
        /** The guest's configuration is not one POWER9 walks (quadrant, table size, geometry, alignment): KVM's -EINVAL. */
        BAD_CONFIG,
        /** An entry on the way is not valid: KVM's -ENOENT. */
        NOT_PRESENT,
        /** A table address is not guest memory: KVM's -EFAULT. {@link #failedAddress} says which. */
        BAD_TABLE_ADDRESS
    }

    public boolean ok() {
        return status == Status.OK;
    }

    static GuestTranslation failed(Status status, long ea, long failedAddress) {
        return new GuestTranslation(status, ea, 0, 0, false, false, false, failedAddress);
    }
}
