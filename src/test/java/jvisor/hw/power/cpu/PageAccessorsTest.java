package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The data cache's accessors, which translated code and the interpreter's hit path use: they
 * read and write guest memory at the host address the cache gives, in the byte order named, and
 * touch nothing outside the access. Only native pages may be cached: a memory that hands out
 * other pages is reached through its own read and write methods.
 */
class PageAccessorsTest {
    private static final int PAGE = 4096;

    @FunctionalInterface
    private interface Get {
        long get(long host);
    }

    @FunctionalInterface
    private interface Put {
        void put(long host, long v);
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
    void accessorsMoveTheNamedBytesAndNothingAround() {
        Random random = new Random(13);
        // The page sits between two guard pages that must stay untouched.
        MemorySegment block = Arena.ofAuto().allocate(3L * PAGE, PAGE);
        MemorySegment page = block.asSlice(PAGE, PAGE);
        byte[] pattern = new byte[PAGE];
        random.nextBytes(pattern);
        MemorySegment.copy(MemorySegment.ofArray(pattern), 0, page, 0, PAGE);
        for (int round = 0; round < 2000; round++) {
            Width w = WIDTHS[random.nextInt(WIDTHS.length)];
            int off = random.nextInt(PAGE - w.len() + 1);
            long host = page.address() + off;
            assertEquals(reference(page, off, w.len(), w.littleEndian()), w.get().get(host), w.name() + " at " + off);
            long v = random.nextLong();
            w.put().put(host, v);
            long mask = w.len() == 8 ? -1L : (1L << (8 * w.len())) - 1;
            assertEquals(v & mask, reference(page, off, w.len(), w.littleEndian()), w.name() + " stored at " + off);
            for (int k = 0; k < w.len(); k++) {
                pattern[off + k] = page.get(ValueLayout.JAVA_BYTE, off + k);
            }
        }
        assertEquals(-1L, page.mismatch(MemorySegment.ofArray(pattern)), "only the accessed bytes changed");
        for (int k = 0; k < PAGE; k++) {
            assertEquals(0, block.get(ValueLayout.JAVA_BYTE, k), "below the page");
            assertEquals(0, block.get(ValueLayout.JAVA_BYTE, 2L * PAGE + k), "above the page");
        }
    }

    @Test
    void aMemoryWhosePagesAreNotNativeIsNeverCached() {
        // Its pages are decoys on the heap: a store cached through one would be lost to the memory.
        ByteMemory memory = new ByteMemory(TestMachine.MEMORY) {
            @Override
            public MemorySegment page(long a) {
                return MemorySegment.ofArray(new byte[PAGE]);
            }
        };
        TestMachine t = new TestMachine(memory).gpr(4, 0x8000).gpr(5, 0x1122_3344_5566_7788L);
        t.exec(0xf8a40000);                  // std r5,0(r4)
        t.exec(0xf8a40000);                  // again, now that the page would be cached
        t.exec(0xe8640000);                  // ld r3,0(r4)
        assertEquals(0x1122_3344_5566_7788L, memory.readLongBE(0x8000));
        assertEquals(0x1122_3344_5566_7788L, t.r(3));
    }
}
