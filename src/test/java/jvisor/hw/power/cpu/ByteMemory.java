package jvisor.hw.power.cpu;

import jvisor.memory.RealMemory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Test-only real memory backed by a byte array. */
class ByteMemory implements RealMemory {
    private static final VarHandle SHORT_BE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    final byte[] bytes;

    ByteMemory(int size) {
        bytes = new byte[size];
    }

    @Override
    public java.lang.foreign.MemorySegment page(long a) {
        return java.lang.foreign.MemorySegment.ofArray(bytes).asSlice(a, 4096);
    }

    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    public byte readByte(long a) {
        return bytes[(int) a];
    }

    @Override
    public void writeByte(long a, byte v) {
        bytes[(int) a] = v;
    }

    @Override
    public short readShortBE(long a) {
        return (short) SHORT_BE.get(bytes, (int) a);
    }

    @Override
    public short readShortLE(long a) {
        return (short) SHORT_LE.get(bytes, (int) a);
    }

    @Override
    public void writeShortBE(long a, short v) {
        SHORT_BE.set(bytes, (int) a, v);
    }

    @Override
    public void writeShortLE(long a, short v) {
        SHORT_LE.set(bytes, (int) a, v);
    }

    @Override
    public int readIntBE(long a) {
        return (int) INT_BE.get(bytes, (int) a);
    }

    @Override
    public int readIntLE(long a) {
        return (int) INT_LE.get(bytes, (int) a);
    }

    @Override
    public void writeIntBE(long a, int v) {
        INT_BE.set(bytes, (int) a, v);
    }

    @Override
    public void writeIntLE(long a, int v) {
        INT_LE.set(bytes, (int) a, v);
    }

    @Override
    public long readLongBE(long a) {
        return (long) LONG_BE.get(bytes, (int) a);
    }

    @Override
    public long readLongLE(long a) {
        return (long) LONG_LE.get(bytes, (int) a);
    }

    @Override
    public void writeLongBE(long a, long v) {
        LONG_BE.set(bytes, (int) a, v);
    }

    @Override
    public void writeLongLE(long a, long v) {
        LONG_LE.set(bytes, (int) a, v);
    }

    @Override
    public synchronized long readLongBEAcquire(long a) {
        return readLongBE(a);
    }

    @Override
    public synchronized boolean compareAndSetLongBE(long a, long expected, long v) {
        // Heap byte-array views have no atomic modes; the lock orders compare-and-sets among
        // themselves, which is all the tests that race here need (the storage-model tests,
        // which race plain stores against them, run on PhysicalMemory).
        if (readLongBE(a) != expected) {
            return false;
        }
        writeLongBE(a, v);
        return true;
    }
}
