/**
 * Fuzz campaigns against the three engines ({@code jvisor fuzz}): hostile guests generated from
 * a seed drive the real stack of each engine, the VMM's own handlers answer their exits where the
 * engine has a VMM, and the host disturbs them meanwhile (MMU-notifier events, memslot changes,
 * VMID rollovers). Each campaign counts Java exceptions that escape an engine, accesses outside
 * the frames in use (the memory layer's {@link jvisor.memory.FrameGuard}, which a campaign
 * requires on), frames left after teardown and the peak heap; {@link jvisor.fuzz.Campaign} runs
 * one and {@link jvisor.fuzz.FuzzReport#line()} is its closing line. A mode of randomized
 * pre-copy live migrations checks the dirty log byte for byte.
 *
 * <p>The same seed gives the same guests, tables, hypercall arguments and host events; the
 * interleaving of the vCPU and host threads is the machine's, as on real hardware.
 *
 * <p>Sits beside the VMM: depends on {@code jvisor.vmm}, {@code jvisor.workload},
 * {@code jvisor.kvm} (and its architectures), {@code jvisor.hw} and {@code jvisor.memory}; only
 * {@code jvisor.cli} depends on it.
 */
package jvisor.fuzz;
