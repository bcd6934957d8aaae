/**
 * The POWER9 hardware: radix translation formats (PTCR, partition- and process-table entries,
 * PDE, PTE) as values, the one radix tree walker used for process-scoped, partition-scoped and
 * nested walks, the architected translation faults, the TLB with every tlbie form, and the core.
 * Depends only on {@code jvisor.memory} (to read host real memory); knows nothing of kvm.
 */
package jvisor.hw.power;
