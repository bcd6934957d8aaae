package jvisor.kvm.lguest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jvisor.memory.GuestMemory;
import jvisor.memory.HostAddressSpace;
import jvisor.memory.PhysicalMemory;
import org.junit.jupiter.api.Test;

class GuestPhysicalMemoryTest {
    private static final long SIZE = 1L << 20;
    private final HostAddressSpace mm = new HostAddressSpace(new PhysicalMemory(1L << 30));
    private final long base = mm.mmap(2 * SIZE, 0);
    private final GuestPhysicalMemory mem = new GuestPhysicalMemory(mm, base, SIZE);

    @Test
    void entryAccessesAndCopiesSeeTheSameLittleEndianBytes() {
        assertTrue(mem.writeU32LE(0x1000, 0x1122_3344));
        byte[] b = new byte[4];
        assertTrue(mem.read(0x1000, b, 0, 4));
        assertEquals(0x44, b[0]);
        assertEquals(0x11, b[3]);
        assertEquals(0x4433_2211L, ((GuestMemory) mem).readU32BE(0x1000), "the interface's own accessor, big-endian");
        assertEquals(0x1122_3344, mem.readU32(0x1000));
    }

    @Test
    void theLastWordIsInsideAndTheNextOneIsNotBacked() {
        assertTrue(mem.writeU32LE(SIZE - 4, -1));
        assertEquals(0xFFFF_FFFFL, mem.readU32LE(SIZE - 4), "zero-extended, not the sentinel");
        assertEquals(GuestMemory.NOT_BACKED, mem.readU32LE(SIZE - 2));
        assertFalse(mem.writeU32LE(SIZE, 1), "the launcher's memory after the guest's is not the guest's");
        assertEquals(0, mem.readU32(SIZE), "a table entry out there reads as not present");
        assertFalse(mem.isBacked(SIZE - 4, 8));
        assertFalse(mem.read(-4, new byte[4], 0, 4));
    }
}
