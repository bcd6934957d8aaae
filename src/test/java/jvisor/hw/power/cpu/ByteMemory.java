package jvisor.hw.power.cpu;

import static jvisor.memory.ByteLayouts.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jvisor.memory.RealMemory;

/**
 * Test-only real memory: one block of native memory, as guest memory is, so the cores' data
 * cache holds its pages and the tests run the same hit path a guest does.
 */
class ByteMemory implements RealMemory {
    private final MemorySegment bytes;

    ByteMemory(int size) {
        bytes = Arena.ofAuto().allocate(size, 4096);
    }

    /** The bytes [at, at + n), copied out. */
    byte[] copy(long at, int n) {
        return bytes.asSlice(at, n).toArray(ValueLayout.JAVA_BYTE);
    }

    /** Fills [from, to) with b. */
    void fill(long from, long to, byte b) {
        bytes.asSlice(from, to - from).fill(b);
    }

    @Override
    public MemorySegment page(long a) {
        return bytes.asSlice(a, 4096);
    }

    @Override
    public long size() {
        return bytes.byteSize();
    }

    @Override
    public byte readByte(long a) {
        return bytes.get(ValueLayout.JAVA_BYTE, a);
    }

    @Override
    public void writeByte(long a, byte v) {
        bytes.set(ValueLayout.JAVA_BYTE, a, v);
    }

    @Override
    public short readShortBE(long a) {
        return bytes.get(SHORT_BE, a);
    }

    @Override
    public short readShortLE(long a) {
        return bytes.get(SHORT_LE, a);
    }

    @Override
    public void writeShortBE(long a, short v) {
        bytes.set(SHORT_BE, a, v);
    }

    @Override
    public void writeShortLE(long a, short v) {
        bytes.set(SHORT_LE, a, v);
    }

    @Override
    public int readIntBE(long a) {
        return bytes.get(INT_BE, a);
    }

    @Override
    public int readIntLE(long a) {
        return bytes.get(INT_LE, a);
    }

    @Override
    public void writeIntBE(long a, int v) {
        bytes.set(INT_BE, a, v);
    }

    @Override
    public void writeIntLE(long a, int v) {
        bytes.set(INT_LE, a, v);
    }

    @Override
    public long readLongBE(long a) {
        return bytes.get(LONG_BE, a);
    }

    @Override
    public long readLongLE(long a) {
        return bytes.get(LONG_LE, a);
    }

    @Override
    public void writeLongBE(long a, long v) {
        bytes.set(LONG_BE, a, v);
    }

    @Override
    public void writeLongLE(long a, long v) {
        bytes.set(LONG_LE, a, v);
    }

    @Override
    public synchronized long readLongBEAcquire(long a) {
        return readLongBE(a);
    }

    @Override
    public synchronized boolean compareAndSetLongBE(long a, long expected, long v) {
        // The lock orders compare-and-sets among themselves, which is all the tests that race here
        // need (the storage-model tests, which race plain stores against them, run on
        // PhysicalMemory).
        if (readLongBE(a) != expected) {
            return false;
        }
        writeLongBE(a, v);
        return true;
    }
}
