/**
 * The ARMv8-A hardware that guest memory virtualization relies on: VMSAv8-64 stage-1 and
 * stage-2 descriptors (4 KiB granule) as {@code long} values, the VTCR/VTTBR settings, the
 * ESR_EL2 / HPFAR_EL2 / FAR syndromes of data and instruction aborts, the one table walker
 * (range walks with visitors, used by the hypervisor and by the hardware lookup), the two-stage
 * translation of a physical CPU with every stage-1 table read translated by stage 2, and a TLB
 * tagged by VMID and ASID with the TLBI operations.
 *
 * <p>Depends only on {@code jvisor.memory} (tables and data live in host real memory); knows
 * nothing of the hypervisor. Anything a guest can write in its tables or registers ends as an
 * architected fault in an {@link jvisor.hw.arm.Abort}, never as a Java exception.
 */
package jvisor.hw.arm;
