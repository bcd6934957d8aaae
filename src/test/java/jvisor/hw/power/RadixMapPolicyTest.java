package jvisor.hw.power;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one map policy: tables on the way down, the leaf at its level, and each named option. */
class RadixMapPolicyTest {
    private static final long M2 = 1L << 21;

    private final ArrayRealMemory mem = new ArrayRealMemory(4 << 20);
    private final TableReader reader = new HostTableReader(mem);
    private final RadixWalk walk = new RadixWalk();
    /** Table sizes asked for, in order. */
    private final List<Integer> asked = new ArrayList<>();
    private long next = 1 << 20;
    private int tablesLeft = Integer.MAX_VALUE;
    private final long root = RadixTreeRoot.of52(0x10000);

    private long take(int nls) {
        asked.add(nls);
        if (tablesLeft-- <= 0) return -1;
        long bytes = 8L << nls;
        next = (next + bytes - 1) & -bytes;
        long t = next;
        next += bytes;
        return t;
    }

    private final List<String> breaks = new ArrayList<>();

    private RadixMapPolicy breaking() {
        return RadixMapPolicy.breakingBeforeMaking(mem, 9, this::take, (address, shift, old) -> {
            long slot = walk.entryAddress;
            breaks.add(String.format("0x%x/%d old 0x%x slot 0x%x", address, shift, old, mem.readLongBE(slot)));
        });
    }

    private long lookup(long address) {
        RadixWalk w = new RadixWalk();
        int st = RadixTreeWalker.walk(w, root, address, reader, RadixWalkVisitor.TRANSLATE);
        return st == RadixTreeWalker.DONE ? w.entry : 0;
    }

    @Test
    void missingTablesAreTakenFromTheSourceWithTheGeometrysSizes() {
        RadixMapPolicy p = RadixMapPolicy.overwriting(mem, 5, this::take);
        long pte = RadixEntry.pte(0x30000, RadixEntry.READ);
        assertEquals(RadixMapPolicy.MAPPED, p.map(walk, root, 0x4_0000_0000L + 0x50000, reader, 3, pte));
        assertEquals(List.of(9, 9, 5), asked, "1G- and 2M-level tables of 512 entries, a 64K-page table of 32");
        assertEquals(pte, lookup(0x4_0000_0000L + 0x50000));
        assertEquals(pte, mem.readLongBE(walk.entryAddress));

        asked.clear();
        assertEquals(RadixMapPolicy.MAPPED, p.map(walk, root, 0x4_0000_0000L + 0x60000, reader, 3, pte + 0x10000));
        assertEquals(List.of(), asked, "the tables exist now");
    }

    @Test
    void anEmptySourceRefusesWithNoMemoryAndLeavesTheSlotEmpty() {
        RadixMapPolicy p = breaking();
        tablesLeft = 1;
        assertEquals(RadixMapPolicy.NO_MEMORY, p.map(walk, root, 0x1000, reader, 3, RadixEntry.pteRwx(0x1000)));
        assertEquals(0, mem.readLongBE(walk.entryAddress), "the level-1 slot whose 2M-level table could not be had");
        assertEquals(0, lookup(0x1000));
    }

    @Test
    void aTableWhereTheLeafGoesAndALargerPageOverItAreRefused() {
        RadixMapPolicy p = breaking();
        assertEquals(RadixMapPolicy.MAPPED, p.map(walk, root, 0x1000, reader, 3, RadixEntry.pteRwx(0x1000)));
        assertEquals(RadixMapPolicy.TABLE_IN_THE_WAY, p.map(walk, root, 0, reader, 2, RadixEntry.pteRwx(0)));
        assertEquals(RadixMapPolicy.MAPPED, p.map(walk, root, 4 * M2, reader, 2, RadixEntry.pteRwx(4 * M2)));
        long big = lookup(4 * M2 + 0x5000);
        assertEquals(RadixMapPolicy.LARGER_PAGE, p.map(walk, root, 4 * M2 + 0x5000, reader, 3, RadixEntry.pteRwx(0x5000)));
        assertEquals(big, lookup(4 * M2 + 0x5000), "the large page is left alone");
        assertEquals(List.of(), breaks);
    }

    @Test
    void overwritingReplacesASameSizeLeafAsItIs() {
        RadixMapPolicy p = RadixMapPolicy.overwriting(mem, 9, this::take);
        p.map(walk, root, 0x7000, reader, 3, RadixEntry.pte(0x7000, RadixEntry.READ | RadixEntry.READ_WRITE));
        long readOnly = RadixEntry.pte(0x9000, RadixEntry.READ);
        assertEquals(RadixMapPolicy.MAPPED, p.map(walk, root, 0x7000, reader, 3, readOnly));
        assertEquals(readOnly, lookup(0x7000), "another page, and rights taken away: written as given");
    }

    @Test
    void breakingBeforeMakingMergesTheSamePageAndBreaksAnotherOne() {
        RadixMapPolicy p = breaking();
        long first = RadixEntry.pte(0x7000, RadixEntry.READ | RadixEntry.EXECUTE | RadixEntry.REFERENCE);
        p.map(walk, root, 0x7000, reader, 3, first);

        long sameWritable = RadixEntry.pte(0x7000, RadixEntry.READ | RadixEntry.READ_WRITE | RadixEntry.CHANGE);
        assertEquals(RadixMapPolicy.MAPPED, p.map(walk, root, 0x7000, reader, 3, sameWritable));
        assertEquals(first | RadixEntry.READ_WRITE | RadixEntry.CHANGE, lookup(0x7000),
                "a racing fault of the same page adds its rights and R/C, keeping EXECUTE");
        assertEquals(List.of(), breaks);

        long old = lookup(0x7000);
        long other = RadixEntry.pte(0xB000, RadixEntry.READ);
        assertEquals(RadixMapPolicy.MAPPED, p.map(walk, root, 0x7000, reader, 3, other));
        assertEquals(List.of(String.format("0x7000/12 old 0x%x slot 0x0", old)), breaks,
                "the listener hears of the old leaf while the slot is empty");
        assertEquals(other, lookup(0x7000));
    }
}
