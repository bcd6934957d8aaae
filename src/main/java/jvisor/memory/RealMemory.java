package jvisor.memory;

/**
 * Real (physical) memory as the hardware sees it: bytes at real addresses. The radix walker reads
 * table entries through this, and the core loads and stores through it after translation.
 *
 * <p>Byte order is in the method name because the architecture fixes it per structure: radix
 * table entries are always big-endian, data follows MSR[LE]. An address outside
 * {@code [0, size())} is a programming error of the caller; hardware models check
 * {@link #contains} first and raise the architected machine check instead.
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

    /** Atomically replaces the big-endian doubleword at an 8-byte aligned address if it equals {@code expected}. */
    boolean compareAndSetLongBE(long address, long expected, long value);
}
