package jvisor.vmm;

/**
 * Told when the guest ends the machine (RTAS power-off). The run loop stops every vCPU and the
 * launcher exits with {@code status}. Called on the vCPU thread that made the call, after the
 * call's return values are in guest memory.
 */
@FunctionalInterface
public interface ShutdownListener {
    void shutdown(String reason, int status);
}
