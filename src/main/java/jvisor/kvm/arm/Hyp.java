package jvisor.kvm.arm;

import java.util.concurrent.atomic.LongAdder;
import jvisor.hw.arm.Stage1Descriptor;
import jvisor.hw.arm.TableLookup;
import jvisor.hw.arm.TableWalker;
import jvisor.hw.arm.TlbDomain;
import jvisor.kvm.MemoryCache;
import jvisor.memory.PhysicalMemory;

/**
 * The hypervisor's own half at EL2 (split mode, as in the seed): its EL2 stage-1 tables, in which
 * each VM's and vCPU's state is mapped when the VM or vCPU is created and unmapped when it is
 * destroyed, since code at EL2 can only touch what its tables map; and the TLB maintenance the
 * hypervisor exposes to the rest of KVM: invalidate a VMID, a VMID's IPA range, or every VM.
 *
 * <p>The EL2 tables are a {@link Stage2PageTable} of the stage-1 format with a 48-bit input starting at
 * level 0; hypervisor addresses are host real addresses plus {@link #HYP_VA_OFFSET}.
 */
public final class Hyp {
    public static final long HYP_VA_OFFSET = 0x0000_4000_0000_0000L;

    private final PhysicalMemory pm;
    private final TlbDomain tlbs;
    private final Stage2PageTable table;
    private final MemoryCache cache;
    private final TableLookup reader;

    public final LongAdder el2TlbFlushes = new LongAdder(), vmidFlushes = new LongAdder(),
            ipaFlushes = new LongAdder(), allVmFlushes = new LongAdder();
    private long pagesMapped;

    public Hyp(PhysicalMemory pm, TlbDomain tlbs) {
        this.pm = pm;
        this.tlbs = tlbs;
        this.table = Stage2PageTable.create(pm, 0, 1, 48, (addr, size) -> el2TlbFlushes.increment());
        if (table == null) throw new IllegalStateException("no memory for the EL2 tables");
        this.cache = new MemoryCache(pm, 4);
        this.reader = new TableLookup(pm);
    }

    /** EL2 leaf attributes: normal memory, read-write, never executable. */
    private static final long EL2_DATA = Stage1Descriptor.leaf(0, 3, Stage1Descriptor.MAIR_NORMAL, false, true, false, true);

    /**
     * Maps the host real pages {@code [pa, pa + size)} into EL2 (create_hyp_mappings).
     *
     * @return their hypervisor address, or -1 when the host is out of memory
     */
    public synchronized long createMappings(long pa, long size) {
        long start = pa & ~0xFFFL, end = (pa + size + 0xFFF) & ~0xFFFL;
        try {
            for (long p = start; p < end; p += 4096) {
                if (!cache.topUp(table.maxNewTables())) return -1;
                int r = table.map(p + HYP_VA_OFFSET, 4096, p, 12, EL2_DATA, cache, 0);
                if (r != Stage2PageTable.OK) return -1;
                pagesMapped++;
            }
            return pa + HYP_VA_OFFSET;
        } finally {
            // Nothing stays cached between calls, so the host's frame count shows exactly the EL2 tables.
            cache.free();
        }
    }

    /** Unmaps what {@link #createMappings} mapped; empty EL2 tables are freed. */
    public synchronized void removeMappings(long hypVa, long size) {
        long start = hypVa & ~0xFFFL, end = (hypVa + size + 0xFFF) & ~0xFFFL;
        pagesMapped -= table.unmap(start, end - start);
    }

    /** Reads a doubleword at a hypervisor address as code at EL2 would: through the EL2 tables. */
    public synchronized long readLong(long hypVa) {
        return pm.readLongLE(el2Address(hypVa));
    }

    /** Writes a doubleword at a hypervisor address through the EL2 tables. */
    public synchronized void writeLong(long hypVa, long value) {
        pm.writeLongLE(el2Address(hypVa), value);
    }

    /** The host real address EL2 reaches at {@code hypVa}; an unmapped one is the hypervisor's own bug. */
    private long el2Address(long hypVa) {
        if (!isMapped(hypVa)) {
            throw new IllegalStateException(String.format("EL2 access to unmapped 0x%x", hypVa));
        }
        return reader.outputAddress(hypVa);
    }

    /** Whether a hypervisor address is mapped at EL2. */
    public synchronized boolean isMapped(long hypVa) {
        return reader.find(table.rootPa(), 0, 1, hypVa) == TableWalker.OK && reader.foundLeaf();
    }

    public synchronized long pagesMapped() {
        return pagesMapped;
    }

    /** EL2 table pages in use, root included. */
    public long tablesInUse() {
        return table.tablesInUse();
    }

    // ---------------------------------------------------------------- TLB maintenance for KVM

    /** __kvm_tlb_flush_vmid: every entry of one VM. */
    public void flushVmid(int vmid) {
        vmidFlushes.increment();
        tlbs.invalidateVmid(vmid);
    }

    /** __kvm_tlb_flush_vmid_ipa: the entries of one VM built on an IPA range. */
    public void flushVmidIpa(int vmid, long ipa, long size) {
        ipaFlushes.increment();
        tlbs.invalidateIpa(vmid, ipa, size);
    }

    /** __kvm_flush_vm_context: every entry of every VM (VMID rollover). */
    public void flushVmContext() {
        allVmFlushes.increment();
        tlbs.invalidateAll();
    }
}
