/**
 * The POWER9 hardware below the core: radix translation and the architected constants both the
 * core ({@code jvisor.hw.power.cpu}) and the hypervisor use ({@link jvisor.hw.power.Msr},
 * {@link jvisor.hw.power.Dsisr}, {@link jvisor.hw.power.Srr1}, the interrupt vectors of
 * {@link jvisor.hw.power.InterruptVector}, the partition and process table formats).
 *
 * <p>Radix translation, as the silicon does it:
 * <ul>
 * <li>Formats as values: {@link jvisor.hw.power.Ptcr}, {@link jvisor.hw.power.PartitionTableEntry},
 * {@link jvisor.hw.power.ProcessTableEntry}, {@link jvisor.hw.power.RadixTreeRoot} (the root
 * doubleword both share) and {@link jvisor.hw.power.RadixEntry} (PDE and PTE), all raw
 * big-endian doublewords with static helpers and builders.</li>
 * <li>One walker, {@link jvisor.hw.power.RadixTreeWalker}: reads through a
 * {@link jvisor.hw.power.TableReader} (host memory, or through the partition-scoped tree for the
 * 2-D walk), hands entries to a {@link jvisor.hw.power.RadixWalkVisitor} (translate, map, unmap,
 * explain), and reports every read to a {@link jvisor.hw.power.RadixWalkListener}. Mapping is one
 * policy, {@link jvisor.hw.power.RadixMapPolicy}, for the hypervisor's faults and the tree builder
 * alike.</li>
 * <li>{@link jvisor.hw.power.RadixTranslator}: quadrants, PATE/PRTE, both stages, permission and
 * R/C checks, and the architected {@link jvisor.hw.power.TranslationFault} for every failure.</li>
 * <li>{@link jvisor.hw.power.RadixMmu}: a core's {@link jvisor.hw.power.Mmu}, a TLB in front of the
 * translator, with tlbie/tlbiel ({@link jvisor.hw.power.Tlbie}) broadcast through the machine's
 * {@link jvisor.hw.power.RadixTlbDomain}.</li>
 * <li>{@link jvisor.hw.power.ProcessTableWatch}: which guest table entries the cores'
 * translations were read from, and a log of the writes to them, so that a tlbie of a whole PID
 * drops only the translations whose entries changed (the rest are what a walk would find again);
 * the cores' caches in {@code jvisor.hw.power.cpu} act on it.</li>
 * </ul>
 *
 * <p>Choices where the sources differ, and why: QEMU is the reference machine, so a table base not
 * aligned to its size is masked (not rejected as KVM's software walk does), reserved bits are
 * ignored, a refused fetch reports SRR1 MSB 35 and a refused load/store (including by AMR key 0)
 * DSISR MSB 36, a bad PATE is an HDSI/HISI with ASDR = EA, and the quadrant check applies to guest
 * real mode. Where QEMU is silent the spec sheet rules: an RPN not aligned to its page is an
 * unsupported configuration (MSB 44), an address above the tree's 52 bits has no translation, a
 * table read that lands outside real memory is a machine check (0x200, DAR = EA,
 * {@code TranslationFault.MachineCheck.realAddress} = the missing address).
 *
 * <p>Hot paths (TLB hit, walk) neither allocate nor throw. Depends only on {@code jvisor.memory};
 * knows nothing of {@code jvisor.kvm}.
 */
package jvisor.hw.power;
