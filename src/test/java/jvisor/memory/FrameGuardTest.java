package jvisor.memory;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/**
 * The frame guard counts what it must and nothing else: accesses to frames nobody holds (never
 * allocated, freed, beyond the end) are outside accesses; accesses anywhere in a held frame, a
 * huge frame or a small multi-frame block are not. The build runs the tests with the guard on.
 */
class FrameGuardTest {
    private static final long GIB = 1L << 30;

    @Test
    void theTestsRunWithTheGuardOn() {
        assertTrue(FrameGuard.ENABLED, "the build must run the tests with -Djvisor.memory.guard=true");
    }

    @Test
    void accessesInsideHeldFramesAreNotCounted() {
        PhysicalMemory pm = new PhysicalMemory(4 * GIB);
        long small = pm.allocate(0);
        long block = pm.allocate(4);      // 64 KiB, known by its first frame only
        long huge = pm.allocate(PageSizes.ORDER_2M);
        pm.writeLongBE((small << 12) + 4088, 1);
        pm.writeIntLE(((block + 15) << 12) + 12, 2);
        assertEquals(2, pm.readIntLE(((block + 15) << 12) + 12));
        pm.writeLongBERelease(((huge + 511) << 12) + 8, 3);
        byte[] page = new byte[4096];
        pm.read((block + 3) << 12, page, 0, page.length);
        pm.copyFrame(huge + 7, small);
        assertEquals(0, pm.guard().outsideAccesses(), () -> pm.guard().firstOutsideAccesses().toString());
    }

    @Test
    void aFrameNeverAllocatedIsOutside() {
        PhysicalMemory pm = new PhysicalMemory(GIB);
        long held = pm.allocate(0);
        pm.readLongBE(((held + 1) << 12) + 16);
        assertEquals(1, pm.guard().outsideAccesses());
        assertTrue(pm.guard().firstOutsideAccesses().get(0).contains("not allocated"),
                pm.guard().firstOutsideAccesses().toString());
    }

    @Test
    void aFreedFrameIsOutsideAndIsNotReusedAtOnce() {
        PhysicalMemory pm = new PhysicalMemory(GIB);
        long pfn = pm.allocate(0);
        pm.writeIntBE(pfn << 12, 42);
        pm.put(pfn);
        assertNotEquals(pfn, pm.allocate(0), "a freed frame waits in quarantine");
        pm.writeIntBE(pfn << 12, 43);        // a late write through a stale pointer
        pm.readByte((pfn << 12) + 100);
        assertEquals(2, pm.guard().outsideAccesses());
        assertEquals(1, pm.framesInUse(), "a quarantined frame is not in use");
    }

    @Test
    void theTailOfAFreedBlockIsOutsideToo() {
        PhysicalMemory pm = new PhysicalMemory(GIB);
        long block = pm.allocate(3);
        pm.put(block);
        pm.writeLongLE((block + 5) << 12, 1);
        assertEquals(1, pm.guard().outsideAccesses());
    }

    @Test
    void anAccessStraddlingIntoAnUnheldFrameIsOutside() {
        PhysicalMemory pm = new PhysicalMemory(GIB);
        long pfn = pm.allocate(0);
        assertEquals(0, pm.readLongBE((pfn << 12) + 4088));
        pm.readLongBE((pfn << 12) + 4092);
        assertEquals(1, pm.guard().outsideAccesses());
    }

    @Test
    void anAccessBeyondTheEndIsOutside() {
        PhysicalMemory pm = new PhysicalMemory(GIB);
        assertThrows(RuntimeException.class, () -> pm.readIntBE(GIB));
        assertEquals(1, pm.guard().outsideAccesses());
    }

    @Test
    void quarantinedFramesAreReusedRatherThanFailingAnAllocation() {
        PhysicalMemory pm = new PhysicalMemory(GIB);
        long[] all = new long[(int) (GIB >>> 12)];
        for (int i = 0; i < all.length; i++) all[i] = pm.allocate(0);
        assertEquals(PhysicalMemory.NO_FRAME, pm.allocate(0), "every frame is in use");
        for (int i = 0; i < 100; i++) pm.put(all[i]);
        for (int i = 0; i < 100; i++) {
            assertNotEquals(PhysicalMemory.NO_FRAME, pm.allocate(0), "allocation " + i + " after freeing 100");
        }
        assertEquals(PhysicalMemory.NO_FRAME, pm.allocate(0));
    }
}
