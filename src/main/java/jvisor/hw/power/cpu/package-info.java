/**
 * The POWER9 core as a pseries guest sees it: the Power ISA v3.0B fixed-point, load/store,
 * branch and system instructions, the SPRs, and the interrupts, in 64- and 32-bit mode, big- and
 * little-endian, problem and privileged state, always with MSR[HV]=0.
 *
 * <p>{@link jvisor.hw.power.cpu.Core} runs guest code until something the hypervisor must handle
 * happens and returns an {@link jvisor.hw.power.cpu.Exit} code (hypercall, HDSI/HISI,
 * hypervisor emulation assistance, instruction limit, stop). Instructions are decoded once per
 * real page into a {@link jvisor.hw.power.cpu.DecodeCache} shared by the machine's cores and
 * dropped when the page is written; instruction bodies are small static methods grouped by
 * family and dispatched by one switch; faults never throw, they are delivered as architected
 * interrupts or returned as exits.
 *
 * <p>Depends on {@code jvisor.memory} (real memory) and {@code jvisor.hw.power} (the
 * {@link jvisor.hw.power.Mmu}, its registers and faults, {@link jvisor.hw.power.TlbControl}).
 * Never on {@code jvisor.kvm} or anything above it.
 */
package jvisor.hw.power.cpu;
