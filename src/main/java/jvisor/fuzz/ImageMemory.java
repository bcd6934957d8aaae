package jvisor.fuzz;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import jvisor.memory.RealMemory;

/**
 * A stretch of guest real memory built on the heap first and written to the guest in one go: the
 * fuzzer lays out a guest's page tables here, where each table entry costs an array store rather
 * than a trip through the memslots and the host's page tables.
 */
final class ImageMemory implements RealMemory {
    private static final VarHandle SHORT_BE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final long base;
    final byte[] bytes;

    /** Guest real {@code [base, base + size)}, all zero. */
    ImageMemory(long base, int size) {
        this.base = base;
        this.bytes = new byte[size];
    }

    @Override
    public long size() {
        return base + bytes.length;
    }

    @Override
    public boolean contains(long address, int length) {
        return address >= base && length >= 0 && address - base <= bytes.length - length;
    }

    private int at(long a) {
        return (int) (a - base);
    }

    @Override public byte readByte(long a) { return bytes[at(a)]; }
    @Override public void writeByte(long a, byte v) { bytes[at(a)] = v; }
    @Override public short readShortBE(long a) { return (short) SHORT_BE.get(bytes, at(a)); }
    @Override public short readShortLE(long a) { return (short) SHORT_LE.get(bytes, at(a)); }
    @Override public void writeShortBE(long a, short v) { SHORT_BE.set(bytes, at(a), v); }
    @Override public void writeShortLE(long a, short v) { SHORT_LE.set(bytes, at(a), v); }
    @Override public int readIntBE(long a) { return (int) INT_BE.get(bytes, at(a)); }
    @Override public int readIntLE(long a) { return (int) INT_LE.get(bytes, at(a)); }
    @Override public void writeIntBE(long a, int v) { INT_BE.set(bytes, at(a), v); }
    @Override public void writeIntLE(long a, int v) { INT_LE.set(bytes, at(a), v); }
    @Override public long readLongBE(long a) { return (long) LONG_BE.get(bytes, at(a)); }
    @Override public long readLongBEAcquire(long a) { return (long) LONG_BE.getAcquire(bytes, at(a)); }
    @Override public long readLongLE(long a) { return (long) LONG_LE.get(bytes, at(a)); }
    @Override public void writeLongBE(long a, long v) { LONG_BE.set(bytes, at(a), v); }
    @Override public void writeLongLE(long a, long v) { LONG_LE.set(bytes, at(a), v); }

    @Override
    public boolean compareAndSetLongBE(long a, long expected, long value) {
        if (readLongBE(a) != expected) return false;
        writeLongBE(a, value);
        return true;
    }
}
