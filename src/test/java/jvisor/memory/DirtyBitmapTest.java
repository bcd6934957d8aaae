package jvisor.memory;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class DirtyBitmapTest {
    @Test
    void bitIOfTheLogIsBitIModulo64OfWordIDiv64() {
        DirtyBitmap b = new DirtyBitmap(200);
        b.mark(0);
        b.mark(65);
        assertEquals(1L, b.word(0));
        assertEquals(2L, b.word(1));
        assertEquals(2, b.count());
    }

    @Test
    void markRangeSetsExactlyTheRange() {
        DirtyBitmap b = new DirtyBitmap(4096);
        b.markRange(512, 512);
        assertEquals(512, b.count());
        assertFalse(b.isDirty(511));
        assertTrue(b.isDirty(512));
        assertTrue(b.isDirty(1023));
        assertFalse(b.isDirty(1024));
        b.markRange(3, 70);
        assertEquals(512 + 70, b.count());
    }

    @Test
    void harvestingAWordClearsIt() {
        DirtyBitmap b = new DirtyBitmap(128);
        b.mark(70);
        assertEquals(1L << 6, b.getAndClearWord(1));
        assertEquals(0, b.count());
    }

    @Test
    void marksOutsideTheSlotAreRefused() {
        DirtyBitmap b = new DirtyBitmap(10);
        assertThrows(IndexOutOfBoundsException.class, () -> b.mark(10));
    }

    @Test
    void concurrentMarksAreNotLost() throws Exception {
        DirtyBitmap b = new DirtyBitmap(1 << 16);
        Thread[] ts = new Thread[4];
        for (int t = 0; t < 4; t++) {
            int start = t;
            ts[t] = new Thread(() -> {
                for (int i = start; i < (1 << 16); i += 4) b.mark(i);
            });
            ts[t].start();
        }
        for (Thread t : ts) t.join();
        assertEquals(1 << 16, b.count());
    }
}
