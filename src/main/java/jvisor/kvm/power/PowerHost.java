package jvisor.kvm.power;

import java.util.BitSet;
import jvisor.hw.power.PartitionTableEntry;
import jvisor.hw.power.Ptcr;
import jvisor.hw.power.RadixTlbDomain;
import jvisor.kvm.Kvm;
import jvisor.memory.PageSizes;
import jvisor.memory.PhysicalMemory;

/**
 * What the host kernel owns once per POWER9 machine: the partition table that PTCR points at
 * (one 16-byte entry per LPID, in host real memory), the LPID allocator, and the tlbie domain
 * every core's TLB belongs to. LPID 0 is the host's own partition and never given to a guest.
 */
public final class PowerHost {
    /** 2^(12+PATS) bytes of partition table: 4096 entries, LPIDs 0..4095. */
    static final int PATS = 4;
    public static final int MAX_LPID = (1 << (12 + PATS)) / PartitionTableEntry.SIZE - 1;

    private final PhysicalMemory phys;
    private final long partitionTable;
    private final BitSet lpids = new BitSet();
    private final RadixTlbDomain tlbDomain = new RadixTlbDomain();

    public PowerHost(PhysicalMemory phys) {
        this.phys = phys;
        long pfn = phys.allocate(PATS);
        if (pfn == PhysicalMemory.NO_FRAME) throw new IllegalStateException("no memory for the partition table");
        this.partitionTable = pfn << PageSizes.SHIFT_4K;
        lpids.set(0);
    }

    /** The host-wide instance of a {@link Kvm}. */
    public static PowerHost of(Kvm kvm) {
        return kvm.hostState(PowerHost.class, () -> new PowerHost(kvm.physicalMemory()));
    }

    /** The value the host loads into PTCR on every core. */
    public long ptcr() {
        return Ptcr.of(partitionTable, PATS);
    }

    public RadixTlbDomain tlbDomain() {
        return tlbDomain;
    }

    public PhysicalMemory physicalMemory() {
        return phys;
    }

    synchronized int allocateLpid() {
        int lpid = lpids.nextClearBit(1);
        if (lpid > MAX_LPID) return -1;
        lpids.set(lpid);
        return lpid;
    }

    synchronized void freeLpid(int lpid) {
        lpids.clear(lpid);
    }

    /**
     * Writes a partition's entry and flushes everything the cores cached for the LPID, so the
     * new tree or process table is used from the next access on.
     */
    void writePartitionTableEntry(int lpid, long dword0, long dword1) {
        long a = partitionTable + (long) lpid * PartitionTableEntry.SIZE;
        phys.writeLongBERelease(a + 8, dword1);
        phys.writeLongBERelease(a, dword0);
        tlbDomain.invalidatePartition(lpid);
    }

    long readPartitionTableEntry(int lpid, int dword) {
        return phys.readLongBEAcquire(partitionTable + (long) lpid * PartitionTableEntry.SIZE + 8L * dword);
    }
}
