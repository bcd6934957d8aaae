/**
 * The ARM guest model: Java code playing an ARM64 guest kernel for the scenarios of
 * {@code jvisor.workload}. It keeps real VMSAv8-64 stage-1 tables in guest memory (a root per
 * process loaded in TTBR0 with its ASID, the kernel's half shared by linking one kernel table
 * into every root, global kernel entries, non-global user entries), maps and unmaps with the
 * TLBI the architecture asks for, handles its own stage-1 faults (copy on write after fork), and
 * runs each vCPU's loads, stores and fetches through {@link jvisor.kvm.arm.ArmVcpu}, so every
 * miss walks both stages and every stage-2 fault goes to the hypervisor. MMIO exits are answered
 * by a small device model. May depend on {@code jvisor.workload}, {@code jvisor.kvm},
 * {@code jvisor.kvm.arm}, {@code jvisor.hw.arm} and {@code jvisor.memory}.
 */
package jvisor.workload.arm;
