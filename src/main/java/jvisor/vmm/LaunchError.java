package jvisor.vmm;

/**
 * Why a machine cannot be launched as the user asked: a bad configuration value, a missing or
 * foreign kernel file, an image that does not fit in RAM. The message is one line meant for a
 * person; the CLI prints it after {@code jvisor: } and exits with status 2. Never used for what
 * a guest does at run time: guest mistakes become error statuses or faults for the guest.
 */
public final class LaunchError extends Exception {
    public LaunchError(String message) {
        super(message, null, false, false);
    }
}
