package jvisor.hw.power;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * An invalidation looks only at the slots it must (the filled ones, or those of one page's
 * granules), yet drops exactly the entries a walk of all 1024 slots would: random fills of pages
 * of several sizes, PIDs and quadrants, and random tlbies of every form.
 */
class RadixTlbInvalidationTest {
    private static final long[] PIDS = {0, 5, 7};
    private static final int[] SHIFTS = {12, 16, 21, 30};

    @Test
    void everyFormDropsWhatAFullWalkWouldAndNothingElse() {
        Random random = new Random(42);
        RadixTlb tlb = new RadixTlb();
        for (int round = 0; round < 20_000; round++) {
            if (random.nextInt(3) != 0) {
                fill(tlb, random);
                continue;
            }
            Tlbie t = randomTlbie(random);
            long[] before = tlb.tag.clone();
            boolean[] dropped = new boolean[RadixTlb.ENTRIES];
            for (int i = 0; i < RadixTlb.ENTRIES; i++) {
                dropped[i] = before[i] != 0 && t.ric() != Tlbie.RIC_PAGE_WALK_CACHE && tlb.matches(t, i);
            }
            tlb.invalidate(t);
            for (int i = 0; i < RadixTlb.ENTRIES; i++) {
                assertEquals(dropped[i] ? 0 : before[i], tlb.tag[i], "slot " + i + " after " + t);
            }
            assertTrue(tlb.listComplete(), "the filled slots are listed after " + t);
            if (random.nextInt(50) == 0) {
                tlb.dropOtherProcesses(PIDS[random.nextInt(PIDS.length)]);
                assertTrue(tlb.listComplete());
            }
            if (random.nextInt(200) == 0) {
                tlb.flushAll();
                assertEquals(0, tlb.validEntries());
                assertTrue(tlb.listComplete());
            }
        }
    }

    /** Caches one granule of a page of a random size, PID and quadrant, as a walk would. */
    private static void fill(RadixTlb tlb, Random random) {
        long pid = PIDS[random.nextInt(PIDS.length)];
        int shift = SHIFTS[random.nextInt(SHIFTS.length)];
        long quadrant = pid == 0 ? 3L << 62 : 0;
        long ea = quadrant | (long) random.nextInt(1 << 13) << 12; // 32 MiB: pages meet often
        long tag = RadixTlb.tag(ea, 0, true);
        tlb.insert(tlb.generation, RadixTlb.index(ea), tag, 0x100000, 7, -1, 1, pid, shift, 12);
    }

    private static Tlbie randomTlbie(Random random) {
        int is = random.nextInt(8) < 5 ? Tlbie.IS_ADDRESS : 1 + random.nextInt(3);
        int ric = random.nextInt(6) == 0 ? Tlbie.RIC_PAGE_WALK_CACHE : random.nextBoolean() ? 0 : 2;
        long pid = PIDS[random.nextInt(PIDS.length)];
        long quadrant = pid == 0 ? 3L << 62 : 0;
        long epn = quadrant | (long) random.nextInt(1 << 13) << 12;
        int shift = random.nextInt(10) == 0 ? -1 : SHIFTS[random.nextInt(SHIFTS.length)];
        return new Tlbie(ric, true, true, is, epn, shift, 1, pid);
    }
}
