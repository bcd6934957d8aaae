package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import jvisor.hw.power.Msr;

/** Load-and-reserve / store-conditional, including loss of the reservation to another core's store. */
class ReservationTest {
    static final long DATA = 0x20000;
    static final int LWARX = 0x7c602028, ADDI_1 = 0x38630001, STWCX = 0x7c60212d;

    private static TestMachine m() {
        return new TestMachine().gpr(4, DATA);
    }

    private static boolean succeeded(TestMachine t) {
        return (t.crField(0) & 2) != 0;
    }

    @Test
    void reserveThenStoreConditionalSucceeds() {
        TestMachine t = m();
        t.memory.writeIntBE(DATA, 5);
        t.exec(LWARX, ADDI_1, STWCX);
        assertEquals(5 + 1, t.memory.readIntBE(DATA));
        assertEquals(0b0010, t.crField(0));
    }

    @Test
    void storeConditionalWithoutReservationFails() {
        TestMachine t = m().gpr(3, 9).exec(STWCX);
        assertEquals(0, t.memory.readIntBE(DATA));
        assertEquals(0, t.crField(0));
    }

    @Test
    void storeConditionalConsumesTheReservation() {
        TestMachine t = m().exec(LWARX, STWCX, ADDI_1, STWCX);
        assertEquals(0, t.crField(0) & 2);
        assertEquals(0, t.memory.readIntBE(DATA));
    }

    @Test
    void anotherCoresStoreToTheGranuleLosesTheReservation() {
        TestMachine a = m();
        TestMachine b = new TestMachine(a).gpr(4, DATA).gpr(5, 1);
        a.code(TestMachine.CODE, LWARX, ADDI_1, STWCX);
        a.core.setPc(TestMachine.CODE);
        assertEquals(Exit.INSTRUCTION_LIMIT, a.core.run(2));
        assertEquals(Exit.INSTRUCTION_LIMIT, b.runAt(0x30000, 1, 0x90a40040)); // stw r5,0x40(r4): same 128-byte granule
        assertEquals(Exit.INSTRUCTION_LIMIT, a.core.run(1));
        assertEquals(false, succeeded(a));
        assertEquals(0, a.memory.readIntBE(DATA));
    }

    @Test
    void anotherCoresStoreElsewhereLeavesTheReservation() {
        TestMachine a = m();
        TestMachine b = new TestMachine(a).gpr(4, DATA).gpr(5, 1);
        a.code(TestMachine.CODE, LWARX, ADDI_1, STWCX);
        a.core.setPc(TestMachine.CODE);
        a.core.run(2);
        b.runAt(0x30000, 1, 0x90a40080); // stw r5,0x80(r4): the next granule
        a.core.run(1);
        assertEquals(true, succeeded(a));
        assertEquals(1, a.memory.readIntBE(DATA));
    }

    @Test
    void byteHalfwordAndDoublewordForms() {
        TestMachine b = m().gpr(4, DATA + 3).gpr(5, 0xAB).exec(0x7c602068, 0x7ca0256d); // lbarx, stbcx.
        assertEquals(0x0000_00ABL, b.memory.readIntBE(DATA));
        assertEquals(true, succeeded(b));
        TestMachine h = m().gpr(4, DATA + 2).gpr(5, 0xABCD).exec(0x7c6020e8, 0x7ca025ad); // lharx, sthcx.
        assertEquals(0x0000_ABCDL, h.memory.readIntBE(DATA));
        TestMachine hl = m().msr(Msr.SF | Msr.ME | Msr.LE).gpr(4, DATA + 2).gpr(5, 0xABCD).exec(0x7c6020e8, 0x7ca025ad);
        assertEquals(0xABCD_0000, hl.memory.readIntLE(DATA));
        TestMachine d = m().gpr(5, 0x1122_3344_5566_7788L).exec(0x7c6020a8, 0x7ca021ad); // ldarx, stdcx.
        assertEquals(0x1122_3344_5566_7788L, d.memory.readLongBE(DATA));
    }

    @Test
    void quadwordForms() {
        TestMachine q = m();
        q.memory.writeLongBE(DATA, 1);
        q.memory.writeLongBE(DATA + 8, 2);
        q.exec(0x7cc02228); // lqarx r6
        assertEquals(1, q.r(6));
        assertEquals(2, q.r(7));
        q.gpr(6, 3).gpr(7, 4);
        q.code(TestMachine.CODE + 4, 0x7cc0216d); // stqcx. r6
        q.core.setPc(TestMachine.CODE + 4);
        q.core.run(1);
        assertEquals(true, succeeded(q));
        assertEquals(3, q.memory.readLongBE(DATA));
        assertEquals(4, q.memory.readLongBE(DATA + 8));
    }

    @Test
    void misalignedReserveRaisesAlignment() {
        TestMachine t = m().gpr(4, DATA + 2).exec(LWARX);
        assertEquals(0x600, t.core.pc());
        assertEquals(DATA + 2, t.core.dar());
    }

    @Test
    void twoCoresIncrementingTheSameWordLoseNoUpdate() throws Exception {
        TestMachine a = m();
        TestMachine b = new TestMachine(a).gpr(4, DATA);
        int n = 20_000;
        // loop: lwarx; addi; stwcx.; bne- loop; bdnz loop; sc 1
        int[] code = {LWARX, ADDI_1, STWCX, 0x40c2fff4, 0x4200fff0, 0x44000022};
        a.code(TestMachine.CODE, code);
        for (TestMachine t : new TestMachine[] {a, b}) {
            t.core.setCtr(n);
            t.core.setPc(TestMachine.CODE);
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Integer> fa = pool.submit(() -> a.core.run(Long.MAX_VALUE));
            Future<Integer> fb = pool.submit(() -> b.core.run(Long.MAX_VALUE));
            assertEquals(Exit.HYPERCALL, fa.get(60, TimeUnit.SECONDS));
            assertEquals(Exit.HYPERCALL, fb.get(60, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2 * n, a.memory.readIntBE(DATA));
    }
}
