package jvisor.hw.power;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a walk registers and what a write to the guest's tables logs: the range of effective
 * addresses the written entry maps (found through the real walk of a real tree), everything for
 * the process table entry, nothing for memory no walk read; and when a core drops everything.
 */
class ProcessTableWatchTest {
    /** Quadrant 3 (PID 0): two neighbouring 4K pages under one PTE page, one far away. */
    static final long EA1 = 0xC000_0000_0010_0000L, EA2 = EA1 + 0x1000, FAR = 0xC000_0000_4000_0000L;

    RadixMachine m;
    ProcessTableWatch watch;
    ProcessTableWatch.View view;
    final Set<Long> marked = new HashSet<>(), unmarked = new HashSet<>();
    long pte1, pte2, far;
    final long[] out = new long[64];

    @BeforeEach
    void walkThreePages() {
        m = new RadixMachine().identityPartition(21);
        watch = new ProcessTableWatch(marked::add, unmarked::add);
        m.mmu.watchTables(watch);
        view = m.mmu.tables();
        long bits = RadixMachine.KERNEL_RW;
        m.mapGuest(0, EA1, 0x100000, 12, bits);
        pte1 = RadixMachine.GUEST_BASE + m.lastGuestPte();
        m.mapGuest(0, EA2, 0x101000, 12, bits);
        pte2 = RadixMachine.GUEST_BASE + m.lastGuestPte();
        m.mapGuest(0, FAR, 0x200000, 12, bits);
        far = RadixMachine.GUEST_BASE + m.lastGuestPte();
        for (long ea : new long[] {EA1, EA2, FAR}) {
            assertTrue(m.translate(ea, Mmu.LOAD, RadixMachine.GUEST_OS) >= 0, m.fault::toString);
        }
        assertEquals(0, view.drain(out), "nothing written yet");
    }

    @Test
    void aWalkMarksThePagesOfEveryTableItRead() {
        assertTrue(marked.contains(pte1 >>> 12) && marked.contains(far >>> 12), "the PTE pages");
        assertTrue(marked.contains((RadixMachine.GUEST_BASE + RadixMachine.GUEST_PROCESS_TABLE) >>> 12), "the process table");
        assertTrue(marked.contains((RadixMachine.GUEST_BASE + RadixTreeRoot.rpdb(m.guestRoot(0))) >>> 12), "the root");
        assertEquals(pte2 - pte1, 8, "neighbouring pages, neighbouring entries");
    }

    @Test
    void aWrittenEntryLogsThePageItMapsAndNoOther() {
        watch.written(pte2, 8);
        assertEquals(1, view.drain(out));
        assertEquals(EA2, ProcessTableWatch.address(out[0]));
        assertEquals(12, ProcessTableWatch.shift(out[0]));
        watch.written(far, 8);
        watch.written(pte1 + 4, 4); // the low word of EA1's entry
        assertEquals(2, view.drain(out));
        assertEquals(FAR, ProcessTableWatch.address(out[0]));
        assertEquals(EA1, ProcessTableWatch.address(out[1]));
    }

    @Test
    void anEntryNoWalkReadButInARegisteredTableLogsWhatItWouldMap() {
        watch.written(pte1 + 5 * 8, 8); // five pages on from EA1: mapping it later needs the flush too
        assertEquals(1, view.drain(out));
        assertEquals(EA1 + 5 * 0x1000, ProcessTableWatch.address(out[0]));
    }

    @Test
    void memoryNoWalkReadLogsNothing() {
        watch.written(RadixMachine.GUEST_BASE + 0x100000, 8); // the data page EA1 maps
        assertEquals(0, view.drain(out));
    }

    @Test
    void theProcessTableEntryMayChangeAnything() {
        watch.written(RadixMachine.GUEST_BASE + RadixMachine.GUEST_PROCESS_TABLE, 8);
        assertEquals(-1, view.drain(out));
        assertEquals(0, view.drain(out), "and once dropped, it is taken care of");
    }

    @Test
    void aDirectoryEntrySpansWhatItsTableMaps() {
        // The root's entry for quadrant 3's first 512 GiB: a write to it covers every page below.
        long root = RadixMachine.GUEST_BASE + RadixTreeRoot.rpdb(m.guestRoot(0));
        watch.written(root, 8);
        assertEquals(1, view.drain(out));
        assertEquals(0xC000_0000_0000_0000L, ProcessTableWatch.address(out[0]));
        assertEquals(39, ProcessTableWatch.shift(out[0]));
    }

    @Test
    void aCoreThatFellBehindTheLogDropsEverything() {
        for (int i = 0; i < ProcessTableWatch.LOG / 2 + 1; i++) {
            watch.written(pte1, 8);
            watch.written(far, 8);
        }
        assertEquals(-1, view.drain(new long[ProcessTableWatch.LOG * 2]));
    }

    @Test
    void moreWritesThanTheCoreCanDropOneByOneDropEverything() {
        for (int i = 0; i < out.length + 1; i++) {
            watch.written(pte1, 8);
        }
        assertEquals(-1, view.drain(out));
    }

    @Test
    void aPageWrittenOverAndOverIsForgottenAndEveryCoreDropsEverythingOnce() {
        ProcessTableWatch.View other = watch.new View();
        long[] all = new long[ProcessTableWatch.LOG];
        for (int i = 0; i < ProcessTableWatch.WRITES_TO_FORGET - 1; i++) {
            watch.written(far, 8);
            view.drain(out);
            other.drain(all);
        }
        assertTrue(unmarked.isEmpty());
        watch.written(far, 8);
        assertTrue(unmarked.contains(far >>> 12), "its stores are fast again");
        assertEquals(-1, other.drain(all), "a core may hold translations read from it");
        view.drain(out);
        watch.written(far, 8);
        assertEquals(0, view.drain(out), "no longer watched");
        marked.clear();
        m.mmu.contextChanged(); // the TLB forgets, and the next access walks again
        assertTrue(m.translate(FAR, Mmu.LOAD, RadixMachine.GUEST_OS) >= 0);
        assertTrue(marked.contains(far >>> 12), "a walk through it registers it again");
        watch.written(far, 8);
        assertEquals(1, view.drain(out));
    }

    @Test
    void aCoreThatDroppedEverythingSkipsWhatWasLoggedBefore() {
        watch.written(pte1, 8);
        view.flushedAll();
        assertEquals(0, view.drain(out));
    }
}
