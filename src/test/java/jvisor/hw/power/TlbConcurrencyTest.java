package jvisor.hw.power;

import static jvisor.hw.power.RadixMachine.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/**
 * A tlbie issued by one core has taken effect on another core when it returns: once the issuer
 * says so, the other core's next access must use the new translation, however hot its TLB is.
 */
class TlbConcurrencyTest {
    static final long EA = 0xC000000000010008L;

    @Test
    void aCompletedTlbieIsSeenByTheNextAccessOfAnotherCore() throws Exception {
        RadixMachine m = new RadixMachine().identityPartition(21);
        m.mapGuest(0, EA, 0x100000, 12, KERNEL_RW);
        MmuRegisters regs2 = new MmuRegisters();
        regs2.ptcr = m.regs.ptcr;
        regs2.lpidr = LPID;
        RadixMmu core2 = new RadixMmu(regs2, m.host, m.domain);

        final int rounds = 200;
        java.util.concurrent.atomic.AtomicInteger published = new java.util.concurrent.atomic.AtomicInteger(0);
        AtomicReference<String> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread core = new Thread(() -> {
            int seen = 0;
            while (seen < rounds && failure.get() == null) {
                int round = published.get();
                long ra = core2.translate(EA, Mmu.LOAD, GUEST_OS);
                // Round r maps the page to guest real 0x100000 + r * 0x1000. The writer may be ahead
                // of what it has published, never behind: an older page means a stale TLB entry.
                long observed = (ra - GUEST_BASE - 0x100000 - 8) / 0x1000;
                if (ra < 0 || observed < round || observed > rounds) {
                    failure.set("published round " + round + " but translated to 0x" + Long.toHexString(ra));
                }
                seen = round;
            }
            done.countDown();
        }, "core2");
        core.start();
        for (int r = 1; r <= rounds; r++) {
            // The hypervisor-privileged core 1 moves the page and invalidates it everywhere.
            m.mapGuest(0, EA, 0x100000 + r * 0x1000L, 12, KERNEL_RW);
            m.domain.broadcast(Tlbie.processPage(LPID, 0, EA, 12));
            published.set(r);
            Thread.onSpinWait();
        }
        assertTrue(done.await(30, TimeUnit.SECONDS));
        assertEquals(null, failure.get());
    }
}
