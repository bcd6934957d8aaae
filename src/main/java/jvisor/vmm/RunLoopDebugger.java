package jvisor.vmm;

import jvisor.kvm.RunExit;
import jvisor.kvm.power.PowerVcpu;

/**
 * A debugger attached to the machine's run loop (QEMU's gdbstub in its main loop): it may hold a
 * vCPU between two runs and give it its guest-debug setting, and it hears of the debug exits it
 * asked for. The machine calls these on the vCPU's own thread, except {@link #machineStopping}.
 */
public interface RunLoopDebugger {
    /**
     * Before each run of {@code vcpu}: returns when it may run (at once unless the debugger holds
     * it), after setting its guest-debug state ({@link PowerVcpu#setGuestDebug}) for that run.
     */
    void beforeRun(PowerVcpu vcpu);

    /** {@code vcpu}'s run ended in a debug exit: a breakpoint, a watchpoint or a finished step. */
    void debugExit(PowerVcpu vcpu, RunExit.Debug exit);

    /**
     * Whether the debugger holds the vCPUs and the guest's timebase before the first instruction
     * (gdb's {@code -S}): it then lets the timebase go itself, and a machine restored from a
     * migration leaves it held until then.
     */
    default boolean holdsAtStart() {
        return false;
    }

    /** The machine is stopping (power-off, an error, a kill): nothing may be held any more. Any thread. */
    void machineStopping();
}
