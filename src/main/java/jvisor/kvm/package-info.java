/**
 * The hypervisor, shaped like Linux KVM: {@code Kvm} and {@code Vm} whose methods mirror KVM's
 * ioctls, memslots, the MMU-notifier glue, and the one vCPU contract of every engine:
 * {@link jvisor.kvm.Vcpu}, whose {@code run()} is KVM_RUN - it returns a {@link jvisor.kvm.RunExit}
 * (one sealed family of typed exits: MMIO, PAPR hypercall, RTAS, ARM's MMIO without syndrome,
 * memory fault, shutdown, debug, OSI, interrupted, internal error), the VMM answers in the exit,
 * and the next {@code run()} completes the guest's instruction with that answer; {@code kick()}
 * ends a run from another thread. The vCPUs are {@code kvm.power.PowerVcpu} (guest code on its
 * own core), {@code kvm.arm.ArmVcpu} and {@code kvm.lguest.LguestCpu} (no instruction emulator:
 * the guest model hands them one access per run, and learns how it ended as an
 * {@link jvisor.kvm.AccessOutcome}). The POWER and ARM vCPUs keep a cache of table pages
 * ({@link jvisor.kvm.MemoryCache}) that their fault paths top up before taking the MMU lock.
 * Depends on {@code jvisor.memory} and {@code jvisor.hw}; knows nothing of the VMM or the CLI.
 */
package jvisor.kvm;
