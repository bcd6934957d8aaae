package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jvisor.hw.power.Srr1;
import org.junit.jupiter.api.Test;

/** lwat/ldat/stwat/stdat: the fetch-and-op and store-op functions, the paired forms, and the faults. */
class AtomicMemoryOperationTest {
    private static final long A = 0x20000;

    /** lwat/ldat r3,r7,FC: EA from r7, operands RT+1 = r4 and RT+2 = r5, old value to r3. */
    private static int load(boolean doubleword, int fc) {
        return 0x7c000000 | (3 << 21) | (7 << 16) | (fc << 11) | ((doubleword ? 614 : 582) << 1);
    }

    /** stwat/stdat r6,r7,FC. */
    private static int store(boolean doubleword, int fc) {
        return 0x7c000000 | (6 << 21) | (7 << 16) | (fc << 11) | ((doubleword ? 742 : 710) << 1);
    }

    /** Memory at A, r4 and r5 the load operands, r6 the store operand (= r5's value). */
    private static TestMachine machine(long memory, long r4value, long r5value) {
        TestMachine t = new TestMachine().gpr(7, A).gpr(4, r4value).gpr(5, r5value).gpr(6, r5value);
        t.memory.writeLongBE(A, memory);
        return t;
    }

    @Test
    void fetchAndOpReturnsTheOldValueAndStoresTheResult() {
        TestMachine add = machine(40, 2, 0).exec(load(true, 0));
        assertEquals(40, add.r(3));
        assertEquals(42, add.memory.readLongBE(A));
        TestMachine maxSigned = machine(-5, 3, 0).exec(load(true, 5));
        assertEquals(3, maxSigned.memory.readLongBE(A));
        TestMachine maxUnsigned = machine(-5, 3, 0).exec(load(true, 4));
        assertEquals(-5, maxUnsigned.memory.readLongBE(A));
        TestMachine swap = machine(7, 9, 0).exec(load(true, 8));
        assertEquals(7, swap.r(3));
        assertEquals(9, swap.memory.readLongBE(A));
    }

    @Test
    void wordFormsWorkOnTheAddressedWordOnly() {
        TestMachine t = machine(0x0000_0001_FFFF_FFFFL, 1, 0).exec(load(false, 0));
        assertEquals(0x0000_0001L, t.r(3), "the big-endian word at A is the high half of the doubleword");
        assertEquals(0x0000_0002_FFFF_FFFFL, t.memory.readLongBE(A));
        TestMachine min = machine(0xFFFF_FFFE_0000_0000L, 1, 0).exec(load(false, 7));
        assertEquals(0xFFFF_FFFE_0000_0000L, min.memory.readLongBE(A), "-2 < 1 as signed words");
    }

    @Test
    void compareAndSwapNotEqualAndTheBoundedIncrement() {
        TestMachine ne = machine(5, 6, 77).exec(load(true, 16));
        assertEquals(77, ne.memory.readLongBE(A), "5 != 6: RT+2 is stored");
        TestMachine eq = machine(6, 6, 77).exec(load(true, 16));
        assertEquals(6, eq.memory.readLongBE(A));
        TestMachine bounded = machine(3, 0, 0);
        bounded.memory.writeLongBE(A + 8, 4);
        bounded.exec(load(true, 24), load(true, 24));
        assertEquals(4, bounded.memory.readLongBE(A), "incremented once, then at the bound");
        assertEquals(0x8000_0000_0000_0000L, bounded.r(3));
    }

    @Test
    void storeOpsAndStoreTwin() {
        TestMachine add = machine(40, 0, 2).exec(store(true, 0));
        assertEquals(42, add.memory.readLongBE(A));
        TestMachine twin = machine(5, 0, 9);
        twin.memory.writeLongBE(A + 8, 5);
        twin.exec(store(true, 24));
        assertEquals(9, twin.memory.readLongBE(A));
        assertEquals(9, twin.memory.readLongBE(A + 8));
    }

    @Test
    void undefinedFunctionCodesAreIllegalAndMisalignedAddressesTakeAnAlignmentInterrupt() {
        TestMachine bad = machine(0, 0, 0).exec(load(true, 9));
        assertEquals(0x700, bad.core.pc());
        assertEquals(Srr1.ILLEGAL, bad.core.srr1() & 0x1F_0000L);
        TestMachine badStore = machine(0, 0, 0).exec(store(false, 8));
        assertEquals(0x700, badStore.core.pc());
        TestMachine odd = new TestMachine().gpr(7, A + 4).exec(load(true, 0));
        assertEquals(0x600, odd.core.pc());
    }
}
