package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jvisor.hw.power.Srr1;
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

    // cmprb BF,L,RA,RB: 0x7c000180 | BF << 23 | L << 21; cmpeqb BF,RA,RB: 0x7c0001c0 | BF << 23.
    static final int CMPRB_2_0 = 0x7d042980, CMPRB_2_1 = 0x7d242980, CMPRB_5_1 = 0x7ea42980,
            CMPEQB_3 = 0x7d8429c0;

    @Test
    void cmprbSingleRangeTakesTheLowerBoundFromTheLowByteOfRb() {
        long digits = ('9' << 8) | '0'; // RB[48:55] = hi = '9', RB[56:63] = lo = '0'
        assertEquals(0b0100, m('5', digits).exec(CMPRB_2_0).crField(2));
        assertEquals(0b0100, m('0', digits).exec(CMPRB_2_0).crField(2)); // bounds are inclusive
        assertEquals(0b0100, m('9', digits).exec(CMPRB_2_0).crField(2));
        assertEquals(0, m('/', digits).exec(CMPRB_2_0).crField(2));
        assertEquals(0, m(':', digits).exec(CMPRB_2_0).crField(2));
        assertEquals(0b0100, m(0xFFFF_FFFF_1234_5635L, digits).exec(CMPRB_2_0).crField(2)); // only RA[56:63]
        assertEquals(0, m('5', ('0' << 8) | '9').exec(CMPRB_2_0).crField(2)); // lo > hi: an empty range
        assertEquals(0, m('a', 0x617A).exec(CMPRB_2_0).crField(2));          // [0x7A, 0x61] is empty
        assertEquals(0b0100, m(0xFF, 0xFF00).exec(CMPRB_2_0).crField(2));    // unsigned bytes
    }

    @Test
    void cmprbWithLZeroIgnoresTheSecondRange() {
        long alpha = 0x5A41_7A61L; // range 1 = ['A', 'Z'] in RB[32:47], range 2 = ['a', 'z'] in RB[48:63]
        assertEquals(0, m('M', alpha).exec(CMPRB_2_0).crField(2));
        assertEquals(0b0100, m('M', alpha).exec(CMPRB_2_1).crField(2));
        assertEquals(0b0100, m('m', alpha).exec(CMPRB_2_0).crField(2));
    }

    @Test
    void cmprbTwoRanges() {
        long alpha = 0xFFFF_FFFF_5A41_7A61L; // RB[0:31] plays no part
        for (char ch : new char[] {'A', 'Z', 'a', 'z', 'q', 'Q'}) {
            assertEquals(0b0100, m(ch, alpha).exec(CMPRB_5_1).crField(5), () -> "'" + ch + "'");
        }
        for (char ch : new char[] {'@', '[', '`', '{', '0', 0xFF}) {
            assertEquals(0, m(ch, alpha).exec(CMPRB_5_1).crField(5), () -> "'" + ch + "'");
        }
        assertEquals(0, m('M', 0x415A_617AL).exec(CMPRB_5_1).crField(5)); // both ranges reversed: empty
    }

    @Test
    void cmprbAndCmpeqbSetOnlyGtInTheirFieldAndIgnoreSo() {
        TestMachine t = m('5', ('9' << 8) | '0');
        t.core.setXer(0x8000_0000L);
        t.core.setCr(0xFFFF_FFFF);
        assertEquals(0xFF4F_FFFF, t.exec(CMPRB_2_0).core.cr());
        TestMachine u = m(0x33, 0x1122_3344_5566_7788L);
        u.core.setXer(0x8000_0000L);
        u.core.setCr(0xFFFF_FFFF);
        assertEquals(0xFFF4_FFFF, u.exec(CMPEQB_3).core.cr());
        TestMachine v = m('/', ('9' << 8) | '0');
        v.core.setCr(0xFFFF_FFFF);
        assertEquals(0xFF0F_FFFF, v.exec(CMPRB_2_0).core.cr());
    }

    @Test
    void cmpeqbMatchesRaLowByteAgainstEveryByteOfRb() {
        long rb = 0x1122_3344_5566_7788L;
        assertEquals(0b0100, m(0x11, rb).exec(CMPEQB_3).crField(3)); // RB[0:7]
        assertEquals(0b0100, m(0x33, rb).exec(CMPEQB_3).crField(3));
        assertEquals(0b0100, m(0x88, rb).exec(CMPEQB_3).crField(3)); // RB[56:63]
        assertEquals(0b0100, m(0xFFFF_FFFF_FFFF_FF55L, rb).exec(CMPEQB_3).crField(3)); // only RA[56:63]
        assertEquals(0, m(0x99, rb).exec(CMPEQB_3).crField(3));
        assertEquals(0, m(0x1100, rb).exec(CMPEQB_3).crField(3)); // RA's low byte is 0x00
        assertEquals(0b0100, m(0, 0xFF00_FFFF_FFFF_FFFFL).exec(CMPEQB_3).crField(3));
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
        assertEquals(Srr1.TRAP, t.core.srr1() & 0x1F_0000L);
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
