package jvisor.memory;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Allocates the host memory behind real memory in 2 MiB chunks. On Linux, when the JVM lets this
 * code call native functions (--enable-native-access, as the jvisor launcher does), a chunk is an
 * anonymous mapping advised for transparent huge pages before anything touches it, as QEMU does
 * for guest RAM: a guest sweeping a large array then costs the host one TLB entry per 2 MiB
 * instead of one per 4 KiB. Otherwise, or if the mapping fails, it is an ordinary zeroed native
 * allocation. Either way the bytes read as zero until written and live until the segment is
 * unreachable.
 */
final class HostChunks {
    private static final int PROT_READ = 1, PROT_WRITE = 2, MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20;
    private static final int MADV_HUGEPAGE = 14;
    private static final MethodHandle MMAP, MADVISE, MUNMAP;

    static {
        MethodHandle mmap = null, madvise = null, munmap = null;
        if (HostChunks.class.getModule().isNativeAccessEnabled() && "Linux".equals(System.getProperty("os.name"))) {
            try {
                Linker linker = Linker.nativeLinker();
                var libc = linker.defaultLookup();
                mmap = linker.downcallHandle(libc.find("mmap").orElseThrow(),
                        FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
                madvise = linker.downcallHandle(libc.find("madvise").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
                munmap = linker.downcallHandle(libc.find("munmap").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
            } catch (Throwable t) {
                mmap = madvise = munmap = null; // no native access after all: plain allocations
            }
        }
        MMAP = mmap;
        MADVISE = madvise;
        MUNMAP = munmap;
    }

    private HostChunks() {
    }

    /** A zeroed chunk of {@code size} bytes (a multiple of 2 MiB), aligned to its size where possible. */
    static MemorySegment allocate(long size) {
        MemorySegment huge = MMAP == null ? null : mapHuge(size);
        return huge != null ? huge : Arena.ofAuto().allocate(size, 4096);
    }

    private static MemorySegment mapHuge(long size) {
        try {
            // Map twice the size and keep the aligned half, so the chunk can be one huge page.
            long span = 2 * size;
            MemorySegment raw = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, span, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0L);
            long base = raw.address();
            if (base == -1L || base == 0) {
                return null;
            }
            long aligned = (base + size - 1) & -size;
            trim(base, aligned - base);
            trim(aligned + size, base + span - (aligned + size));
            int ignored = (int) MADVISE.invokeExact(MemorySegment.ofAddress(aligned), size, MADV_HUGEPAGE);
            return MemorySegment.ofAddress(aligned).reinterpret(size, Arena.ofAuto(), s -> unmap(s.address(), size));
        } catch (Throwable t) {
            return null;
        }
    }

    private static void trim(long address, long length) throws Throwable {
        if (length > 0) {
            int ignored = (int) MUNMAP.invokeExact(MemorySegment.ofAddress(address), length);
        }
    }

    private static void unmap(long address, long length) {
        try {
            trim(address, length);
        } catch (Throwable ignored) {
            // The process keeps the mapping; nothing else can be done in a cleaner.
        }
    }
}
