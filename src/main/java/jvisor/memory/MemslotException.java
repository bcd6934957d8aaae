package jvisor.memory;

/** A rejected KVM_SET_USER_MEMORY_REGION, with the errno KVM would return. */
public final class MemslotException extends RuntimeException {
    public enum Errno { EINVAL, EEXIST }

    private final Errno errno;

    public MemslotException(Errno errno, String message) {
        super(message + " (" + errno + ")", null, false, false);
        this.errno = errno;
    }

    public Errno errno() {
        return errno;
    }
}
