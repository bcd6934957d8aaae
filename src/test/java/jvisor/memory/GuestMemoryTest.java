package jvisor.memory;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class GuestMemoryTest {
    private static final long MIB = 1L << 20;

    @Test
    void accessesGoThroughSlotsAndWritesAreLogged() {
        PhysicalMemory pm = new PhysicalMemory(1L << 30);
        HostAddressSpace mm = new HostAddressSpace(pm);
        MemslotTable slots = new MemslotTable();
        long hva = mm.mmap(4 * MIB, 0);
        long rom = mm.mmap(MIB, 0);
        slots.set(new UserMemoryRegion(0, MemorySlot.LOG_DIRTY_PAGES, 0, 4 * MIB, hva), s -> {});
        slots.set(new UserMemoryRegion(1, MemorySlot.READONLY, 8 * MIB, MIB, rom), s -> {});
        GuestMemory gm = new GuestMemory(slots, mm);
        gm.writeLongBE(0x3000 - 4, 0x0102030405060708L);
        assertEquals(0x0102030405060708L, gm.readLongBE(0x3000 - 4));
        assertTrue(slots.byId(0).dirtyBitmap().isDirty(2));
        assertTrue(slots.byId(0).dirtyBitmap().isDirty(3));
        byte[] b = new byte[1];
        mm.read(hva + 0x2FFC, b, 0, 1);
        assertEquals(1, b[0], "the guest address is the host address of its slot");
        assertThrows(GuestMemoryFault.class, () -> gm.readLongBE(4 * MIB));
        assertThrows(GuestMemoryFault.class, () -> gm.writeIntBE(8 * MIB, 1));
        assertEquals(0, gm.readIntBE(8 * MIB));
        assertFalse(gm.isBacked(4 * MIB - 8, 16));
        assertTrue(gm.isBacked(0, 4 * MIB));
    }
}
