package jvisor.kvm;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class CoalescedMmioRingTest {
    final CoalescedMmioRing ring = new CoalescedMmioRing();

    record Write(long address, int length, long value) {}

    static List<Write> drain(CoalescedMmioRing ring) {
        List<Write> out = new ArrayList<>();
        ring.drain((a, d, l) -> {
            long v = 0;
            for (int i = 0; i < l; i++) v |= (d[i] & 0xFFL) << (8 * i);
            out.add(new Write(a, l, v));
        });
        return out;
    }

    @Test
    void theRingHoldsAPagesWorthOfEntriesLessOne() {
        assertEquals(170, CoalescedMmioRing.MAX_ENTRIES);
        ring.register(new CoalescedMmioRing.Zone(0x1000, 0x1000));
        int accepted = 0;
        while (ring.tryAppend(0x1000, new byte[] {1}, 1)) accepted++;
        assertEquals(169, accepted);
        assertEquals(169, ring.pending());
        assertEquals(1, ring.ringFullExits(), "the write that found it full exits instead");
        assertEquals(169, drain(ring).size());
        assertTrue(ring.tryAppend(0x1000, new byte[] {1}, 1), "room again after draining");
    }

    @Test
    void onlyWritesWhollyInsideAZoneAreCoalesced() {
        ring.register(new CoalescedMmioRing.Zone(0x1000, 0x10));
        assertTrue(ring.tryAppend(0x1008, new byte[8], 8));
        assertFalse(ring.tryAppend(0x100C, new byte[8], 8), "runs past the zone");
        assertFalse(ring.tryAppend(0xFFF, new byte[2], 2), "starts before it");
        assertFalse(ring.tryAppend(0x2000, new byte[1], 1));
        assertFalse(ring.tryAppend(0x1000, new byte[16], 16), "wider than an entry");
        assertFalse(ring.tryAppend(0x1000, new byte[1], 0));
        assertFalse(ring.tryAppend(0x1000, new byte[1], 4), "buffer shorter than the length");
        assertEquals(1, ring.pending());
    }

    @Test
    void drainedWritesKeepTheirAddressLengthAndBytes() {
        ring.register(new CoalescedMmioRing.Zone(0x1000, 0x100));
        ring.tryAppend(0x1004, new byte[] {0x11, 0x22, 0x33, 0x44}, 4);
        ring.tryAppend(0x1010, new byte[] {1, 2, 3, 4, 5, 6, 7, (byte) 0x88}, 8);
        assertEquals(List.of(new Write(0x1004, 4, 0x44332211L), new Write(0x1010, 8, 0x8807060504030201L)), drain(ring));
        assertEquals(0, ring.pending());
    }

    @Test
    void unregisteringRemovesZonesInsideTheRange() {
        ring.register(new CoalescedMmioRing.Zone(0x1000, 0x100));
        ring.register(new CoalescedMmioRing.Zone(0x3000, 0x100));
        ring.unregister(new CoalescedMmioRing.Zone(0x0, 0x2000));
        assertEquals(List.of(new CoalescedMmioRing.Zone(0x3000, 0x100)), ring.zones());
        assertFalse(ring.tryAppend(0x1000, new byte[1], 1));
    }

    @Test
    void badZonesAreRefusedWithEinval() {
        assertEquals(KvmException.Errno.EINVAL, assertThrows(KvmException.class,
                () -> ring.register(new CoalescedMmioRing.Zone(0x1000, 0))).errno());
        assertEquals(KvmException.Errno.EINVAL, assertThrows(KvmException.class,
                () -> ring.register(new CoalescedMmioRing.Zone(0x1000, 1L << 33))).errno());
        assertEquals(KvmException.Errno.EINVAL, assertThrows(KvmException.class,
                () -> ring.register(new CoalescedMmioRing.Zone(-4096, 0x1000))).errno());
        for (int i = 0; i < CoalescedMmioRing.MAX_ZONES; i++) ring.register(new CoalescedMmioRing.Zone(0x1000L * i, 8));
        assertThrows(KvmException.class, () -> ring.register(new CoalescedMmioRing.Zone(0x1000000, 8)));
    }

    /**
     * Four vCPU threads write sequence numbers while one VMM thread drains: every write is either
     * drained or reported as needing an exit, none twice, and each thread's writes arrive in order.
     */
    @Test
    void concurrentWritersAndADrainerLoseAndReorderNothing() throws Exception {
        ring.register(new CoalescedMmioRing.Zone(0x1000, 0x100));
        int writers = 4, perWriter = 20_000;
        long[] exited = new long[writers];
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int id = w;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perWriter; i++) {
                    byte[] d = new byte[8];
                    long v = ((long) id << 32) | i;
                    for (int k = 0; k < 8; k++) d[k] = (byte) (v >>> (8 * k));
                    if (!ring.tryAppend(0x1000 + 8L * id, d, 8)) exited[id]++;
                }
            });
            threads.add(t);
            t.start();
        }
        long[] next = new long[writers];
        long[] seen = new long[writers];
        AtomicBoolean ordered = new AtomicBoolean(true);
        CoalescedMmioRing.Sink sink = (a, d, l) -> {
            long v = 0;
            for (int k = 0; k < 8; k++) v |= (d[k] & 0xFFL) << (8 * k);
            int id = (int) (v >>> 32);
            long seq = v & 0xFFFFFFFFL;
            if (a != 0x1000 + 8L * id || seq < next[id]) ordered.set(false);
            next[id] = seq + 1;
            seen[id]++;
        };
        start.countDown();
        while (threads.stream().anyMatch(Thread::isAlive)) ring.drain(sink);
        for (Thread t : threads) t.join();
        ring.drain(sink);
        assertTrue(ordered.get(), "each writer's entries arrive in its order");
        for (int w = 0; w < writers; w++) assertEquals(perWriter, seen[w] + exited[w], "writer " + w);
        assertEquals(ring.coalescedWrites(), seen[0] + seen[1] + seen[2] + seen[3]);
    }

    /** A vCPU appending as fast as the VMM delivers must not keep the VMM's thread draining. */
    @Test
    void oneDrainDeliversAtMostARingsWorthWhileWritesKeepArriving() {
        ring.register(new CoalescedMmioRing.Zone(0x1000, 0x100));
        for (int i = 0; i < 10; i++) ring.tryAppend(0x1000, new byte[] {(byte) i}, 1);
        int[] delivered = {0};
        int n = ring.drain((a, d, l) -> {
            // Each delivery lets another write in (bounded, so that a drain that never stops still ends).
            if (++delivered[0] < 1_000_000) ring.tryAppend(0x1000, new byte[] {1}, 1);
        });
        assertEquals(delivered[0], n);
        assertEquals(CoalescedMmioRing.MAX_ENTRIES - 1, n, "one ring's worth");
        assertEquals(10, ring.pending(), "the rest waits for the next drain");
        assertEquals(10, drain(ring).size(), "and comes out then");
    }
}
