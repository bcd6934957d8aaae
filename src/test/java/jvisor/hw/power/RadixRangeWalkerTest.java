package jvisor.hw.power;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The range walk visits exactly the leaves that cover the range, tables before and after their entries. */
class RadixRangeWalkerTest {
    private final RadixMachine m = new RadixMachine();
    private final long root = m.hostTables.newRoot();
    private final TableReader reader = new HostTableReader(m.host);

    private static final long G = 1L << 30, M2 = 1L << 21, K4 = 1L << 12;

    private void map(long address, int shift) {
        assertEquals(RadixTreeBuilder.MAPPED, m.hostTables.map(root, address, shift, RadixEntry.pteRwx(address & 0xFFFFFFF)));
    }

    private List<String> events(long start, long end) {
        List<String> out = new ArrayList<>();
        RadixRangeWalker.walk(root, start, end, reader, new RadixWalk(), new RadixRangeWalker.Visitor() {
            @Override
            public boolean table(long entryAddress, long entry, long address, int shift) {
                out.add("table " + Long.toHexString(address) + "/" + shift);
                return true;
            }

            @Override
            public void leaf(long entryAddress, long entry, long address, int pageShift) {
                out.add("leaf " + Long.toHexString(address) + "/" + pageShift);
            }

            @Override
            public void tableDone(long entryAddress, long entry, long address, int shift) {
                out.add("done " + Long.toHexString(address) + "/" + shift);
            }
        });
        return out;
    }

    private List<String> leaves(long start, long end) {
        return events(start, end).stream().filter(e -> e.startsWith("leaf")).toList();
    }

    @Test
    void leavesOfEverySizeCoveringTheRangeAndNoOthers() {
        map(0x1000, 12);
        map(0x5000, 12);
        map(3 * M2, 21);
        map(2 * G, 30);
        map(5 * G + 7 * K4, 12);
        assertEquals(List.of("leaf 1000/12", "leaf 5000/12", "leaf 600000/21", "leaf 80000000/30", "leaf 140007000/12"),
                leaves(0, 1L << 52));
        // A range that only touches the 2M and 1G pages' middles still names them, with their own start.
        assertEquals(List.of("leaf 600000/21", "leaf 80000000/30"), leaves(3 * M2 + 5 * K4, 2 * G + 1));
        assertEquals(List.of("leaf 5000/12"), leaves(0x2000, 0x6000));
        assertEquals(List.of(), leaves(0x6000, 3 * M2));
        assertEquals(List.of(), leaves(0x5000, 0x5000), "an empty range");
    }

    @Test
    void aTableIsVisitedBeforeAndAfterItsEntries() {
        map(0x1000, 12);
        List<String> e = events(0, 1L << 52);
        // Root entry for [0, 512G), then 1G, then 2M directories, the leaf, and the way back up.
        assertEquals(List.of("table 0/39", "table 0/30", "table 0/21", "leaf 1000/12", "done 0/21", "done 0/30", "done 0/39"), e);
    }

    @Test
    void aSkippedTableIsNeitherEnteredNorFinished() {
        map(0x1000, 12);
        map(G + 0x1000, 12);
        List<String> out = new ArrayList<>();
        RadixRangeWalker.walk(root, 0, 1L << 52, reader, new RadixWalk(), new RadixRangeWalker.Visitor() {
            @Override
            public boolean table(long entryAddress, long entry, long address, int shift) {
                return !(shift == 30 && address == 0);
            }

            @Override
            public void leaf(long entryAddress, long entry, long address, int pageShift) {
                out.add(Long.toHexString(address));
            }
        });
        assertEquals(List.of("40001000"), out);
    }

    @Test
    void aDirectoryPointingAtItsOwnTableEndsAfterFourLevels() {
        map(0x1000, 12);
        // Make the root's first entry point back at the root directory itself.
        long rootTable = RadixTreeRoot.rpdb(root);
        long first = m.host.readLongBE(rootTable);
        m.host.writeLongBE(rootTable, RadixEntry.pde(rootTable, RadixEntry.nls(first)));
        List<String> e = events(0, 1L << 52);
        assertTrue(e.size() < 64, "the walk ended: " + e);
        assertTrue(e.stream().noneMatch(x -> x.startsWith("leaf")), "no leaf from a looping tree: " + e);
    }
}
