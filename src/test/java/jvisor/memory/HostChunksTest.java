package jvisor.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** Host chunks read as zero, hold what is written and have the size asked for, huge pages or not. */
class HostChunksTest {
    private static final long SIZE = 2L << 20;

    @Test
    void chunkIsZeroedWritableAndFullSize() {
        zeroedWritableAndFullSize(HostChunks.allocate(SIZE));
    }

    /** The mapping advised for huge pages (the tests' JVM has native access, on Linux) is aligned to its size. */
    @Test
    void aHugePageMappingIsZeroedWritableFullSizeAndAligned() {
        MemorySegment chunk = HostChunks.Mapping.hugePages(SIZE);
        if (System.getProperty("os.name").equals("Linux")) {
            assertNotNull(chunk, "mmap through the foreign-function linker");
            assertEquals(0, chunk.address() % SIZE);
            zeroedWritableAndFullSize(chunk);
        }
    }

    private static void zeroedWritableAndFullSize(MemorySegment chunk) {
        assertEquals(SIZE, chunk.byteSize());
        for (long at = 0; at < SIZE; at += 4096) {
            assertEquals(0L, chunk.get(ValueLayout.JAVA_LONG, at));
        }
        chunk.set(ValueLayout.JAVA_LONG, SIZE - 8, 0x1122_3344_5566_7788L);
        assertEquals(0x1122_3344_5566_7788L, chunk.get(ValueLayout.JAVA_LONG, SIZE - 8));
    }
}
