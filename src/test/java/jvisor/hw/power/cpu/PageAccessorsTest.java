package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The data cache's page accessors, which translated code and the interpreter's hit path use:
 * a native page (guest memory) is reached through the host's address space, a heap page through
 * its own segment. Both must move the same bytes, in the byte order named, at the page offset of
 * the address, and nothing outside the access.
 */
class PageAccessorsTest {
    private static final int PAGE = 4096;

    @FunctionalInterface
    private interface Get {
        long get(MemorySegment page, long ea);
    }

    @FunctionalInterface
    private interface Put {
        void put(MemorySegment page, long ea, long v);
    }

    private record Width(String name, int len, boolean littleEndian, Get get, Put put) {
    }

    private static final Width[] WIDTHS = {
        new Width("byte", 1, true, LoadStoreUnit::getByte, LoadStoreUnit::putByte),
        new Width("half LE", 2, true, LoadStoreUnit::getHalfLE, LoadStoreUnit::putHalfLE),
        new Width("half BE", 2, false, LoadStoreUnit::getHalfBE, LoadStoreUnit::putHalfBE),
        new Width("word LE", 4, true, LoadStoreUnit::getWordLE, LoadStoreUnit::putWordLE),
        new Width("word BE", 4, false, LoadStoreUnit::getWordBE, LoadStoreUnit::putWordBE),
        new Width("double LE", 8, true, LoadStoreUnit::getDoubleLE, LoadStoreUnit::putDoubleLE),
        new Width("double BE", 8, false, LoadStoreUnit::getDoubleBE, LoadStoreUnit::putDoubleBE),
    };

    /** The value of len bytes at off, assembled byte by byte in the named order. */
    private static long reference(MemorySegment page, int off, int len, boolean littleEndian) {
        long v = 0;
        for (int k = 0; k < len; k++) {
            long b = page.get(ValueLayout.JAVA_BYTE, off + k) & 0xFF;
            v |= littleEndian ? b << (8 * k) : b << (8 * (len - 1 - k));
        }
        return v;
    }

    @Test
    void nativeAndHeapPagesReadAndWriteTheSameBytes() {
        Random random = new Random(13);
        // The native page sits between two guard pages that must stay untouched.
        MemorySegment block = Arena.ofAuto().allocate(3L * PAGE, PAGE);
        MemorySegment nativePage = block.asSlice(PAGE, PAGE);
        MemorySegment heapPage = MemorySegment.ofArray(new byte[PAGE]);
        byte[] pattern = new byte[PAGE];
        random.nextBytes(pattern);
        MemorySegment.copy(MemorySegment.ofArray(pattern), 0, nativePage, 0, PAGE);
        MemorySegment.copy(MemorySegment.ofArray(pattern), 0, heapPage, 0, PAGE);
        for (int round = 0; round < 2000; round++) {
            Width w = WIDTHS[random.nextInt(WIDTHS.length)];
            int off = random.nextInt(PAGE - w.len() + 1);
            // Any address with these low 12 bits: the page offset is all that counts.
            long ea = (random.nextLong() & ~0xFFFL) | off;
            long expected = reference(heapPage, off, w.len(), w.littleEndian());
            assertEquals(expected, w.get().get(nativePage, ea), w.name() + " at " + off);
            assertEquals(expected, w.get().get(heapPage, ea), w.name() + " at " + off);
            long v = random.nextLong();
            w.put().put(nativePage, ea, v);
            w.put().put(heapPage, ea, v);
            long mask = w.len() == 8 ? -1L : (1L << (8 * w.len())) - 1;
            assertEquals(v & mask, reference(nativePage, off, w.len(), w.littleEndian()), w.name() + " stored at " + off);
        }
        assertEquals(-1L, nativePage.mismatch(heapPage), "the two pages hold the same bytes");
        for (int k = 0; k < PAGE; k++) {
            assertEquals(0, block.get(ValueLayout.JAVA_BYTE, k), "below the page");
            assertEquals(0, block.get(ValueLayout.JAVA_BYTE, 2L * PAGE + k), "above the page");
        }
    }
}
