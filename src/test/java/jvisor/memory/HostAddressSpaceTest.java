package jvisor.memory;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostAddressSpaceTest {
    private static final long GIB = 1L << 30, MIB = 1L << 20;

    private final PhysicalMemory pm = new PhysicalMemory(8 * GIB);
    private final HostAddressSpace mm = new HostAddressSpace(pm);

    @Test
    void severalGigabytesMapWithoutAllocatingAFrame() {
        long hva = mm.mmap(6 * GIB, 0);
        assertEquals(0, pm.framesInUse());
        assertEquals(0, mm.residentPages());
        HostPage p = mm.getUserPage(hva + 5 * GIB + 17, false);
        assertNotNull(p);
        assertEquals(1, pm.framesInUse());
        assertEquals(1, mm.residentPages());
        pm.put(p.pfn());
    }

    @Test
    void aPageIsFaultedInOnceAndTheCallerHoldsAReference() {
        long hva = mm.mmap(MIB, 0);
        HostPage a = mm.getUserPage(hva, false);
        HostPage b = mm.getUserPage(hva + 8, true);
        assertEquals(a.pfn(), b.pfn());
        assertEquals(3, pm.refCount(a.pfn()), "the mapping's reference plus one per caller");
        assertFalse(a.dirty());
        assertTrue(b.dirty());
        pm.put(a.pfn());
        pm.put(b.pfn());
    }

    @Test
    void writesToAReadOnlyMappingFail() {
        long hva = mm.mmap(MIB, HostAddressSpace.MAP_READONLY);
        assertNull(mm.getUserPage(hva, true));
        assertNotNull(mm.getUserPage(hva, false));
        assertFalse(mm.write(hva, new byte[1], 0, 1));
    }

    @Test
    void hugeMappingsHandOutFramesOfTheirSize() {
        long hva = mm.mmap(4 * MIB, HostAddressSpace.MAP_HUGE_2M);
        HostPage p = mm.getUserPage(hva + 2 * MIB + 0x3000, true);
        assertEquals(PageSizes.SHIFT_2M, p.pageShift());
        assertEquals(3, p.pfn() % 512, "the frame of the requested 4K inside the aligned 2M frame");
        assertEquals(512, pm.framesInUse());
        pm.put(p.pfn());
        long g = mm.mmap(GIB, HostAddressSpace.MAP_HUGE_1G);
        HostPage q = mm.getUserPage(g + 0x12345678L, false);
        assertEquals(PageSizes.SHIFT_1G, q.pageShift());
        assertEquals(0x12345L, q.pfn() % (1 << 18));
        pm.put(q.pfn());
    }

    @Test
    void munmapTellsNotifiersBeforeFreeingAndFreesEveryFrame() {
        RecordingNotifier n = new RecordingNotifier();
        mm.register(n);
        long hva = mm.mmap(MIB, 0);
        mm.write(hva + 0x2000, new byte[]{1}, 0, 1);
        assertEquals(1, pm.framesInUse());
        mm.munmap(hva, MIB);
        assertEquals(List.of(String.format("start %x-%x", hva, hva + MIB), String.format("end %x-%x", hva, hva + MIB)), n.events);
        assertEquals(0, pm.framesInUse());
        assertNull(mm.findVma(hva));
        assertNull(mm.getUserPage(hva, false));
    }

    @Test
    void notifierSeesThePageStillMappedAtInvalidateStart() {
        RecordingNotifier n = new RecordingNotifier();
        long hva = mm.mmap(MIB, 0);
        mm.write(hva, new byte[]{1}, 0, 1);
        mm.register(n);
        mm.reclaim(hva, PageSizes.SIZE_4K);
        assertTrue(HostPte.present(n.pteAtStart.get(0)), "secondary MMUs drop the page before the host does");
    }

    @Test
    void partialMunmapSplitsTheMapping() {
        long hva = mm.mmap(16 * PageSizes.SIZE_4K, 0);
        mm.munmap(hva + 4 * PageSizes.SIZE_4K, 4 * PageSizes.SIZE_4K);
        assertNotNull(mm.findVma(hva));
        assertNull(mm.findVma(hva + 5 * PageSizes.SIZE_4K));
        assertEquals(hva + 8 * PageSizes.SIZE_4K, mm.findVma(hva + 9 * PageSizes.SIZE_4K).start());
    }

    @Test
    void reclaimedPagesComeBackWithTheirContents() {
        long hva = mm.mmap(MIB, 0);
        byte[] data = "swap me out and in".getBytes();
        mm.write(hva + 0x1010, data, 0, data.length);
        assertEquals(1, mm.reclaim(hva, MIB));
        assertEquals(0, pm.framesInUse());
        assertEquals(1, mm.swappedPages());
        assertFalse(HostPte.present(mm.lookupPte(hva + 0x1000)));
        byte[] back = new byte[data.length];
        assertTrue(mm.read(hva + 0x1010, back, 0, back.length));
        assertArrayEquals(data, back);
        assertEquals(0, mm.swappedPages());
    }

    @Test
    void migrationMovesThePageToANewFrameAndSaysSo() {
        RecordingNotifier n = new RecordingNotifier();
        long hva = mm.mmap(MIB, 0);
        mm.write(hva, new byte[]{42}, 0, 1);
        long before = HostPte.pfn(mm.lookupPte(hva));
        mm.register(n);
        assertEquals(1, mm.migrate(hva, MIB));
        long after = HostPte.pfn(mm.lookupPte(hva));
        assertNotEquals(before, after);
        assertEquals(0, pm.refCount(before));
        byte[] b = new byte[1];
        mm.read(hva, b, 0, 1);
        assertEquals(42, b[0]);
        assertEquals(List.of(String.format("start %x-%x", hva, hva + 4096), String.format("change %x", hva),
                String.format("end %x-%x", hva, hva + 4096)), n.events);
    }

    @Test
    void agingClearsHostAndSecondaryAccessedState() {
        RecordingNotifier n = new RecordingNotifier();
        mm.register(n);
        long hva = mm.mmap(MIB, 0);
        mm.write(hva, new byte[]{1}, 0, 1);
        assertTrue(mm.testYoung(hva));
        assertTrue(mm.clearYoung(hva, MIB));
        assertFalse(mm.testYoung(hva));
        n.young = true;
        assertTrue(mm.testYoung(hva), "a secondary MMU's access counts");
        assertTrue(mm.clearYoung(hva, MIB));
        assertFalse(mm.clearYoung(hva, MIB));
    }

    @Test
    void destroyReleasesNotifiersAndFreesEverything() {
        RecordingNotifier n = new RecordingNotifier();
        mm.register(n);
        long a = mm.mmap(MIB, 0);
        long b = mm.mmap(4 * MIB, HostAddressSpace.MAP_HUGE_2M);
        mm.write(a, new byte[]{1}, 0, 1);
        mm.write(b + 3 * MIB, new byte[]{1}, 0, 1);
        mm.destroy();
        assertEquals("release", n.events.get(0));
        assertEquals(0, pm.framesInUse());
    }

    @Test
    void overlappingOrMisalignedMappingsAreRefused() {
        long hva = mm.mmap(MIB, 0);
        assertThrows(IllegalArgumentException.class, () -> mm.mmapFixed(hva + 4096, 4096, 0));
        assertThrows(IllegalArgumentException.class, () -> mm.mmapFixed(hva + 64 * MIB + 4096, 2 * MIB, HostAddressSpace.MAP_HUGE_2M));
    }

    /** Found by the fuzzer: the heap grew with every guest a launcher mapped and unmapped at a new address. */
    @Test
    void munmapFreesThePageTablesItEmptied() {
        for (int round = 0; round < 100; round++) {
            long hva = mm.mmap(4 * MIB, 0);
            byte[] b = {1};
            for (long off = 0; off < 4 * MIB; off += 512 * 4096) assertTrue(mm.write(hva + off + 8, b, 0, 1));
            assertEquals(2, mm.pageTables());
            mm.munmap(hva, 4 * MIB);
            assertEquals(0, mm.pageTables(), "round " + round);
        }
        long hva = mm.mmap(4 * MIB, 0);
        byte[] b = {1};
        assertTrue(mm.write(hva, b, 0, 1));
        assertTrue(mm.write(hva + 8 * 4096, b, 0, 1));
        mm.munmap(hva, 4096);
        assertEquals(1, mm.pageTables(), "a table that still maps a page stays");
        assertEquals(1, mm.residentPages());
    }
}
