package jvisor.hw.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import jvisor.memory.PhysicalMemory;
import org.junit.jupiter.api.Test;

class TwoLevelRangeWalkerTest {
    private final PhysicalMemory phys = new PhysicalMemory(1L << 30);
    private final RealTables tables = new RealTables(phys);
    private final long dir = phys.allocate(0);
    private final long cr3 = dir << 12;
    private final long tableA = phys.allocate(0);
    private final long tableB = phys.allocate(0);

    /** Directory slot 1 -> table A, slot 2 empty, slot 3 -> table B, slot 4 a 4 MiB page (PS). */
    TwoLevelRangeWalkerTest() {
        tables.writeEntry(cr3 + 4, X86Pte.make(tableA, X86Pte.TABLE_FLAGS));
        tables.writeEntry(cr3 + 12, X86Pte.make(tableB, X86Pte.TABLE_FLAGS));
        tables.writeEntry(cr3 + 16, 0x0100_0000 | X86Pte.PRESENT | X86Pte.RW | X86Pte.PSE);
        // Table A: the last two pages of its 4 MiB present; table B: only its second page.
        tables.writeEntry((tableA << 12) + 4 * 1022, X86Pte.make(0x111, X86Pte.PRESENT));
        tables.writeEntry((tableA << 12) + 4 * 1023, X86Pte.make(0x222, X86Pte.PRESENT | X86Pte.RW));
        tables.writeEntry((tableB << 12) + 4, X86Pte.make(0x333, X86Pte.PRESENT));
    }

    /** Writes every callback as one line; {@code skip} is a directory address whose table is skipped. */
    private static final class Recorder implements TwoLevelRangeWalker.Visitor {
        final List<String> events = new ArrayList<>();
        long skip = -1;

        @Override
        public boolean table(long at, int entry, long address) {
            events.add(String.format("table %x", address));
            return address != skip;
        }

        @Override
        public void leaf(long at, int entry, long address, int shift) {
            events.add(String.format("leaf %x/%d %s", address, shift,
                    X86Pte.present(entry) ? String.format("%x", X86Pte.pfn(entry)) : "-"));
        }

        @Override
        public void tableDone(long at, int entry, long address) {
            events.add(String.format("done %x", address));
        }
    }

    private List<String> walk(long start, long end, boolean largePages, long skip) {
        Recorder r = new Recorder();
        r.skip = skip;
        TwoLevelRangeWalker.walk(tables, cr3, start, end, largePages, r);
        return r.events;
    }

    @Test
    void visitsTheEntriesOfTheRangeInOrderWithEachTableClosedAfterItsLeaves() {
        // From the second-last page of slot 1 (mid-page) to two pages into slot 3.
        assertEquals(List.of(
                        "table 400000",
                        "leaf 7fe000/12 111",
                        "leaf 7ff000/12 222",
                        "done 400000",
                        "leaf 800000/22 -",
                        "table c00000",
                        "leaf c00000/12 -",
                        "leaf c01000/12 333",
                        "done c00000"),
                walk(0x7F_E800L, 0xC0_2000L, false, -1));
    }

    @Test
    void aSkippedTableHasNeitherLeavesNorPostOrder() {
        assertEquals(List.of("table 400000", "leaf 800000/22 -", "table c00000", "leaf c00000/12 -", "done c00000"),
                walk(0x7F_F000L, 0xC0_1000L, false, 0x40_0000L));
    }

    @Test
    void oneByteRangeVisitsTheOnePageThatHoldsIt() {
        assertEquals(List.of("table c00000", "leaf c01000/12 333", "done c00000"),
                walk(0xC0_1FFFL, 0xC0_2000L, false, -1));
    }

    @Test
    void aLargePageIsALeafOnlyWithLargePagesOn() {
        assertEquals(List.of("leaf 1000000/22 1000"), walk(0x100_0000L, 0x100_1000L, true, -1));
        // Without PSE the bit is ignored: the entry points at a table (frame 0x1000's first entry).
        assertEquals(List.of("table 1000000", "leaf 1000000/12 -", "done 1000000"),
                walk(0x100_0000L, 0x100_1000L, false, -1));
    }

    @Test
    void aRangeIsClippedToTheAddressSpaceAndAnEmptyRangeVisitsNothing() {
        assertEquals(List.of(), walk(0x50_0000L, 0x50_0000L, false, -1));
        assertEquals(List.of(), walk(-1L << 40, 0, false, -1));
        List<String> top = walk(0xFFC0_0000L, 1L << 40, false, -1);
        assertEquals(List.of("leaf ffc00000/22 -"), top);
    }
}
