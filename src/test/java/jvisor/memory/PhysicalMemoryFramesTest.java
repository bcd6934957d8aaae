package jvisor.memory;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class PhysicalMemoryFramesTest {
    private static final long GIB = 1L << 30;

    @Test
    void newFrameHasOneReferenceAndLastPutFreesIt() {
        PhysicalMemory pm = new PhysicalMemory(GIB);
        long pfn = pm.allocate(0);
        assertEquals(1, pm.refCount(pfn));
        pm.get(pfn);
        assertEquals(2, pm.refCount(pfn));
        assertFalse(pm.put(pfn));
        assertTrue(pm.put(pfn));
        assertEquals(0, pm.refCount(pfn));
        assertEquals(0, pm.framesInUse());
    }

    @Test
    void aPinnedPageOutlivesItsOwnersLastPutAndAFreePageCannotBePinned() {
        PhysicalMemory pm = new PhysicalMemory(GIB);
        long pfn = pm.allocate(0);
        assertTrue(pm.pinPage(pfn << 12));
        assertFalse(pm.put(pfn), "the pin still holds it");
        assertEquals(1, pm.framesInUse());
        pm.unpinPage(pfn << 12);
        assertEquals(0, pm.framesInUse(), "the unpin freed it");
        assertFalse(pm.pinPage(pfn << 12));
        assertEquals(0, pm.refCount(pfn));

        long huge = pm.allocate(9);
        assertTrue(pm.pinPage((huge + 5) << 12), "a frame inside a huge frame pins its head");
        assertEquals(2, pm.refCount(huge));
        pm.unpinPage((huge + 5) << 12);
        assertEquals(1, pm.refCount(huge));

        long block = pm.allocate(4);
        assertTrue(pm.pinPage((block + 3) << 12), "a frame inside a small block pins the block");
        assertEquals(2, pm.refCount(block));
        pm.unpinPage((block + 3) << 12);
        assertEquals(1, pm.refCount(block));
    }

    @Test
    void putOnFreeFrameIsCaught() {
        PhysicalMemory pm = new PhysicalMemory(GIB);
        long pfn = pm.allocate(0);
        pm.put(pfn);
        assertThrows(IllegalStateException.class, () -> pm.put(pfn));
        assertThrows(IllegalStateException.class, () -> pm.get(pfn));
    }

    @Test
    void reusedFrameIsZeroed() {
        PhysicalMemory pm = new PhysicalMemory(GIB);
        long pfn = pm.allocate(0);
        pm.writeLongBE((pfn << 12) + 8, 0x1122334455667788L);
        pm.put(pfn);
        long again = reallocate(pm, 0, pfn);
        assertEquals(pfn, again, "the freed frame is handed out again");
        assertEquals(0, pm.readLongBE((again << 12) + 8));
    }

    @Test
    void hugeFramesAreAlignedAndCountedOnTheirHead() {
        PhysicalMemory pm = new PhysicalMemory(4 * GIB);
        long two = pm.allocate(PageSizes.ORDER_2M);
        long one = pm.allocate(PageSizes.ORDER_1G);
        assertEquals(0, two % 512);
        assertEquals(0, one % (1 << 18));
        long tail = two + 300;
        assertEquals(two, pm.head(tail));
        assertEquals(PageSizes.ORDER_2M, pm.order(tail));
        pm.get(tail);
        assertEquals(2, pm.refCount(two));
        pm.put(tail);
        assertEquals(512 + (1 << 18), pm.framesInUse());
        assertTrue(pm.put(one + 12345));
        assertEquals(512, pm.framesInUse());
    }

    @Test
    void allocationFailsCleanlyWhenTheHostIsOutOfMemory() {
        PhysicalMemory pm = new PhysicalMemory(GIB, 3 * 4096);
        assertNotEquals(PhysicalMemory.NO_FRAME, pm.allocate(0));
        assertNotEquals(PhysicalMemory.NO_FRAME, pm.allocate(0));
        assertNotEquals(PhysicalMemory.NO_FRAME, pm.allocate(0));
        assertEquals(PhysicalMemory.NO_FRAME, pm.allocate(0));
        assertEquals(PhysicalMemory.NO_FRAME, pm.allocate(PageSizes.ORDER_2M));
    }

    @Test
    void aGigabyteFrameCostsNothingUntilWritten() {
        PhysicalMemory pm = new PhysicalMemory(8 * GIB);
        long head = pm.allocate(PageSizes.ORDER_1G);
        assertEquals(0, pm.chunksMaterialized());
        assertEquals(0, pm.readLongBE((head << 12) + 123456789L));
        pm.writeByte((head << 12) + 5 * GIB / 8, (byte) 1);
        assertEquals(1, pm.chunksMaterialized());
    }

    @Test
    void byteOrderIsInTheMethodName() {
        PhysicalMemory pm = new PhysicalMemory(GIB);
        pm.writeLongBE(0x1000, 0x0102030405060708L);
        assertEquals(0x01, pm.readByte(0x1000));
        assertEquals(0x08, pm.readByte(0x1007));
        assertEquals(0x0807060504030201L, pm.readLongLE(0x1000));
        assertEquals(0x01020304, pm.readIntBE(0x1000));
        assertEquals(0x0201, pm.readShortLE(0x1000));
    }

    @Test
    void unalignedAccessAcrossAChunkBoundaryIsWhole() {
        PhysicalMemory pm = new PhysicalMemory(GIB);
        long pa = (2L << 20) - 3;
        pm.writeLongBE(pa, 0xA1A2A3A4A5A6A7A8L);
        assertEquals(0xA1A2A3A4A5A6A7A8L, pm.readLongBE(pa));
        assertEquals((byte) 0xA4, pm.readByte(2L << 20));
        pm.writeIntLE(pa + 1, 0x11223344);
        assertEquals(0x11223344, pm.readIntLE(pa + 1));
    }

    @Test
    void compareAndSetReplacesOnlyTheExpectedValue() {
        PhysicalMemory pm = new PhysicalMemory(GIB);
        pm.writeLongBE(0x2000, 5);
        assertFalse(pm.compareAndSetLongBE(0x2000, 4, 9));
        assertTrue(pm.compareAndSetLongBE(0x2000, 5, 9));
        assertEquals(9, pm.readLongBE(0x2000));
    }

    @Test
    void smallContiguousBlocksAreAlignedToTheirSizeAndFreedWhole() {
        PhysicalMemory pm = new PhysicalMemory(GIB);
        long a = pm.allocate(4);
        long b = pm.allocate(4);
        assertEquals(0, a % 16);
        assertEquals(0, b % 16);
        assertNotEquals(a, b);
        assertEquals(4, pm.order(a));
        assertEquals(32, pm.framesInUse());
        pm.put(a);
        assertEquals(16, pm.framesInUse());
        assertEquals(a, reallocate(pm, 4, a), "a freed block is reused whole");
    }

    @Test
    void aRunIsContiguousAlignedAndCountedPerFrame() {
        PhysicalMemory pm = new PhysicalMemory(GIB);
        long scattered = pm.allocate(0);
        long run = pm.allocateRun(4);
        assertEquals(0, run % 4);
        assertNotEquals(scattered, run);
        for (int i = 0; i < 4; i++) assertEquals(1, pm.refCount(run + i), "frame " + i + " has a count of its own");
        assertEquals(5, pm.framesInUse());
        assertTrue(pm.put(scattered));
        assertTrue(pm.put(run + 2));
        assertEquals(1, pm.refCount(run + 3));
        assertEquals(3, pm.framesInUse());
        assertThrows(IllegalArgumentException.class, () -> pm.allocateRun(3));
    }

    /**
     * Allocates blocks of {@code order} until {@code wanted} comes back, freeing the others:
     * freed blocks are reused last-in first-out, and with the frame guard on only after they
     * have waited out its quarantine.
     */
    private static long reallocate(PhysicalMemory pm, int order, long wanted) {
        long got = pm.allocate(order);
        for (long n = 0; got != wanted && n <= 2 * FrameGuard.QUARANTINE_FRAMES; n++) {
            pm.put(got);
            got = pm.allocate(order);
        }
        return got;
    }
}
