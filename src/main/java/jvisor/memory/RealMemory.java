package jvisor.memory;

import java.lang.foreign.MemorySegment;

/**
 * Real (physical) memory as the hardware sees it: bytes at real addresses. The radix walker reads
 * table entries through this, and the core loads and stores through it after translation.
 *
 * <p>Byte order is in the method name because the architecture fixes it per structure: radix
 * table entries are always big-endian, data follows MSR[LE]. An address outside
 * {@code [0, size())} is a programming error of the caller; hardware models check
 * {@link #contains} first and raise the architected machine check instead.
 *
 * <p>It is not {@link GuestMemory}, and should not become it: this is the hot path (every load,
 * store and table read of an emulated CPU), so its accessors are unchecked, typed and return the
 * value itself, with no result to test and no copy, and an implementation can hand out
 * {@link #page} segments. A hypervisor acting for a guest uses {@link GuestMemory} instead.
 */
public interface RealMemory {

    /** Bytes of real address space, starting at 0. */
    long size();

    default boolean contains(long address, int length) {
        return address >= 0 && length >= 0 && address <= size() - length;
    }

    byte readByte(long address);

    void writeByte(long address, byte value);

    short readShortBE(long address);

    short readShortLE(long address);

    void writeShortBE(long address, short value);

    void writeShortLE(long address, short value);

    int readIntBE(long address);

    int readIntLE(long address);

    void writeIntBE(long address, int value);

    void writeIntLE(long address, int value);

    long readLongBE(long address);

    long readLongLE(long address);

    void writeLongBE(long address, long value);

    void writeLongLE(long address, long value);

    /**
     * The bytes of the 4 KiB page at {@code pageAddress} (4 KiB aligned, inside the memory) as a
     * segment that stays valid for the life of the memory, or null when the implementation has no
     * such view. A CPU caches it next to its translation so the hot path of a load or store is
     * one segment access; writes through it are plain writes, exactly as {@link #writeByte} and
     * friends (no observer is told).
     */
    default MemorySegment page(long pageAddress) {
        return null;
    }

    /**
     * Holds the 4 KiB page at {@code pageAddress} for a thread that reads it without being a CPU
     * of the memory's owner (a translator thread, which no TLB flush waits for): while held, it is
     * not freed and handed to anyone else. False when the page is not in use; then the reader must
     * not read it. Each true is undone by {@link #unpinPage}. A memory whose pages are never freed
     * holds them all.
     */
    default boolean pinPage(long pageAddress) {
        return true;
    }

    /** Undoes one {@link #pinPage} that returned true. */
    default void unpinPage(long pageAddress) {
    }

    /**
     * Reads the big-endian doubleword at an 8-byte aligned address as one atomic access with
     * acquire ordering (later loads and stores of the caller stay after it): a table entry
     * another thread publishes, or the image a load-and-reserve takes for a later
     * {@link #compareAndSetLongBE}.
     */
    long readLongBEAcquire(long address);

    /**
     * Atomically replaces the big-endian doubleword at an 8-byte aligned address if it equals
     * {@code expected}, also with respect to the plain writes of other threads, with volatile
     * ordering.
     */
    boolean compareAndSetLongBE(long address, long expected, long value);

    /**
     * The window {@code [offset, offset + size)} of {@code host} seen as real memory from 0: a
     * guest's real memory when it sits at a fixed place in host memory (tests, benchmarks).
     */
    static RealMemory window(RealMemory host, long offset, long size) {
        return new Window(host, offset, size);
    }

    /** See {@link #window}. */
    record Window(RealMemory host, long offset, long size) implements RealMemory {
        @Override public byte readByte(long a) { return host.readByte(a + offset); }
        @Override public void writeByte(long a, byte v) { host.writeByte(a + offset, v); }
        @Override public short readShortBE(long a) { return host.readShortBE(a + offset); }
        @Override public short readShortLE(long a) { return host.readShortLE(a + offset); }
        @Override public void writeShortBE(long a, short v) { host.writeShortBE(a + offset, v); }
        @Override public void writeShortLE(long a, short v) { host.writeShortLE(a + offset, v); }
        @Override public int readIntBE(long a) { return host.readIntBE(a + offset); }
        @Override public int readIntLE(long a) { return host.readIntLE(a + offset); }
        @Override public void writeIntBE(long a, int v) { host.writeIntBE(a + offset, v); }
        @Override public void writeIntLE(long a, int v) { host.writeIntLE(a + offset, v); }
        @Override public long readLongBE(long a) { return host.readLongBE(a + offset); }
        @Override public long readLongLE(long a) { return host.readLongLE(a + offset); }
        @Override public void writeLongBE(long a, long v) { host.writeLongBE(a + offset, v); }
        @Override public void writeLongLE(long a, long v) { host.writeLongLE(a + offset, v); }
        @Override public long readLongBEAcquire(long a) { return host.readLongBEAcquire(a + offset); }
        @Override public boolean compareAndSetLongBE(long a, long e, long v) { return host.compareAndSetLongBE(a + offset, e, v); }
        @Override public MemorySegment page(long a) { return (offset & 0xFFF) == 0 ? host.page(a + offset) : null; }
        @Override public boolean pinPage(long a) { return host.pinPage(a + offset); }
        @Override public void unpinPage(long a) { host.unpinPage(a + offset); }
    }
}
