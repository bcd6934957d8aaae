package jvisor.hw.power;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import jvisor.memory.RealMemory;
import java.util.Map;

/**
 * A small machine for tests: 64 MiB of host real memory, a partition table, one guest (LPID 1)
 * whose 16 MiB of guest real memory sits at host 0x2000000, and a builder for each tree.
 *
 * <pre>
 * host 0x0010000  partition table (PATS=0: 4 KiB, LPIDs 0..255)
 * host 0x0020000  host process table (PRTS=0: PIDs 0..255)
 * host 0x0100000  host tables (bump allocator, up to 0x1000000)
 * host 0x2000000  guest real 0 .. 0x1000000
 *   guest 0x0010000  guest process table (PRTS=0)
 *   guest 0x0800000  guest tables (bump allocator)
 * </pre>
 */
final class RadixMachine {
    static final int HOST_SIZE = 64 << 20;
    static final long PARTITION_TABLE = 0x10000;
    static final long HOST_PROCESS_TABLE = 0x20000;
    static final long GUEST_BASE = 0x2000000;
    static final long GUEST_SIZE = 0x1000000;
    static final long GUEST_PROCESS_TABLE = 0x10000;
    static final int LPID = 1;

    static final long MSR_HV = Msr.HV, MSR_PR = Msr.PR,
            MSR_IR = Msr.IR, MSR_DR = Msr.DR;
    /** A guest kernel with translation on. */
    static final long GUEST_OS = MSR_IR | MSR_DR;
    /** A guest application. */
    static final long GUEST_USER = MSR_IR | MSR_DR | MSR_PR;
    /** The hypervisor with translation on. */
    static final long HYPERVISOR = MSR_HV | MSR_IR | MSR_DR;

    /** Kernel data: privileged, read-write, R and C set. */
    static final long KERNEL_RW = RadixEntry.PRIVILEGED | RadixEntry.READ_WRITE | RadixEntry.REFERENCE | RadixEntry.CHANGE;
    /** Partition-scoped normal memory: read-write-execute, R and C set. */
    static final long PART_RWX = RadixEntry.READ | RadixEntry.READ_WRITE | RadixEntry.EXECUTE
            | RadixEntry.REFERENCE | RadixEntry.CHANGE;

    final ArrayRealMemory host = new ArrayRealMemory(HOST_SIZE);
    final RealMemory guest = RealMemory.window(host, GUEST_BASE, GUEST_SIZE);
    final MmuRegisters regs = new MmuRegisters();
    final RadixTlbDomain domain = new RadixTlbDomain();
    final RadixMmu mmu;
    final ReportedFault fault = new ReportedFault();

    private long nextHostTable = 0x100000;
    private long nextGuestTable = 0x800000;
    final RadixTreeBuilder hostTables;
    final RadixTreeBuilder guestTables;
    final Map<Long, Long> partitionRoots = new HashMap<>();
    final Map<Long, Long> guestRoots = new HashMap<>();
    final Map<Long, Long> hostRoots = new HashMap<>();

    RadixMachine() {
        this(9, 9);
    }

    /** @param partitionLastBits 9 or 5; @param guestLastBits 9 or 5 */
    RadixMachine(int partitionLastBits, int guestLastBits) {
        hostTables = new RadixTreeBuilder(host, this::allocateHost, partitionLastBits);
        guestTables = new RadixTreeBuilder(guest, this::allocateGuest, guestLastBits);
        regs.ptcr = Ptcr.of(PARTITION_TABLE, 0);
        regs.lpidr = LPID;
        mmu = new RadixMmu(regs, host, domain);
        long root = hostTables.newRoot();
        partitionRoots.put((long) LPID, root);
        new PartitionTableEntry(PartitionTableEntry.HR | root,
                PartitionTableEntry.radixDword1(GUEST_PROCESS_TABLE, 0))
                .writeTo(host, PARTITION_TABLE + 16L * LPID);
        // LPID 0: the hypervisor's own process table, and an (empty) partition-scoped tree.
        long hvRoot = hostTables.newRoot();
        partitionRoots.put(0L, hvRoot);
        new PartitionTableEntry(PartitionTableEntry.HR | hvRoot,
                PartitionTableEntry.radixDword1(HOST_PROCESS_TABLE, 0)).writeTo(host, PARTITION_TABLE);
    }

    long allocateHost(long bytes) {
        long a = (nextHostTable + bytes - 1) & -bytes;
        if (a + bytes > 0x1000000) {
            return -1;
        }
        nextHostTable = a + bytes;
        return a;
    }

    long allocateGuest(long bytes) {
        long a = (nextGuestTable + bytes - 1) & -bytes;
        if (a + bytes > GUEST_SIZE) {
            return -1;
        }
        nextGuestTable = a + bytes;
        return a;
    }

    /** Maps all of guest real memory in the partition-scoped tree of LPID 1 with pages of 2^shift. */
    RadixMachine identityPartition(int shift) {
        assertEquals(RadixTreeBuilder.MAPPED,
                hostTables.mapRange(partitionRoots.get((long) LPID), 0, GUEST_BASE, GUEST_SIZE, shift, PART_RWX));
        return this;
    }

    void mapPartition(long lpid, long gra, long hra, int shift, long bits) {
        assertEquals(RadixTreeBuilder.MAPPED, hostTables.map(partitionRoots.get(lpid), gra, shift, RadixEntry.pte(hra, bits)));
    }

    /** The guest's tree for {@code pid}, created (and its PRTE written) on first use. */
    long guestRoot(long pid) {
        return guestRoots.computeIfAbsent(pid, p -> {
            long root = guestTables.newRoot();
            guest.writeLongBE(GUEST_PROCESS_TABLE + 16 * p, root);
            return root;
        });
    }

    void mapGuest(long pid, long ea, long gra, int shift, long bits) {
        assertEquals(RadixTreeBuilder.MAPPED, guestTables.map(guestRoot(pid), ea & RadixTranslator.EA_WITHOUT_QUADRANT, shift, RadixEntry.pte(gra, bits)));
    }

    /** The address of the guest PTE written by the last {@link #mapGuest}, guest real. */
    long lastGuestPte() {
        return guestTables.lastEntryAddress();
    }

    long hostRoot(long pid) {
        return hostRoots.computeIfAbsent(pid, p -> {
            long root = hostTables.newRoot();
            host.writeLongBE(HOST_PROCESS_TABLE + 16 * p, root);
            return root;
        });
    }

    void mapHost(long pid, long ea, long ra, int shift, long bits) {
        assertEquals(RadixTreeBuilder.MAPPED, hostTables.map(hostRoot(pid), ea & RadixTranslator.EA_WITHOUT_QUADRANT, shift, RadixEntry.pte(ra, bits)));
    }

    long translate(long ea, int access, long msr) {
        long ra = mmu.translate(ea, access, msr);
        fault.set(ra < 0 ? mmu.fault() : null);
        return ra;
    }

    /** {@link RadixMmu#explain}, with the fault (if any) in {@link #fault}. */
    long explain(long ea, int access, long msr, RadixWalkListener listener) {
        long ra = mmu.explain(ea, access, msr, listener);
        fault.set(ra < 0 ? mmu.fault() : null);
        return ra;
    }
}
