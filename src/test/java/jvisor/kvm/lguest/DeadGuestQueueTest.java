package jvisor.kvm.lguest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A guest killed in a lazy-MMU section goes on queueing hypercalls (its vCPU does not know yet):
 * the ring's flush does nothing for a dead guest, so the ring stays full and further calls are
 * dropped, never an exception (found by the fuzzer: the 65th call indexed past the ring).
 */
class DeadGuestQueueTest {
    @Test
    void aDeadGuestMayQueueAsManyHypercallsAsItLikes() {
        LguestFixture f = new LguestFixture(1, 1);
        LguestCpu cpu = f.cpu();
        cpu.hypercall(Hypercalls.SET_PMD, 0, 0, 0); // no middle level on a 2-level guest: killed
        assertTrue(f.lg.dead());
        for (int i = 0; i < 3 * LguestCpu.RING_SIZE; i++) cpu.queueHypercall(Hypercalls.SET_PTE, 0, i, 0);
        assertEquals(LguestCpu.RING_SIZE, cpu.queued());
        cpu.flushQueued();
        f.lg.destroy();
        assertEquals(f.baselineFrames + f.mm.residentPages(), f.phys.framesInUse());
    }
}
