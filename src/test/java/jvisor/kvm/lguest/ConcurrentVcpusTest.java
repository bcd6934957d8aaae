package jvisor.kvm.lguest;

import static jvisor.kvm.lguest.LguestFixture.KERNEL_PT;
import static jvisor.kvm.lguest.LguestFixture.PAGE_OFFSET;
import static jvisor.kvm.lguest.LguestFixture.PGD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import jvisor.hw.x86.X86Pte;
import jvisor.kvm.AccessOutcome;
import org.junit.jupiter.api.Test;

/**
 * vCPU threads read kernel pages while another keeps remapping one of them and wiping every
 * shadow: no thread ever sees a page the mapping no longer names, and the references balance.
 */
class ConcurrentVcpusTest {
    private static final long KVA = PAGE_OFFSET + 0x20_0000L;

    @Test
    void readersNeverSeeAStaleTranslationWhileKernelMappingsChange() throws Exception {
        LguestFixture f = new LguestFixture(4, 3);
        f.mem.writeU32LE(0x300L << 12, 0x300);
        f.mem.writeU32LE(0x301L << 12, 0x301);
        f.pte(KERNEL_PT, KVA, X86Pte.make(0x300, X86Pte.KERNEL_FLAGS));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> readers = new ArrayList<>();
        int[] succeeded = new int[4];
        for (int i = 1; i < 4; i++) {
            LguestCpu cpu = f.lg.cpu(i);
            int id = i;
            readers.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int n = 0; n < 3000; n++) {
                        AccessOutcome r = cpu.load(KVA, false);
                        if (r == AccessOutcome.DONE) {
                            succeeded[id]++;
                            if (cpu.loaded() != 0x300 && cpu.loaded() != 0x301) {
                                throw new AssertionError("read 0x" + Integer.toHexString(cpu.loaded()));
                            }
                        } else if (r != AccessOutcome.GUEST_EXCEPTION) {
                            // A kernel page that is always mapped: at worst a fault while it is being remapped.
                            throw new AssertionError("load ended with " + r);
                        }
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            }));
        }
        LguestCpu writer = f.cpu();
        for (int n = 0; n < 500; n++) {
            long frame = 0x300 + (n & 1);
            int pte = X86Pte.make(frame, X86Pte.KERNEL_FLAGS);
            f.pte(KERNEL_PT, KVA, pte);
            writer.hypercall(Hypercalls.SET_PTE, PGD, KVA, pte);
            if (n % 50 == 0) writer.hypercall(Hypercalls.FLUSH_TLB, 1, 0, 0);
        }
        for (Thread t : readers) t.join();
        assertNull(failure.get());
        for (int i = 1; i < 4; i++) {
            assertTrue(succeeded[i] > 3000 / 2, "reader " + i + " loaded the page " + succeeded[i] + " times of 3000");
        }
        assertNull(f.lg.deathReason());
        f.lg.destroy();
        assertEquals(f.lg.stats().shadowPtesInstalled.sum(), f.lg.stats().shadowPtesReleased.sum());
        f.mm.destroy();
        f.switcher.free();
        assertEquals(0, f.phys.framesInUse());
    }
}
