package jvisor.kvm.power;

import static jvisor.kvm.power.RadixVmFixture.MIB;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import jvisor.hw.power.Mmu;
import jvisor.hw.power.RadixEntry;
import jvisor.memory.HostPte;
import jvisor.memory.MemorySlot;
import org.junit.jupiter.api.Test;

/**
 * vCPU threads fault guest pages in while the host reclaims, migrates and ages them through the
 * notifiers. Afterwards the partition-scoped tree agrees with the host, every page a vCPU wrote is
 * in the dirty log, and tearing everything down returns every frame.
 */
class PartitionScopedConcurrencyTest {
    private static final long SLOT = 256 * 1024;
    private static final int PAGES = (int) (SLOT >>> 12);

    @Test
    void faultsRacingReclaimMigrationAndAgingLeaveNoStaleEntryAndLoseNoDirtyPage() throws Exception {
        RadixVmFixture f = new RadixVmFixture(4 * RadixVmFixture.GIB);
        long hva = f.addSlot(0, 0, SLOT, 0, MemorySlot.LOG_DIRTY_PAGES);
        AtomicLongArray written = new AtomicLongArray(PAGES / 64);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        int vcpus = 3;
        for (int v = 0; v < vcpus; v++) {
            RadixVmFixture.Core core = f.core();
            long seed = v;
            threads.add(new Thread(() -> {
                Random r = new Random(seed);
                try {
                    for (int i = 0; i < 60_000; i++) {
                        int page = r.nextInt(PAGES);
                        boolean store = r.nextInt(3) == 0;
                        Object result = core.access(((long) page << 12) | (r.nextInt(512) * 8L), store ? Mmu.STORE : Mmu.LOAD);
                        if (!(result instanceof Long)) throw new AssertionError("access failed: " + result);
                        if (store) {
                            written.getAndUpdate(page >>> 6, w -> w | (1L << (page & 63)));
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }, "vcpu-" + v));
        }
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread host = new Thread(() -> {
            Random r = new Random(99);
            try {
                while (running.get()) {
                    long at = hva + ((long) r.nextInt(PAGES - 4) << 12);
                    switch (r.nextInt(4)) {
                        case 0, 1 -> f.mm.reclaim(at, 4096L);
                        case 2 -> f.mm.migrate(at, 4 * 4096L);
                        default -> f.mm.clearYoung(at, 4 * 4096L);
                    }
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }, "host-reclaim");
        for (Thread t : threads) t.start();
        host.start();
        for (Thread t : threads) t.join();
        running.set(false);
        host.join();
        if (failure.get() != null) throw new AssertionError(failure.get());

        assertTrue(f.mm.swappedPages() > 0 || f.mmu.statistics().unmapped.sum() > 0, "the host really took pages away");
        for (int page = 0; page < PAGES; page++) {
            long pte = f.mmu.lookup((long) page << 12);
            if (!RadixEntry.valid(pte)) continue;
            long hostPte = f.mm.lookupPte(hva + ((long) page << 12));
            assertTrue(HostPte.present(hostPte), "page " + page + " is mapped for the guest but not by the host");
            assertEquals(HostPte.pfn(hostPte) << 12, RadixEntry.rpn(pte), "page " + page + " maps a frame the host no longer uses there");
        }
        long[] log = f.vm.getDirtyLog(0);
        for (int w = 0; w < written.length(); w++) {
            long missing = written.get(w) & ~log[w];
            assertEquals(0, missing, "written pages missing from the dirty log in word " + w);
        }
        f.vm.destroy();
        f.mm.destroy();
        assertEquals(f.baselineFrames, f.phys.framesInUse(), "frames leaked or freed twice");
    }
}
