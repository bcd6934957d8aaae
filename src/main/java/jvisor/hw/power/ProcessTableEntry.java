package jvisor.hw.power;

import jvisor.memory.RealMemory;

/**
 * A process table entry (PRTE): 16 bytes at PRTB + 16*PID, big-endian. For radix only
 * doubleword 0 is used; it roots the process-scoped tree with the same layout as PATE
 * doubleword 0 (MSB 0 is reserved here). An all-zero PRTE is a bad configuration.
 */
public record ProcessTableEntry(long dword0, long dword1) {
    public static final int SIZE = 16;

    public static int rts(long dword0) {
        return RadixTreeRoot.rts(dword0);
    }

    public static long rpdb(long dword0) {
        return RadixTreeRoot.rpdb(dword0);
    }

    public static int rpds(long dword0) {
        return RadixTreeRoot.rpds(dword0);
    }

    /** Dword 0 for a 52-bit process-scoped tree whose root directory is at guest real {@code rpdb}. */
    public static long radixDword0(long rpdb) {
        return RadixTreeRoot.of52(rpdb);
    }

    public static ProcessTableEntry radix(long rpdb) {
        return new ProcessTableEntry(radixDword0(rpdb), 0);
    }

    public void writeTo(RealMemory memory, long address) {
        memory.writeLongBE(address, dword0);
        memory.writeLongBE(address + 8, dword1);
    }
}
