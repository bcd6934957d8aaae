package jvisor.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** Host chunks read as zero, hold what is written and have the size asked for, huge pages or not. */
class HostChunksTest {
    @Test
    void chunkIsZeroedWritableAndFullSize() {
        long size = 2L << 20;
        MemorySegment chunk = HostChunks.allocate(size);
        assertEquals(size, chunk.byteSize());
        for (long at = 0; at < size; at += 4096) {
            assertEquals(0L, chunk.get(ValueLayout.JAVA_LONG, at));
        }
        chunk.set(ValueLayout.JAVA_LONG, size - 8, 0x1122_3344_5566_7788L);
        assertEquals(0x1122_3344_5566_7788L, chunk.get(ValueLayout.JAVA_LONG, size - 8));
    }
}
