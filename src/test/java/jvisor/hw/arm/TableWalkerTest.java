package jvisor.hw.arm;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import jvisor.memory.PhysicalMemory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The walker's contract, on a small stage-2 tree built by hand (start level 1, one root table):
 * <pre>
 * root  [0]  -> table A (level 2)      A [0] -> table A0 (level 3): pages at 0x0, 0x1000, 0x1FF000
 *       [1]  =  1G block                 [1] =  2M block at 0x200000
 *       [3]  -> table B (level 2)        [5] -> table A5 (level 3): a page at 0xA07000
 *                                      B [0] =  2M block at 0xC0000000
 * </pre>
 */
class TableWalkerTest {
    private static final long G = 1L << 30, M2 = 1L << 21;

    private PhysicalMemory pm;
    private long root, a, a0, a5, b;

    private long frame() {
        return pm.allocate(0) << 12;
    }

    private void set(long table, int index, long descriptor) {
        pm.writeLongLE(table + 8L * index, descriptor);
    }

    private static long page(long pa) {
        return pa | Descriptor.leafType(3);
    }

    private static long block(long pa, int level) {
        return pa | Descriptor.leafType(level);
    }

    @BeforeEach
    void buildTree() {
        pm = new PhysicalMemory(G);
        root = frame();
        a = frame();
        a0 = frame();
        a5 = frame();
        b = frame();
        set(root, 0, Descriptor.table(a));
        set(root, 1, block(G, 1));
        set(root, 3, Descriptor.table(b));
        set(a, 0, Descriptor.table(a0));
        set(a, 1, block(0x20_0000, 2));
        set(a, 5, Descriptor.table(a5));
        set(a0, 0, page(0x1000));
        set(a0, 1, page(0x2000));
        set(a0, 511, page(0x3000));
        set(a5, 7, page(0x4000));
        set(b, 0, block(0x40_0000, 2));
    }

    private int walk(long start, long end, TableWalker.Visitor v) {
        return TableWalker.walk(new TableWalker.Walk(pm), root, 1, 1, start, end, v);
    }

    /** Writes down every table callback and every valid leaf as "kind level address". */
    private static class Recorder implements TableWalker.Visitor {
        final List<String> events = new ArrayList<>();
        final List<Long> postChildren = new ArrayList<>();
        int invalidLeaves;
        private final int flags;

        Recorder(int flags) {
            this.flags = flags;
        }

        @Override
        public int flags() {
            return flags;
        }

        @Override
        public int leaf(TableWalker.Walk w) {
            if (Descriptor.valid(w.old)) {
                events.add(String.format("leaf %d 0x%x", w.level, w.entryStart()));
            } else {
                invalidLeaves++;
            }
            return TableWalker.OK;
        }

        @Override
        public int tablePre(TableWalker.Walk w) {
            events.add(String.format("pre %d 0x%x", w.level, w.entryStart()));
            return TableWalker.OK;
        }

        @Override
        public int tablePost(TableWalker.Walk w) {
            events.add(String.format("post %d 0x%x", w.level, w.entryStart()));
            postChildren.add(w.childTable);
            return TableWalker.OK;
        }
    }

    @Test
    void theLeavesOfAHalfOpenRangeAreVisitedOnceEachInAddressOrder() {
        Recorder r = new Recorder(TableWalker.LEAF);
        assertEquals(TableWalker.OK, walk(0x1000, 0x20_0000 + 0x2000, r));
        assertEquals(List.of("leaf 3 0x1000", "leaf 3 0x1ff000", "leaf 2 0x200000"), r.events);
        assertEquals(509, r.invalidLeaves, "the empty slots 2..510 of table A0, and nothing after the block");
    }

    @Test
    void aRangeEndingWhereAnEntryBeginsLeavesThatEntryOut() {
        Recorder r = new Recorder(TableWalker.LEAF);
        walk(0x20_0000, 0x40_0000, r);
        assertEquals(List.of("leaf 2 0x200000"), r.events);
        assertEquals(0, r.invalidLeaves);
    }

    @Test
    void tablesAreVisitedBeforeAndAfterTheirChildren() {
        Recorder r = new Recorder(TableWalker.LEAF | TableWalker.TABLE_PRE | TableWalker.TABLE_POST);
        assertEquals(TableWalker.OK, walk(0, 4 * G, r));
        assertEquals(List.of(
                "pre 1 0x0",
                "pre 2 0x0", "leaf 3 0x0", "leaf 3 0x1000", "leaf 3 0x1ff000", "post 2 0x0",
                "leaf 2 0x200000",
                "pre 2 0xa00000", "leaf 3 0xa07000", "post 2 0xa00000",
                "post 1 0x0",
                "leaf 1 0x40000000",
                "pre 1 0xc0000000", "leaf 2 0xc0000000", "post 1 0xc0000000"), r.events);
        assertEquals(List.of(a0, a5, a, b), r.postChildren, "each post-order call names the table just walked");
    }

    @Test
    void withoutTheTableFlagsOnlyLeavesAreReported() {
        Recorder r = new Recorder(TableWalker.LEAF);
        walk(0, 4 * G, r);
        assertTrue(r.events.stream().allMatch(e -> e.startsWith("leaf")), r.events.toString());
        assertEquals(7, r.events.size(), "four pages, two 2M blocks, one 1G block");
    }

    @Test
    void aSkippedTableHasNeitherChildrenNorPostOrderCallButTheWalkGoesOn() {
        Recorder r = new Recorder(TableWalker.LEAF | TableWalker.TABLE_PRE | TableWalker.TABLE_POST) {
            @Override
            public int tablePre(TableWalker.Walk w) {
                super.tablePre(w);
                return w.level == 2 && w.entryStart() == 0 ? TableWalker.SKIP : TableWalker.OK;
            }
        };
        walk(0, G, r);
        assertEquals(List.of(
                "pre 1 0x0", "pre 2 0x0",
                "leaf 2 0x200000",
                "pre 2 0xa00000", "leaf 3 0xa07000", "post 2 0xa00000",
                "post 1 0x0"), r.events);
    }

    @Test
    void thePostOrderCallSeesWhatTheChildrenDid() {
        // A teardown: leaves cleared on the way down, each table checked empty on the way up.
        List<Long> emptyWhenPosted = new ArrayList<>();
        TableWalker.Visitor clear = new TableWalker.Visitor() {
            @Override
            public int flags() {
                return TableWalker.LEAF | TableWalker.TABLE_POST;
            }

            @Override
            public int leaf(TableWalker.Walk w) {
                if (Descriptor.valid(w.old)) w.write(0);
                return TableWalker.OK;
            }

            @Override
            public int tablePost(TableWalker.Walk w) {
                boolean empty = true;
                for (int i = 0; i < Descriptor.ENTRIES; i++) empty &= pm.readLongLE(w.childTable + 8L * i) == 0;
                if (empty) emptyWhenPosted.add(w.childTable);
                w.write(0);
                return TableWalker.OK;
            }
        };
        assertEquals(TableWalker.OK, walk(0, 4 * G, clear));
        assertEquals(List.of(a0, a5, a, b), emptyWhenPosted);
        for (int i = 0; i < Descriptor.ENTRIES; i++) assertEquals(0, pm.readLongLE(root + 8L * i), "root entry " + i);
    }

    @Test
    void aSubtreeUnlinkedBeforeItsChildrenIsStillWalked() {
        Recorder r = new Recorder(TableWalker.LEAF | TableWalker.TABLE_PRE | TableWalker.TABLE_POST) {
            @Override
            public int tablePre(TableWalker.Walk w) {
                super.tablePre(w);
                if (w.level == 1) w.write(0);
                return TableWalker.OK;
            }
        };
        walk(0, G, r);
        assertEquals(0, pm.readLongLE(root), "unlinked");
        assertTrue(r.events.contains("leaf 3 0xa07000"), r.events.toString());
        assertEquals("post 1 0x0", r.events.getLast());
        assertEquals(a, r.postChildren.getLast(), "the post-order call names the table that was unlinked");
    }

    @Test
    void aTableALeafCallbackInstallsIsWalkedInto() {
        long fresh = frame();
        set(fresh, 3, block(0x60_0000, 2));
        Recorder r = new Recorder(TableWalker.LEAF | TableWalker.TABLE_POST) {
            @Override
            public int leaf(TableWalker.Walk w) {
                super.leaf(w);
                if (w.level == 1 && w.entryStart() == 2 * G) w.write(Descriptor.table(fresh));
                return TableWalker.OK;
            }
        };
        walk(2 * G, 3 * G, r);
        assertEquals(List.of("leaf 2 0x80600000", "post 1 0x80000000"), r.events);
        assertEquals(1 + 511, r.invalidLeaves, "the empty root slot, then the new table's other slots");
    }

    @Test
    void aNegativeResultEndsTheWalkWithIt() {
        int[] leaves = {0};
        TableWalker.Visitor stop = new TableWalker.Visitor() {
            @Override
            public int flags() {
                return TableWalker.LEAF;
            }

            @Override
            public int leaf(TableWalker.Walk w) {
                leaves[0]++;
                return w.entryStart() == 0x1000 ? -7 : TableWalker.OK;
            }
        };
        assertEquals(-7, walk(0, 4 * G, stop));
        assertEquals(2, leaves[0], "the page at 0 and the one at 0x1000, nothing after");
    }

    @Test
    void aTablePointerOutsideRealMemoryEndsTheWalkWithBadTable() {
        set(a, 5, Descriptor.table(1L << 40));
        Recorder r = new Recorder(TableWalker.LEAF);
        assertEquals(TableWalker.BAD_TABLE, walk(0, 4 * G, r));
        assertEquals(List.of("leaf 3 0x0", "leaf 3 0x1000", "leaf 3 0x1ff000", "leaf 2 0x200000"), r.events);

        TableLookup lookup = new TableLookup(pm);
        assertEquals(TableWalker.BAD_TABLE, lookup.find(root, 1, 1, 0xA0_0000));
        assertEquals(2, lookup.level, "the level of the entry holding the bad pointer");
    }

    @Test
    void aLookupFindsTheDescriptorAndLevelThatTranslateAnAddress() {
        TableLookup lookup = new TableLookup(pm);
        assertEquals(TableWalker.OK, lookup.find(root, 1, 1, 0x1FF123));
        assertTrue(lookup.foundLeaf());
        assertEquals(3, lookup.level);
        assertEquals(0x3123, lookup.outputAddress(0x1FF123));

        assertEquals(TableWalker.OK, lookup.find(root, 1, 1, G + 0x12_3456));
        assertEquals(1, lookup.level);
        assertEquals(G + 0x12_3456, lookup.outputAddress(G + 0x12_3456));

        assertEquals(TableWalker.OK, lookup.find(root, 1, 1, 0x5000));
        assertFalse(lookup.foundLeaf(), "an empty slot of table A0");
        assertEquals(3, lookup.level);
        assertEquals(0, lookup.descriptor);

        assertEquals(TableWalker.OK, lookup.find(root, 1, 1, 2 * G));
        assertFalse(lookup.foundLeaf());
        assertEquals(1, lookup.level, "an empty root slot");
    }
}
