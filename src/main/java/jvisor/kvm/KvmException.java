package jvisor.kvm;

/** A failed KVM ioctl: the errno KVM would return and why. */
public final class KvmException extends RuntimeException {
    public enum Errno { EINVAL, EEXIST, ENOENT, EFAULT, ENOMEM, EBUSY, ENXIO }

    private final Errno errno;

    public KvmException(Errno errno, String message) {
        super(message + " (" + errno + ")", null, false, false);
        this.errno = errno;
    }

    public Errno errno() {
        return errno;
    }
}
