package jvisor.memory;

import static org.junit.jupiter.api.Assertions.*;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class GuestMemoryTest {
    private static final long MIB = 1L << 20;

    private final PhysicalMemory pm = new PhysicalMemory(1L << 30);
    private final HostAddressSpace mm = new HostAddressSpace(pm);
    private final MemslotTable slots = new MemslotTable();
    private final long hva = mm.mmap(4 * MIB, 0);
    private final long rom = mm.mmap(MIB, 0);
    private final MemslotGuestMemory gm;

    GuestMemoryTest() {
        slots.set(new UserMemoryRegion(0, MemorySlot.LOG_DIRTY_PAGES, 0, 4 * MIB, hva), s -> {});
        slots.set(new UserMemoryRegion(1, MemorySlot.READONLY, 8 * MIB, MIB, rom), s -> {});
        gm = new MemslotGuestMemory(slots, mm);
    }

    @Test
    void accessesGoThroughSlotsAndWritesAreLogged() {
        assertTrue(gm.writeU64BE(0x3000 - 4, 0x0102030405060708L));
        assertEquals(OptionalLong.of(0x0102030405060708L), gm.readU64BE(0x3000 - 4));
        assertTrue(slots.byId(0).dirtyBitmap().isDirty(2));
        assertTrue(slots.byId(0).dirtyBitmap().isDirty(3));
        byte[] b = new byte[1];
        mm.read(hva + 0x2FFC, b, 0, 1);
        assertEquals(1, b[0], "the guest address is the host address of its slot");
        assertFalse(gm.isBacked(4 * MIB - 8, 16));
        assertTrue(gm.isBacked(0, 4 * MIB));
    }

    @Test
    void failedAccessesAreResultsNotExceptions() {
        assertEquals(OptionalLong.empty(), gm.readU64BE(4 * MIB), "no slot there");
        assertEquals(GuestMemory.NOT_BACKED, gm.readU32BE(4 * MIB - 2), "the last two bytes are outside the slot");
        assertFalse(gm.writeU32BE(8 * MIB, 1), "a read-only slot refuses writes");
        assertEquals(0, gm.readU32BE(8 * MIB), "and reads as it was");
        assertFalse(gm.read(-4, new byte[4], 0, 4));
        assertFalse(gm.isBacked(-4, 4));
    }

    @Test
    void sizedAccessorsFollowTheByteOrderInTheirName() {
        byte[] bytes = {(byte) 0x80, 0x11, 0x22, 0x33};
        assertTrue(gm.write(0x100, bytes, 0, 4));
        assertEquals(0x8011_2233L, gm.readU32BE(0x100), "zero-extended, never negative");
        assertEquals(0x3322_1180L, gm.readU32LE(0x100));
        assertTrue(gm.writeU32LE(0x200, 0xA1B2C3D4));
        byte[] back = new byte[4];
        assertTrue(gm.read(0x200, back, 0, 4));
        assertArrayEquals(new byte[] {(byte) 0xD4, (byte) 0xC3, (byte) 0xB2, (byte) 0xA1}, back);
    }
}
