package jvisor.hw.power;

import jvisor.memory.RealMemory;

/**
 * A partition table entry (PATE): 16 bytes at PATB + 16*LPID in host real memory, big-endian.
 * Doubleword 0 roots the partition-scoped tree (guest real to host real) and carries HR;
 * doubleword 1 locates the partition's process table (a guest real address). The static helpers
 * work on the raw doublewords, which is what the walk uses; the record is for the code that builds
 * and inspects tables.
 */
public record PartitionTableEntry(long dword0, long dword1) {
    /** HR, dword 0 MSB 0: the partition uses radix translation. */
    public static final long HR = 0x8000000000000000L;
    /** GR, dword 1 MSB 0: the guest uses radix; must match HR. */
    public static final long GR = 0x8000000000000000L;
    /** PRTB, dword 1 MSB 4:51: process table base, aligned to the table's size. */
    public static final long PRTB_MASK = 0x0FFFFFFFFFFFF000L;
    /** PRTS, dword 1 MSB 59:63: the process table is 2^(PRTS+12) bytes. */
    public static final long PRTS_MASK = 0x1FL;
    /** Bytes per entry. */
    public static final int SIZE = 16;

    public static boolean hr(long dword0) {
        return (dword0 & HR) != 0;
    }

    public static boolean gr(long dword1) {
        return (dword1 & GR) != 0;
    }

    public static long prtb(long dword1) {
        return dword1 & PRTB_MASK;
    }

    public static int prts(long dword1) {
        return (int) (dword1 & PRTS_MASK);
    }

    public static long processTableBytes(long dword1) {
        return 1L << (prts(dword1) + 12);
    }

    /** Dword 0 for a radix partition whose 52-bit partition-scoped tree has its root at {@code rpdb}. */
    public static long radixDword0(long rpdb) {
        return HR | RadixTreeRoot.of52(rpdb);
    }

    /** Dword 1 for a radix guest with a 2^(prts+12)-byte process table at guest real {@code prtb}. */
    public static long radixDword1(long prtb, int prts) {
        return GR | (prtb & PRTB_MASK) | (prts & PRTS_MASK);
    }

    public static PartitionTableEntry radix(long rpdb, long prtb, int prts) {
        return new PartitionTableEntry(radixDword0(rpdb), radixDword1(prtb, prts));
    }

    public boolean hr() {
        return hr(dword0);
    }

    public long prtb() {
        return prtb(dword1);
    }

    public int prts() {
        return prts(dword1);
    }

    /** Stores the entry, big-endian, at {@code address}. */
    public void writeTo(RealMemory memory, long address) {
        memory.writeLongBE(address, dword0);
        memory.writeLongBE(address + 8, dword1);
    }

    public static PartitionTableEntry readFrom(RealMemory memory, long address) {
        return new PartitionTableEntry(memory.readLongBE(address), memory.readLongBE(address + 8));
    }
}
