/**
 * KVM/ARM's memory virtualization: a stage-2 table per VM (40-bit IPA, two concatenated tables
 * at level 1) whose table pages are host frames with the refcount invariant "1 + valid entries";
 * the operations on it as visitors of the one {@link jvisor.hw.arm.TableWalker}; break-before-make
 * with TLB invalidation by IPA; the abort handler (translation faults map, permission faults
 * relax, access-flag faults mark young, MMIO exits decoded from the syndrome, KVM_EXIT_ARM_NISV
 * without one); the vCPU as a {@link jvisor.kvm.Vcpu} whose run executes the one access the
 * guest model hands it and completes an MMIO load with the VMM's data; the MMU-notifier
 * and dirty-logging hooks of {@link jvisor.kvm.ArchMmu}; per-vCPU {@link jvisor.kvm.MemoryCache}s
 * topped up before the MMU lock is taken; the VMID allocator with generation rollover; and the
 * hypervisor's own EL2 mappings of each VM's and vCPU's state.
 *
 * <p>Depends on {@code jvisor.kvm}, {@code jvisor.hw.arm} and {@code jvisor.memory}; knows
 * nothing of the VMM, the workloads or the CLI.
 */
package jvisor.kvm.arm;
