/**
 * The hypervisor, shaped like Linux KVM: {@code Kvm} and {@code Vm} whose methods mirror KVM's
 * ioctls, memslots, the MMU-notifier glue, the exits a vCPU returns to user space
 * ({@code RunExit}) and the vCPU's cache of table pages ({@code MemoryCache}) that every
 * architecture's fault path tops up before it takes the MMU lock. The vCPUs are per architecture
 * ({@code kvm.power.PowerVcpu}, {@code kvm.arm.ArmVcpu}, {@code kvm.lguest.LguestCpu}) and do not
 * share one interface yet.
 * Depends on {@code jvisor.memory} and {@code jvisor.hw}; knows nothing of the VMM or the CLI.
 */
package jvisor.kvm;
