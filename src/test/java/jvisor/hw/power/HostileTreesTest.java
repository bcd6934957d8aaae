package jvisor.hw.power;

import static jvisor.hw.power.RadixMachine.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * Tables written by a hostile or broken guest give architected faults: never a host exception,
 * never a read outside real memory ({@link ArrayRealMemory} fails the test if one happens).
 */
class HostileTreesTest {
    static final long EA = 0xC000000000012345L;

    /** A hypervisor (HV=1, quadrant 3) tree rooted at host 0x200000 with hand-written levels. */
    private static RadixMachine hypervisorTree(long rootSlot0) {
        RadixMachine m = new RadixMachine();
        m.host.writeLongBE(HOST_PROCESS_TABLE, RadixTreeRoot.of52(0x200000));
        m.host.writeLongBE(0x200000, rootSlot0);
        return m;
    }

    @Test
    void aDirectoryPointingAtItselfStopsAfterFourLevels() {
        // Level 1 table at 0x300000 whose slot 0 points back at 0x300000: levels 1, 2 and 3 are the
        // same table, and the fourth read finds a directory where a leaf must be.
        RadixMachine m = hypervisorTree(RadixEntry.pde(0x300000, 9));
        m.host.writeLongBE(0x300000, RadixEntry.pde(0x300000, 9));
        List<Long> reads = new ArrayList<>();
        // EA 0x345 in quadrant 3 uses slot 0 at every level.
        long ra = m.explain(0xC000000000000345L, Mmu.LOAD, HYPERVISOR,
                (s, l, g, h, e) -> {
                    if (s == WalkStage.PROCESS_SCOPED) {
                        reads.add(h);
                    }
                });
        assertEquals(-1, ra);
        assertEquals(0x300, m.fault.vector);
        assertEquals(0x00080000L, m.fault.dsisr);
        assertEquals(List.of(0x200000L, 0x300000L, 0x300000L, 0x300000L), reads);
    }

    @Test
    void aLoopBackToTheRootIsCaughtByTheGeometryCheck() {
        RadixMachine m = hypervisorTree(RadixEntry.pde(0x200000, 13));
        assertEquals(-1, m.translate(EA, Mmu.LOAD, HYPERVISOR));
        assertEquals(0x00080000L, m.fault.dsisr);
    }

    @Test
    void aDirectoryPointingOutsideMemoryIsAMachineCheck() {
        RadixMachine m = hypervisorTree(RadixEntry.pde(0x0FFFFFFFFFFFF000L, 9));
        assertEquals(-1, m.translate(EA, Mmu.STORE, HYPERVISOR));
        assertEquals(0x200, m.fault.vector);
        assertEquals(EA, m.fault.dar);
        assertEquals(0x0FFFFFFFFFFFF000L, m.fault.realAddress);
    }

    @Test
    void aPartitionTableOutsideMemoryIsAMachineCheck() {
        RadixMachine m = new RadixMachine();
        m.regs.ptcr = Ptcr.of(0x0FFFFFFFFFFF0000L, 0);
        assertEquals(-1, m.translate(EA, Mmu.LOAD, GUEST_OS));
        assertEquals(0x200, m.fault.vector);
        assertEquals(0x0FFFFFFFFFFF0010L, m.fault.realAddress);
    }

    @Test
    void aProcessTableOutsideMemoryIsAMachineCheck() {
        RadixMachine m = new RadixMachine();
        m.host.writeLongBE(PARTITION_TABLE + 8, PartitionTableEntry.radixDword1(0x40000000L, 0));
        assertEquals(-1, m.translate(EA, Mmu.FETCH, HYPERVISOR));
        assertEquals(0x200, m.fault.vector);
        assertEquals(0x40000000L, m.fault.realAddress);
    }

    @Test
    void reservedBitsInADirectoryEntryAreIgnored() {
        RadixMachine m = new RadixMachine();
        m.mapHost(0, EA, 0x3000000, 12, KERNEL_RW);
        long root = RadixTreeRoot.rpdb(m.host.readLongBE(HOST_PROCESS_TABLE));
        long pde = m.host.readLongBE(root);
        // MSB 2:3 and 56:58 are reserved in a PDE.
        m.host.writeLongBE(root, pde | 0x3000000000000000L | 0xE0);
        assertEquals(0x3000345L, m.translate(EA, Mmu.LOAD, HYPERVISOR));
    }

    @Test
    void aLeafRpnBeyondTheTableReachDoesNotEscapeIntoATableRead() {
        // The guest maps its data to guest real 2^56 - 4K: the partition-scoped walk has no
        // translation for an address above 2^52.
        RadixMachine m = new RadixMachine().identityPartition(21);
        m.mapGuest(0, EA, 0x01FFFFFFFFFFF000L, 12, KERNEL_RW);
        assertEquals(-1, m.translate(EA, Mmu.LOAD, GUEST_OS));
        assertEquals(0xE00, m.fault.vector);
        assertEquals(0x40000000L, m.fault.hdsisr);
        assertEquals(0x01FFFFFFFFFFF345L, m.fault.asdr);
    }

    @Test
    void randomTablesNeverThrowAndAlwaysGiveAnArchitectedResult() {
        Set<Integer> vectors = Set.of(0x200, 0x300, 0x380, 0x400, 0x480, 0xE00, 0xE20);
        Random random = new Random(0x9A11AD);
        int translated = 0;
        for (int round = 0; round < 40; round++) {
            ArrayRealMemory mem = new ArrayRealMemory(1 << 20);
            for (long a = 0; a < mem.size(); a += 8) {
                mem.writeLongBE(a, plausibleEntry(random, mem.size()));
            }
            MmuRegisters regs = new MmuRegisters();
            regs.ptcr = Ptcr.of(random.nextInt(1 << 20), random.nextInt(4));
            regs.lpidr = random.nextInt(4);
            regs.pidr = random.nextInt(8);
            regs.amr = random.nextLong();
            RadixMmu mmu = new RadixMmu(regs, mem, null);
            for (int i = 0; i < 500; i++) {
                long ea = random.nextBoolean() ? random.nextLong() : random.nextLong() & 0xC00000000FFFFFFFL;
                long msr = random.nextLong() & (MSR_HV | MSR_PR | MSR_IR | MSR_DR);
                long ra = mmu.translate(ea, random.nextInt(3), msr);
                if (ra == -1) {
                    assertTrue(vectors.contains(mmu.fault().vector()), mmu.fault().toString());
                } else {
                    translated++;
                }
            }
        }
        assertTrue(translated > 0);
    }

    /** Mostly valid-looking entries pointing into (and sometimes outside) memory. */
    private static long plausibleEntry(Random r, long size) {
        long address = r.nextInt(8) == 0 ? r.nextLong() : (r.nextLong() & (size - 1));
        return switch (r.nextInt(6)) {
            case 0 -> r.nextLong();
            case 1 -> 0;
            case 2 -> RadixEntry.pte(address, r.nextLong() & 0xFFF);
            case 3 -> PartitionTableEntry.HR | RadixTreeRoot.encode(address, r.nextBoolean() ? 13 : r.nextInt(32),
                    r.nextBoolean() ? 52 : 31 + r.nextInt(32));
            default -> RadixEntry.pde(address, r.nextBoolean() ? 9 : (r.nextBoolean() ? 5 : r.nextInt(32)));
        };
    }
}
