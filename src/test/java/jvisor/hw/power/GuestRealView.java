package jvisor.hw.power;

import jvisor.memory.RealMemory;

/** Guest real memory as a view of host real memory at a fixed offset: how tests write guest tables. */
final class GuestRealView implements RealMemory {
    private final RealMemory host;
    private final long offset;
    private final long size;

    GuestRealView(RealMemory host, long offset, long size) {
        this.host = host;
        this.offset = offset;
        this.size = size;
    }

    @Override public long size() { return size; }
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
    @Override public boolean compareAndSetLongBE(long a, long e, long v) { return host.compareAndSetLongBE(a + offset, e, v); }
}
