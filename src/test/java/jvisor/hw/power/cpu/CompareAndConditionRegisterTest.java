package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Compares, CR logical operations and moves, isel/setb, and trap conditions. */
class CompareAndConditionRegisterTest {
    private static TestMachine m(long a, long b) {
        return new TestMachine().gpr(4, a).gpr(5, b);
    }

    @Test
    void wordComparesLookOnlyAtTheLowWords() {
        assertEquals(0b0010, m(0x1_0000_0001L, 0x2_0000_0001L).exec(0x7d842800).crField(3)); // cmpw
        assertEquals(0b1000, m(0x1_0000_0001L, 0x2_0000_0001L).exec(0x7da42800).crField(3)); // cmpd
        assertEquals(0b0100, m(0xFFFF_FFFFL, 1).exec(0x7d842840).crField(3));                 // cmplw
        assertEquals(0b1000, m(0xFFFF_FFFFL, 1).exec(0x7d842800).crField(3));                 // cmpw
        assertEquals(0b0100, m(-1L, 1).exec(0x7fa42840).crField(7));                          // cmpld
    }

    @Test
    void immediateComparesExtendTheImmediate() {
        assertEquals(0b0010, m(0xFFFF_FFFFL, 0).exec(0x2c04ffff).crField(0)); // cmpwi -1
        assertEquals(0b0100, m(0xFFFF_FFFFL, 0).exec(0x2ca4ffff).crField(1)); // cmpdi -1
        assertEquals(0b0010, m(0x1_0000_FFFFL, 0).exec(0x2804ffff).crField(0)); // cmplwi 0xffff
        assertEquals(0b1000, m(0, 0).exec(0x28240001).crField(0));             // cmpldi 1
    }

    @Test
    void comparesCopySummaryOverflow() {
        TestMachine t = m(5, 5);
        t.core.setXer(0x8000_0000L);
        assertEquals(0b0011, t.exec(0x7d842800).crField(3));
    }

    @Test
    void rangeAndByteEqualityCompares() {
        assertEquals(0b0100, m('a', 0x617A).exec(0x7d042980).crField(2));
        assertEquals(0, m('A', 0x617A).exec(0x7d042980).crField(2));
        assertEquals(0b0100, m('A', 0x415A_617AL).exec(0x7d242980).crField(2));
        assertEquals(0b0100, m(0x33, 0x1122_3344_5566_7788L).exec(0x7d8429c0).crField(3));
        assertEquals(0, m(0x99, 0x1122_3344_5566_7788L).exec(0x7d8429c0).crField(3));
    }

    @Test
    void iselAndSetb() {
        TestMachine t = m(11, 22);
        t.core.setCr(0x2000_0000);
        assertEquals(11, t.exec(0x7c64289e).r(3));
        TestMachine f = m(11, 22);
        assertEquals(22, f.exec(0x7c64289e).r(3));
        TestMachine zero = m(11, 22);
        zero.core.setCr(0x2000_0000);
        assertEquals(0, zero.exec(0x7c60289e).r(3));
        TestMachine lt = m(0, 0);
        lt.core.setCr(0x0080_0000);
        assertEquals(-1L, lt.exec(0x7c680100).r(3));
        TestMachine gt = m(0, 0);
        gt.core.setCr(0x0040_0000);
        assertEquals(1, gt.exec(0x7c680100).r(3));
    }

    @Test
    void crLogicalOperations() {
        TestMachine t = m(0, 0);
        t.core.setCr(0x0420_0000); // CR1 = GT, CR2 = EQ: bits 5 and 10 set
        t.exec(0x4c055202, 0x4c255102, 0x4c455242, 0x4c6551c2, 0x4c855042, 0x4ca55382, 0x4cc55342, 0x4ce73982);
        assertEquals(0xA620_0000, t.core.cr());
    }

    @Test
    void crMoves() {
        TestMachine f = m(0, 0);
        f.core.setCr(0x0400_0000);
        assertEquals(0b0100, f.exec(0x4d840000).crField(3));                        // mcrf cr3,cr1
        TestMachine mf = m(0, 0);
        mf.core.setCr(0x8000_0001);
        assertEquals(0x8000_0001L, mf.exec(0x7c600026).r(3));                      // mfcr
        TestMachine mo = m(0, 0);
        mo.core.setCr(0x1234_5678);
        assertEquals(0x0004_0000L, mo.exec(0x7c710026).r(3));                      // mfocrf field 3
        assertEquals(0xA000_0002, m(0xFFFF_FFFF_ABCD_EF12L, 0).exec(0x7c881120).core.cr()); // mtcrf 0x81
        assertEquals(0x70, m(0x1234_5678L, 0).exec(0x7c902120).core.cr());                  // mtocrf field 6
    }

    private static void assertTrap(TestMachine t, int word) {
        t.exec(word);
        assertEquals(0x700, t.core.pc());
        assertEquals(TestMachine.CODE, t.core.srr0());
        assertEquals(Core.SRR1_TRAP, t.core.srr1() & 0x1F_0000L);
    }

    @Test
    void trapsFireOnTheirConditions() {
        assertTrap(m(0x1_0000_0005L, 5), 0x7c842808);     // tweq: equal low words
        assertTrap(m(0x8000_0000L, 0), 0x0e040000);        // twlti 0: low word negative
        assertTrap(m(-1L, 1), 0x7c242888);                 // tdlgt
        assertTrap(m(0, 0), 0x0be40000);                   // tdui: always
        TestMachine never = m(0, 0).exec(0x0c040000);      // twi 0: never
        assertEquals(TestMachine.CODE + 4, never.core.pc());
    }
}
