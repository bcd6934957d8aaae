package jvisor.memory;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemslotRulesTest {
    private static final long MIB = 1L << 20;
    private final MemslotTable table = new MemslotTable();
    private final List<String> calls = new ArrayList<>();
    private final MemslotTable.Listener listener = new MemslotTable.Listener() {
        @Override
        public void flushSlot(MemorySlot slot) {
            MemorySlot seen = table.byId(slot.id());
            calls.add("flush " + slot.id() + (seen.invalid() ? " (published invalid)" : " (still valid!)"));
        }

        @Override
        public void commit(MemslotTable.Change change, MemorySlot old, MemorySlot now) {
            calls.add("commit " + change);
        }
    };

    private MemslotTable.Change set(int slot, int flags, long gpa, long size, long hva) {
        return table.set(new UserMemoryRegion(slot, flags, gpa, size, hva), listener);
    }

    @Test
    void createThenLookUpByGuestFrame() {
        assertEquals(MemslotTable.Change.CREATE, set(0, 0, 0, 16 * MIB, 0x10_0000_0000L));
        assertEquals(MemslotTable.Change.CREATE, set(1, 0, 32 * MIB, MIB, 0x20_0000_0000L));
        assertEquals(0, table.find(0xFFF).id());
        assertEquals(1, table.find((32 * MIB) >> 12).id());
        assertNull(table.find((16 * MIB) >> 12));
        assertEquals(0x10_0000_0000L + 0x5000, table.find(5).gfnToHva(5));
    }

    @Test
    void overlappingSlotsAreRejectedWithEexist() {
        set(0, 0, 0, 16 * MIB, 0x10_0000_0000L);
        MemslotException e = assertThrows(MemslotException.class, () -> set(1, 0, 15 * MIB, 2 * MIB, 0x20_0000_0000L));
        assertEquals(MemslotException.Errno.EEXIST, e.errno());
        assertTrue(e.getMessage().contains("overlaps slot 0"), e.getMessage());
    }

    @Test
    void misalignedOrUnknownArgumentsAreRejectedWithEinval() {
        assertEquals(MemslotException.Errno.EINVAL, assertThrows(MemslotException.class, () -> set(0, 0, 0x800, MIB, 0)).errno());
        assertEquals(MemslotException.Errno.EINVAL, assertThrows(MemslotException.class, () -> set(0, 0, 0, MIB + 1, 0)).errno());
        assertEquals(MemslotException.Errno.EINVAL, assertThrows(MemslotException.class, () -> set(0, 0, 0, MIB, 0x123)).errno());
        assertEquals(MemslotException.Errno.EINVAL, assertThrows(MemslotException.class, () -> set(0, 8, 0, MIB, 0)).errno());
        assertEquals(MemslotException.Errno.EINVAL, assertThrows(MemslotException.class, () -> set(512, 0, 0, MIB, 0)).errno());
        assertEquals(MemslotException.Errno.EINVAL, assertThrows(MemslotException.class, () -> set(3, 0, 0, 0, 0)).errno(),
                "deleting a slot that does not exist");
    }

    @Test
    void anExistingSlotCannotBeResizedRehostedOrMadeReadOnly() {
        set(0, 0, 0, 16 * MIB, 0x10_0000_0000L);
        assertThrows(MemslotException.class, () -> set(0, 0, 0, 8 * MIB, 0x10_0000_0000L));
        assertThrows(MemslotException.class, () -> set(0, 0, 0, 16 * MIB, 0x30_0000_0000L));
        assertThrows(MemslotException.class, () -> set(0, MemorySlot.READONLY, 0, 16 * MIB, 0x10_0000_0000L));
    }

    @Test
    void deleteAndMoveFlushWhileTheSlotIsPublishedInvalid() {
        set(0, 0, 0, 16 * MIB, 0x10_0000_0000L);
        calls.clear();
        assertEquals(MemslotTable.Change.MOVE, set(0, 0, 64 * MIB, 16 * MIB, 0x10_0000_0000L));
        assertEquals(List.of("flush 0 (published invalid)", "commit MOVE"), calls);
        assertNull(table.find(0));
        assertEquals(0, table.find((64 * MIB) >> 12).id());
        calls.clear();
        assertEquals(MemslotTable.Change.DELETE, set(0, 0, 64 * MIB, 0, 0x10_0000_0000L));
        assertEquals(List.of("flush 0 (published invalid)", "commit DELETE"), calls);
        assertTrue(table.slots().isEmpty());
    }

    @Test
    void dirtyLoggingFlagGivesTheSlotABitmapAndKeepsItAcrossFlagChanges() {
        set(0, 0, 0, 16 * MIB, 0x10_0000_0000L);
        assertNull(table.byId(0).dirtyBitmap());
        assertEquals(MemslotTable.Change.FLAGS_ONLY, set(0, MemorySlot.LOG_DIRTY_PAGES, 0, 16 * MIB, 0x10_0000_0000L));
        DirtyBitmap bitmap = table.byId(0).dirtyBitmap();
        assertEquals(4096, bitmap.pages());
        assertEquals(MemslotTable.Change.NONE, set(0, MemorySlot.LOG_DIRTY_PAGES, 0, 16 * MIB, 0x10_0000_0000L));
        assertSame(bitmap, table.byId(0).dirtyBitmap());
        set(0, 0, 0, 16 * MIB, 0x10_0000_0000L);
        assertNull(table.byId(0).dirtyBitmap());
    }
}
