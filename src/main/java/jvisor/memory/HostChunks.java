package jvisor.memory;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Allocates the host memory behind real memory in 2 MiB chunks: an ordinary zeroed native
 * allocation. With the system property {@code jvisor.memory.transparentHugePages=true}, on Linux,
 * when the JVM lets this code call native functions (--enable-native-access, as the jvisor
 * launcher does), a chunk is instead an anonymous mapping advised for transparent huge pages before
 * anything touches it, as QEMU backs guest RAM (if the mapping fails, an ordinary allocation).
 * Either way the bytes read as zero until written and live until the segment is unreachable.
 *
 * <p>Why not by default: binding mmap, madvise and munmap through the foreign-function linker costs
 * a cold JVM some 100 ms of a thread and as much again of HotSpot's compilers (the linker's
 * method handles and stubs), on the way to the first instruction, and the huge pages bought back
 * less than that. Measured on a two-core host, alternating runs of one build with and without the
 * mapping: hello 0.435 -> 0.393 s (12 pairs), the sieve 1.97 -> 1.81 s, sieve-mmu level (8 pairs),
 * Debian's cold boot to its init wall 0.949 +- 0.018, CPU 0.968 +- 0.012 (8 pairs), at the same
 * peak resident memory (an ordinary chunk is zeroed, so every page of it is resident, as a huge
 * page is).
 */
final class HostChunks {
    /** Whether chunks are mappings advised for transparent huge pages (see the class comment). */
    private static final boolean TRANSPARENT_HUGE_PAGES = Boolean.getBoolean("jvisor.memory.transparentHugePages");
    private static final AtomicBoolean PREPARE_ASKED = new AtomicBoolean();

    private HostChunks() {
    }

    /**
     * Binds the mapping's native functions on a thread of its own (once per JVM), when chunks are
     * mappings: the binding takes a cold JVM some 100 ms, which a machine's construction would
     * otherwise wait for at its first write. Harmless if memory is written first: that write waits
     * for, or does, what is left. Without the mapping there is nothing to prepare.
     */
    static void prepareInBackground() {
        if (TRANSPARENT_HUGE_PAGES && PREPARE_ASKED.compareAndSet(false, true)) {
            Thread.ofPlatform().daemon().name("jvisor-host-memory").start(() -> {
                try {
                    MethodHandles.lookup().ensureInitialized(Mapping.class);
                } catch (ReflectiveOperationException | LinkageError e) {
                    // The first allocation initializes the class and meets the failure itself.
                }
            });
        }
    }

    /**
     * A zeroed chunk of {@code size} bytes (a multiple of 2 MiB); a mapping advised for huge pages
     * is aligned to its size.
     */
    static MemorySegment allocate(long size) {
        MemorySegment huge = TRANSPARENT_HUGE_PAGES ? Mapping.hugePages(size) : null;
        return huge != null ? huge : Arena.ofAuto().allocate(size, 4096);
    }

    /**
     * The C library's mmap, madvise and munmap, bound when first used (each binding is the
     * foreign-function linker's work, see the class comment).
     */
    static final class Mapping {
        private static final int PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4, MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20,
                MAP_NORESERVE = 0x4000;
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

        private Mapping() {
        }

        /**
         * {@code size} bytes of fresh anonymous memory, readable, writable and (if asked)
         * executable, reserved without swap and committed as touched; null if it cannot be had.
         */
        static MemorySegment anonymous(long size, boolean executable) {
            if (MMAP == null) {
                return null;
            }
            try {
                MemorySegment m = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, size,
                        PROT_READ | PROT_WRITE | (executable ? PROT_EXEC : 0), MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0L);
                long base = m.address();
                return base == -1L || base == 0 ? null : m.reinterpret(size);
            } catch (Throwable t) {
                return null;
            }
        }

        /** A zeroed chunk of {@code size} bytes mapped at a multiple of its size and advised for huge pages; null if that cannot be had. */
        static MemorySegment hugePages(long size) {
            if (MMAP == null) {
                return null;
            }
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
}
