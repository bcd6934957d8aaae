package jvisor.vmm;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import org.junit.jupiter.api.Test;

/**
 * What a guest makes the host keep is bounded by the machine, not by how long the guest runs or
 * which numbers it picks: heap measured after a full collection before and after a hostile run.
 */
class HostMemoryBoundTest {
    private static final long MIB = 1L << 20;

    static long heapUsedAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /**
     * 500,000 hypercalls, each with a different pseudo-random number (xorshift in r20): none is
     * known, all go to user space and get H_FUNCTION. Counting them must not keep one entry per
     * number.
     */
    @Test
    void hypercallsWithDistinctRandomNumbersDoNotGrowTheHostHeap() throws Exception {
        int n = 500_000;
        int[] flood = {
                0x3e801234, 0x62945678,                          // lis/ori r20 = 0x12345678 (xorshift state)
                0x3ec00000 | (n >>> 16), 0x62d60000 | (n & 0xFFFF), 0x7ec903a6, // r22 = n; mtctr r22
                0x7a806ca4, 0x7e940278, 0x7a80c9c2, 0x7e940278,  // loop: r20 ^= r20<<13; r20 ^= r20>>7
                0x7a808ba4, 0x7e940278, 0x7e83a378,              //       r20 ^= r20<<17; mr r3,r20
                0x44000022, 0x4200ffe0};                         //       sc 1; bdnz loop
        byte[] elf = TinyGuest.elf(TinyGuest.code(flood, TinyGuest.POWER_OFF), TinyGuest.POWER_OFF_BLOCK);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PseriesMachine m = new PseriesMachine(MachineConfig.validated(64 * MIB, 1, null, null, ""),
                new ByteArrayOutputStream(), new ByteArrayInputStream(new byte[0]), new PrintStream(log, true));
        m.load("flood", elf);
        long before = heapUsedAfterGc();
        assertEquals(0, m.run(300_000), log.toString());
        long grown = heapUsedAfterGc() - before;
        assertTrue(m.instructions() > 9L * n, "the guest ran its loop: " + m.instructions() + " instructions");
        assertTrue(grown < 16 * MIB, "the host heap grew by " + grown / MIB + " MiB over " + n + " hypercalls");
        Reference.reachabilityFence(m);
    }
}
