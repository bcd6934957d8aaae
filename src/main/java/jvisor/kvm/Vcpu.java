package jvisor.kvm;

/**
 * A virtual CPU as user space sees it through KVM_RUN, the same for every engine: {@link #run()}
 * runs the guest until something needs the VMM and says what ({@link RunExit}); the VMM answers
 * in the exit it was handed (the device's bytes in {@link RunExit.Mmio#data}, a hypercall's
 * status in {@link RunExit.Hypercall#ret}) and calls {@code run()} again, which first completes
 * the guest's instruction with that answer (KVM's {@code kvm_handle_mmio_return}) and then goes
 * on. An exit that needs no answer (a store, a shutdown) is complete when it is returned.
 *
 * <p>One thread runs a vCPU; {@link #kick()} may come from any thread.
 *
 * <p>Where the guest's instructions come from differs: a POWER vCPU executes guest code on its
 * own core; the ARM and lguest vCPUs have no instruction emulator, and their guest model hands
 * them one load, store or fetch at a time. For those a run executes that one access: it ends in
 * an exit when the access needs the VMM, and otherwise in {@link RunExit.Interrupted} once the
 * access has retired or raised an exception the guest's own kernel takes - as a POWER run ends
 * when its instruction budget is spent.
 */
public interface Vcpu {

    /** The vCPU's id (KVM_CREATE_VCPU's argument). */
    int id();

    /**
     * KVM_RUN: completes what the last exit left to the guest with the answer the VMM put in it,
     * then runs the guest until the next exit.
     */
    RunExit run();

    /**
     * Makes the run in progress, or else the next one, return {@link RunExit.Interrupted} soon,
     * before the guest makes further progress once it has been seen (KVM's {@code immediate_exit}
     * or a signal to the vCPU thread). Any thread.
     */
    void kick();
}
