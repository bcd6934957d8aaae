package jvisor.vmm;

/**
 * Told when the guest ends the machine (RTAS power-off, system-reboot, ibm,os-term). The run loop
 * stops every vCPU and the launcher exits with {@code status}. Called on the vCPU thread that made
 * the call, after the call's return values are in guest memory.
 */
@FunctionalInterface
public interface ShutdownListener {
    void shutdown(String reason, int status);

    /**
     * ibm,os-term: the guest's operating system gave up with {@code message} (its panic string).
     * The machine stops with status 1, as for any VM that stopped on an error.
     */
    default void osTerminated(String message) {
        shutdown("ibm,os-term: " + message, 1);
    }
}
