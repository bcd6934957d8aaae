package jvisor.memory;

/**
 * Guest real memory seen as {@link RealMemory}: the host-side view a VMM or a test uses to build
 * a guest's own structures (its radix tree, its device tree) at guest real addresses. Only
 * addresses inside valid memslots are {@link #contains contained}; accessing others throws
 * {@link GuestMemoryFault}.
 */
final class GuestRealMemory implements RealMemory {
    private final GuestMemory memory;

    GuestRealMemory(GuestMemory memory) {
        this.memory = memory;
    }

    @Override
    public long size() {
        long top = 0;
        for (MemorySlot s : memory.slots().slots()) top = Math.max(top, s.baseGpa() + s.size());
        return top;
    }

    @Override
    public boolean contains(long address, int length) {
        return address >= 0 && length >= 0 && memory.isBacked(address, length);
    }

    private long read(long a, int n, boolean be) {
        byte[] b = new byte[n];
        memory.read(a, b, 0, n);
        long v = 0;
        for (int i = 0; i < n; i++) v = (v << 8) | (b[be ? i : n - 1 - i] & 0xFF);
        return v;
    }

    private void write(long a, int n, long v, boolean be) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[be ? n - 1 - i : i] = (byte) (v >>> (8 * i));
        memory.write(a, b, 0, n);
    }

    @Override public byte readByte(long a) { return (byte) read(a, 1, true); }
    @Override public void writeByte(long a, byte v) { write(a, 1, v, true); }
    @Override public short readShortBE(long a) { return (short) read(a, 2, true); }
    @Override public short readShortLE(long a) { return (short) read(a, 2, false); }
    @Override public void writeShortBE(long a, short v) { write(a, 2, v, true); }
    @Override public void writeShortLE(long a, short v) { write(a, 2, v, false); }
    @Override public int readIntBE(long a) { return (int) read(a, 4, true); }
    @Override public int readIntLE(long a) { return (int) read(a, 4, false); }
    @Override public void writeIntBE(long a, int v) { write(a, 4, v, true); }
    @Override public void writeIntLE(long a, int v) { write(a, 4, v, false); }
    @Override public long readLongBE(long a) { return read(a, 8, true); }
    @Override public long readLongLE(long a) { return read(a, 8, false); }
    @Override public void writeLongBE(long a, long v) { write(a, 8, v, true); }
    @Override public void writeLongLE(long a, long v) { write(a, 8, v, false); }

    /** Serialized with {@link #compareAndSetLongBE}: this view copies bytes, it has no atomic access. */
    @Override
    public long readLongBEAcquire(long a) {
        synchronized (this) {
            return readLongBE(a);
        }
    }

    @Override
    public boolean compareAndSetLongBE(long a, long expected, long value) {
        synchronized (this) {
            if (readLongBE(a) != expected) return false;
            writeLongBE(a, value);
            return true;
        }
    }
}
