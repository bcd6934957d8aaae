package jvisor.kvm;

/**
 * How one access the guest model hands a vCPU without an instruction emulator (ARM, lguest)
 * ended, as the model needs to know it: the {@link Vcpu#run()} underneath returns
 * {@link RunExit.Interrupted} for the first two and the exit for the third.
 */
public enum AccessOutcome {
    /** The access completed (a load's value is in the vCPU's register). */
    DONE,
    /** The access raised an exception the guest's own kernel takes (a fault from its tables, an injected abort). */
    GUEST_EXCEPTION,
    /** The run ended with an exit for the VMM (the vCPU's last exit says which), or was kicked. */
    EXIT
}
