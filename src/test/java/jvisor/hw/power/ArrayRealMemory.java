package jvisor.hw.power;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import jvisor.memory.RealMemory;

/**
 * Test real memory backed by a byte array. Any access outside it fails the test loudly, so a
 * walker that reads outside memory cannot go unnoticed. Counts doubleword reads.
 */
final class ArrayRealMemory implements RealMemory {
    private final byte[] bytes;
    private final ByteBuffer be;
    private final ByteBuffer le;
    int longReads;

    ArrayRealMemory(int size) {
        bytes = new byte[size];
        be = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public long size() {
        return bytes.length;
    }

    private int at(long address, int length) {
        if (!contains(address, length)) {
            throw new AssertionError(String.format("access outside real memory: 0x%x+%d", address, length));
        }
        return (int) address;
    }

    @Override public byte readByte(long a) { return bytes[at(a, 1)]; }
    @Override public void writeByte(long a, byte v) { bytes[at(a, 1)] = v; }
    @Override public short readShortBE(long a) { return be.getShort(at(a, 2)); }
    @Override public short readShortLE(long a) { return le.getShort(at(a, 2)); }
    @Override public void writeShortBE(long a, short v) { be.putShort(at(a, 2), v); }
    @Override public void writeShortLE(long a, short v) { le.putShort(at(a, 2), v); }
    @Override public int readIntBE(long a) { return be.getInt(at(a, 4)); }
    @Override public int readIntLE(long a) { return le.getInt(at(a, 4)); }
    @Override public void writeIntBE(long a, int v) { be.putInt(at(a, 4), v); }
    @Override public void writeIntLE(long a, int v) { le.putInt(at(a, 4), v); }

    @Override
    public long readLongBE(long a) {
        longReads++;
        return be.getLong(at(a, 8));
    }

    @Override public long readLongLE(long a) { return le.getLong(at(a, 8)); }
    @Override public void writeLongBE(long a, long v) { be.putLong(at(a, 8), v); }
    @Override public void writeLongLE(long a, long v) { le.putLong(at(a, 8), v); }

    @Override
    public synchronized long readLongBEAcquire(long a) {
        return be.getLong(at(a, 8));
    }

    @Override
    public synchronized boolean compareAndSetLongBE(long a, long expected, long value) {
        if (be.getLong(at(a, 8)) != expected) {
            return false;
        }
        be.putLong((int) a, value);
        return true;
    }
}
