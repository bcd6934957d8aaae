package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import jvisor.hw.power.Msr;

/** Branch targets, LK, CTR decrement and test, and 32-bit truncation of addresses. */
class BranchTest {
    static final long C = TestMachine.CODE;

    private static TestMachine one(int word) {
        return new TestMachine().exec(word);
    }

    @Test
    void relativeAndAbsoluteBranches() {
        assertEquals(C + 0x100, one(0x48000100).core.pc());
        assertEquals(0x100, one(0x48000102).core.pc());           // ba
        TestMachine bla = one(0x48000203);                        // bla 0x200
        assertEquals(0x200, bla.core.pc());
        assertEquals(C + 4, bla.core.lr());
        TestMachine back = one(0x4bfffffd);                       // bl .-4
        assertEquals(C - 4, back.core.pc());
        assertEquals(C + 4, back.core.lr());
    }

    @Test
    void takenBranchesRecordTheirAddressInCfar() {
        assertEquals(C, one(0x48000100).core.readSpr(Spr.CFAR));
    }

    @Test
    void conditionalBranchesTestTheCrBit() {
        TestMachine eq = new TestMachine();
        eq.core.setCr(0x2000_0000);
        assertEquals(C + 16, eq.exec(0x41820010).core.pc());      // beq
        TestMachine ne = new TestMachine();
        ne.core.setCr(0x2000_0000);
        assertEquals(C + 4, ne.exec(0x40820010).core.pc());       // bne not taken
    }

    @Test
    void ctrIsDecrementedAndTested() {
        TestMachine t = new TestMachine();
        t.core.setCtr(2);
        t.exec(0x42000010);                                       // bdnz: CTR 2 -> 1, taken
        assertEquals(C + 16, t.core.pc());
        assertEquals(1, t.core.ctr());
        t.exec(0x42000010);                                       // CTR 1 -> 0, not taken
        assertEquals(C + 4, t.core.pc());
        assertEquals(0, t.core.ctr());
        TestMachine z = new TestMachine();
        z.core.setCtr(1);
        assertEquals(C + 16, z.exec(0x42400010).core.pc());       // bdz
        TestMachine both = new TestMachine();
        both.core.setCtr(5);
        assertEquals(C + 4, both.exec(0x41020010).core.pc());     // bdnzt eq with EQ clear
        assertEquals(4, both.core.ctr());
    }

    @Test
    void ctrTestUsesTheLowWordIn32BitMode() {
        TestMachine t = new TestMachine().msr(Msr.ME);
        t.core.setCtr(0x1_0000_0001L);
        t.exec(0x42000010);                                       // bdnz: CTR low word becomes 0
        assertEquals(C + 4, t.core.pc());
        assertEquals(0x1_0000_0000L, t.core.ctr());
    }

    @Test
    void branchesToRegisters() {
        TestMachine lr = new TestMachine();
        lr.core.setLr(0x3003);
        assertEquals(0x3000, lr.exec(0x4e800020).core.pc());      // blr ignores the low bits
        TestMachine lrl = new TestMachine();
        lrl.core.setLr(0x3000);
        lrl.exec(0x4e800021);                                     // blrl: target is the old LR
        assertEquals(0x3000, lrl.core.pc());
        assertEquals(C + 4, lrl.core.lr());
        TestMachine ctr = new TestMachine();
        ctr.core.setCtr(0x4000);
        ctr.exec(0x4e800421);                                     // bctrl
        assertEquals(0x4000, ctr.core.pc());
        assertEquals(C + 4, ctr.core.lr());
        TestMachine dz = new TestMachine();
        dz.core.setLr(0x5000);
        dz.core.setCtr(3);
        assertEquals(0x5000, dz.exec(0x4e000020).core.pc());      // bdnzlr
        TestMachine tar = new TestMachine();
        tar.core.writeSpr(Spr.TAR, 0x6000);
        assertEquals(0x6000, tar.exec(0x4e800460).core.pc());     // btar
    }

    @Test
    void bcctrThatDecrementsCtrBranchesToTheOldCtrAsPower9Does() {
        // bdnzctr (BO=16: decrement, branch if CTR != 0): an invalid form POWER9 and QEMU execute.
        TestMachine t = new TestMachine();
        t.core.setCtr(0x7000);
        t.exec(0x4e000420);
        assertEquals(0x7000, t.core.pc(), "taken to the CTR value before the decrement");
        assertEquals(0x6FFF, t.core.ctr());
        TestMachine last = new TestMachine();
        last.core.setCtr(1);
        last.exec(0x4e000420);
        assertEquals(TestMachine.CODE + 4, last.core.pc(), "CTR reaches 0: not taken");
        assertEquals(0, last.core.ctr());
    }

    @Test
    void addressesAreTruncatedIn32BitMode() {
        TestMachine t = new TestMachine().msr(Msr.ME);
        t.core.setLr(0xFFFF_FFFF_0000_3000L);
        assertEquals(0x3000, t.exec(0x4e800020).core.pc());
        TestMachine wrap = new TestMachine().msr(Msr.ME);
        wrap.code(0xFFFF_0, 0x48020000); // b .+0x20000 from near the top... of the 1 MiB memory
        wrap.core.setPc(0xFFFF_0);
        wrap.core.run(1);
        assertEquals(0x11_FFF0L, wrap.core.pc());
    }

    @Test
    void nextInstructionAddressWrapsIn32BitMode() {
        TestMachine t = new TestMachine().msr(Msr.ME);
        t.core.setPc(0xFFFF_FFFCL);
        // Fetching at 0xFFFFFFFC is outside memory: machine check with SRR0 = that address.
        assertEquals(Exit.INSTRUCTION_LIMIT, t.core.run(1));
        assertEquals(0x200, t.core.pc());
        assertEquals(0xFFFF_FFFCL, t.core.srr0());
    }

    @Test
    void addpcisAddsTheShiftedImmediateToTheNextAddress() {
        assertEquals(C + 4 + 0x1_0000, one(0x4c600005).r(3)); // addpcis r3,1
    }
}
