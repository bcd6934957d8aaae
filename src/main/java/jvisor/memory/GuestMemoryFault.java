package jvisor.memory;

/** A guest physical access that no memory backs (KVM's -EFAULT from kvm_read_guest). */
public final class GuestMemoryFault extends RuntimeException {
    private final long gpa;

    public GuestMemoryFault(long gpa, String why) {
        super(String.format("guest physical 0x%x: %s", gpa, why), null, false, false);
        this.gpa = gpa;
    }

    public long gpa() {
        return gpa;
    }
}
