package jvisor.memory;

import java.lang.foreign.MemorySegment;

/**
 * Host memory the hypervisor writes machine code into (the native tier's code area): an
 * anonymous mapping, readable, writable and executable, through the same binding of the C
 * library's mmap as the huge-page chunks ({@link HostChunks}). Never unmapped: it lives as long
 * as the process.
 */
public final class CodeMemory {
    private CodeMemory() {
    }

    /** {@code size} bytes of such memory, committed as touched; null where it cannot be had (not Linux, no native access). */
    public static MemorySegment map(long size) {
        return HostChunks.Mapping.anonymous(size, true);
    }
}
