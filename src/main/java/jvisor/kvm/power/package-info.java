/**
 * KVM Book3S HV for POWER9 radix guests: the partition-scoped table per VM filled lazily on
 * HDSI/HISI, its MMU-notifier handlers, aging and dirty logging, and the software walk of the
 * guest's process-scoped tables used for MMIO emulation and a debugger's translation
 * (KVM_TRANSLATE); guest debug (single step, breakpoints, watchpoints) and a VM timebase the VMM
 * can hold while the machine stands still. What a migration carries of a vCPU, the interrupt
 * sources and the partition is saved and restored by {@code VcpuState}, {@code XicsSourcesState}
 * and {@code PartitionState}.
 */
package jvisor.kvm.power;
