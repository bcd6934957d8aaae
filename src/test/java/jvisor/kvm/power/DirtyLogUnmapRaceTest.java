package jvisor.kvm.power;

import static jvisor.kvm.power.RadixVmFixture.MIB;
import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.atomic.AtomicReference;
import jvisor.memory.MemorySlot;
import org.junit.jupiter.api.Test;

/**
 * A page written before KVM_GET_DIRTY_LOG is in the log even when the host reclaims it while the
 * log is being collected, its C bit going to the slot's bitmap on the way (found by the migration
 * fuzzer: a reclaim between the bitmap harvest and the walk of the C bits lost the page from the
 * stop-and-copy round).
 */
class DirtyLogUnmapRaceTest {
    @Test
    void aCBitCarriedToTheBitmapDuringTheHarvestIsHarvested() throws Exception {
        RadixVmFixture f = new RadixVmFixture();
        long hva = f.addSlot(0, 0, 16 * MIB, 0, MemorySlot.LOG_DIRTY_PAGES);
        f.vm.getDirtyLog(0);
        assertTrue(f.core().store(0x6000) >= 0);
        AtomicReference<long[]> log = new AtomicReference<>();
        f.vm.mmuLock().lock();
        Thread harvester;
        try {
            harvester = Thread.ofPlatform().start(() -> log.set(f.vm.getDirtyLog(0)));
            // The harvest has done what it does before taking the MMU lock, and waits for it.
            while (harvester.getState() != Thread.State.WAITING) Thread.onSpinWait();
            f.mm.reclaim(hva + 0x6000, 4096); // the PTE goes, its C bit to the bitmap
        } finally {
            f.vm.mmuLock().unlock();
        }
        harvester.join();
        assertEquals(1L << 6, log.get()[0], "page 6 was written before the log was asked for");
        assertEquals(0, f.vm.getDirtyLog(0)[0], "and harvested once");
    }
}
