package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import jvisor.hw.power.Msr;
import jvisor.memory.RealMemory;

/** Decoded instructions never outlive the bytes they were decoded from. */
class DecodeCacheCoherenceTest {
    static final long C = TestMachine.CODE;
    static final int ADDI_1 = 0x38630001, ADDI_100 = 0x38630064, STW_R5_0_R4 = 0x90a40000, ICBI = 0x7c0027ac;

    private static void runOnceAt(TestMachine t, long at) {
        t.core.setPc(at);
        assertEquals(Exit.INSTRUCTION_LIMIT, t.core.run(1));
    }

    @Test
    void aGuestStoreOverDecodedCodeIsSeen() {
        TestMachine t = new TestMachine().gpr(4, C).gpr(5, ADDI_100);
        t.code(C, ADDI_1);
        runOnceAt(t, C);
        assertEquals(1, t.r(3));
        t.code(0x30000, STW_R5_0_R4);
        runOnceAt(t, 0x30000);
        runOnceAt(t, C);
        assertEquals(101, t.r(3));
    }

    @Test
    void codeThatRewritesItsOwnNextInstructionRunsTheNewOne() {
        TestMachine t = new TestMachine().gpr(4, C + 4).gpr(5, ADDI_100);
        t.code(C, STW_R5_0_R4, ADDI_1);
        t.core.setPc(C);
        t.core.run(2);
        assertEquals(100, t.r(3));
    }

    @Test
    void anotherCoresStoreIsSeen() {
        TestMachine a = new TestMachine();
        TestMachine b = new TestMachine(a).gpr(4, C).gpr(5, ADDI_100);
        a.code(C, ADDI_1);
        runOnceAt(a, C);
        b.code(0x30000, STW_R5_0_R4);
        runOnceAt(b, 0x30000);
        runOnceAt(a, C);
        assertEquals(101, a.r(3));
    }

    /** Data at D that becomes code: stored to (so the data cache holds the page for writing), run, stored to again. */
    private static void dataThatBecomesCodeIsRewritten(TestMachine writer, TestMachine runner) {
        long d = 0x40000;
        writer.gpr(4, d).gpr(5, ADDI_1);
        writer.code(0x30000, STW_R5_0_R4);
        runOnceAt(writer, 0x30000);
        runOnceAt(writer, 0x30000);          // the write entry of the page is in use
        runOnceAt(runner, d);                // the page is decoded now
        assertEquals(1, runner.r(3));
        writer.gpr(5, ADDI_100);
        runOnceAt(writer, 0x30000);          // must not go through the old write entry unseen
        runOnceAt(runner, d);
        assertEquals(101, runner.r(3));
    }

    @Test
    void aPageDecodedAfterTheDataCacheTookItForWritingStillSeesTheNextStore() {
        TestMachine t = new TestMachine();
        dataThatBecomesCodeIsRewritten(t, t);
    }

    @Test
    void aPageAnotherCoreDecodedAfterThisOneTookItForWritingStillSeesTheNextStore() {
        TestMachine writer = new TestMachine();
        dataThatBecomesCodeIsRewritten(writer, new TestMachine(writer));
    }

    @Test
    void aDataPageIsHeldForWritingAgainAfterTheFirstStoreOfANewCodeEpoch() {
        long d = 0x40000;
        TestMachine t = new TestMachine().gpr(4, d).gpr(5, 7);
        t.code(0x30000, STW_R5_0_R4);
        runOnceAt(t, 0x30000);
        assertTrue(t.core.lsu.writeHost(d, 4) != 0, "the store filled the entry");
        t.code(C, ADDI_1);
        runOnceAt(t, C);                     // another page becomes decoded: the entry lapses
        assertEquals(0, t.core.lsu.writeHost(d, 4));
        runOnceAt(t, 0x30000);
        assertTrue(t.core.lsu.writeHost(d, 4) != 0, "one store made it again");
    }

    @Test
    void writesFromOutsideTheCoresNeedAnInvalidateOrAnIcbi() {
        TestMachine t = new TestMachine().gpr(4, C);
        t.code(C, ADDI_1);
        runOnceAt(t, C);
        t.memory.writeIntBE(C, ADDI_100); // a DMA write that did not tell the cache
        runOnceAt(t, C);
        assertEquals(2, t.r(3));           // the stale decode is still used...
        t.code(0x30000, ICBI);             // ...until the guest flushes the block with icbi
        runOnceAt(t, 0x30000);
        runOnceAt(t, C);
        assertEquals(102, t.r(3));
        t.memory.writeIntBE(C, ADDI_1);
        t.cache.invalidate(C >>> 12);      // or the writer invalidates the page itself
        runOnceAt(t, C);
        assertEquals(103, t.r(3));
    }

    @Test
    void aStoreThatLandsWhileASlotIsDecodedLeavesNoStaleEntry() {
        // Core A reads the old word; before it writes the slot's entry, core B stores the new one
        // and invalidates the page (unmarking it). The old entry must not stay behind: no later
        // store or icbi would look at an unmarked page.
        DecodeCache cache = new DecodeCache(1 << 20);
        ByteMemory memory = new ByteMemory(1 << 20);
        memory.writeIntBE(C, ADDI_1);
        RealMemory racing = new ByteMemory(1 << 20) {
            @Override
            public int readIntBE(long a) {
                int old = memory.readIntBE(a);
                memory.writeIntBE(a, ADDI_100);
                cache.invalidate(a >>> 12);
                return old;
            }
        };
        DecodePage page = cache.page(C >>> 12, false);
        int slot = (int) (C & 0xFFF) >>> 2;
        assertEquals(ADDI_1, (int) page.decode(slot, racing), "the word as it was read");
        assertEquals(0, page.entries[slot], "decoded again at the next fetch");
        assertEquals(ADDI_100, (int) page.decode(slot, memory));
        assertEquals(ADDI_100, (int) page.entries[slot]);
        assertTrue(cache.isDecoded(C >>> 12));
    }

    @Test
    void theSamePageDecodesSeparatelyPerByteOrder() {
        TestMachine t = new TestMachine();
        t.memory.writeIntBE(C, ADDI_1);      // as big-endian: addi r3,r3,1
        runOnceAt(t, C);
        assertEquals(1, t.r(3));
        t.msr(Msr.SF | Msr.ME | Msr.LE);
        runOnceAt(t, C);                     // read little-endian the same bytes are 0x01006338: illegal
        assertEquals(0x700, t.core.pc());
    }
}
