package jvisor.workload.arm;

import java.util.HashMap;
import java.util.Map;

/**
 * The VMM's device behind the scenarios' MMIO window: a bank of 64-bit scratch registers that
 * read back what was written, plus a read-only access counter at offset 0xFF8 of every page.
 */
final class MmioDevice {
    private final long base, size;
    private final Map<Long, Long> registers = new HashMap<>();
    private long reads, writes;

    MmioDevice(long base, long size) {
        this.base = base;
        this.size = size;
    }

    boolean contains(long ipa) {
        return ipa >= base && ipa < base + size;
    }

    synchronized long read(long ipa, int len) {
        reads++;
        long off = ipa - base;
        if ((off & 0xFFF) == 0xFF8) return reads + writes;
        long v = registers.getOrDefault(off, 0L);
        return len == 8 ? v : v & ((1L << (8 * len)) - 1);
    }

    synchronized void write(long ipa, int len, long value) {
        writes++;
        registers.put(ipa - base, value);
    }

    synchronized long reads() {
        return reads;
    }

    synchronized long writes() {
        return writes;
    }
}
