package jvisor.memory;

/**
 * Guest memory through the memslots seen as {@link RealMemory}. It exists so that the code that
 * writes and walks the hardware's structures ({@code hw.power}'s table entries and walkers, which
 * take a {@code RealMemory}) can build or inspect a guest's own tables from the host (the
 * {@code walk} command, the fuzzer, tests) without a second copy of that code. It is slow (every
 * access copies through a small array) and is never the CPU's memory.
 *
 * <p>Only addresses inside valid memslots are {@link #contains contained}. An access to any other
 * address behaves as a bus does with an address nothing answers: a read returns 0 and a write is
 * dropped. A caller that must know checks {@link #contains} first.
 */
final class GuestRealMemory implements RealMemory {
    private final MemslotGuestMemory memory;

    GuestRealMemory(MemslotGuestMemory memory) {
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
        if (!memory.read(a, b, 0, n)) return 0;
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
