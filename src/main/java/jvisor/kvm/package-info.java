/**
 * The hypervisor, shaped like Linux KVM: {@code Kvm}, {@code Vm} and {@code Vcpu} whose methods
 * mirror KVM's ioctls, memslots, the MMU-notifier glue and the exits a vCPU returns to user space.
 * Depends on {@code jvisor.memory} and {@code jvisor.hw}; knows nothing of the VMM or the CLI.
 */
package jvisor.kvm;
