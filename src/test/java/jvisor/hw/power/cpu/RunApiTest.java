package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jvisor.hw.power.InterruptVector;
import jvisor.hw.power.Lpcr;
import jvisor.hw.power.Mmu;
import jvisor.hw.power.Msr;
import jvisor.hw.power.Srr1;
import org.junit.jupiter.api.Test;

/** How the hypervisor drives a core: completing hypercalls and MMIO, reflecting faults, entry sequences. */
class RunApiTest {
    static final long C = TestMachine.CODE, DATA = 0x20000;

    @Test
    void hypervisorCompletesAHypercallAndResumesAfterTheSc() {
        TestMachine t = new TestMachine().gpr(3, 0x58);
        t.code(C, 0x44000022, 0x7c641b78 /* mr r4,r3 */, 0x44000022);
        t.core.setPc(C);
        assertEquals(Exit.HYPERCALL, t.core.run(100));
        assertEquals(0x58, t.r(3));
        t.core.setGpr(3, -2); // H_FUNCTION
        assertEquals(Exit.HYPERCALL, t.core.run(100));
        assertEquals(-2L, t.r(4));
        assertEquals(C + 12, t.core.pc());
    }

    @Test
    void hypervisorEmulatesAnMmioLoadAndStepsOverIt() {
        TestMachine t = new TestMachine().gpr(4, DATA);
        t.mmu.fault(DATA, Mmu.LOAD, InterruptVector.HYPERVISOR_DATA_STORAGE, 0x4000_0000);
        t.code(C, 0x80640004 /* lwz r3,4(r4) */, 0x38630001 /* addi r3,r3,1 */);
        t.core.setPc(C);
        assertEquals(Exit.HDSI, t.core.run(100));
        assertEquals(DATA + 4, t.core.readSpr(Spr.HDAR));
        t.core.setGpr(3, 41);           // the device's answer
        t.core.setPc(t.core.pc() + 4);  // past the emulated load
        assertEquals(Exit.INSTRUCTION_LIMIT, t.core.run(1));
        assertEquals(42, t.r(3));
    }

    @Test
    void hypervisorReflectsEmulationAssistAsAProgramInterrupt() {
        TestMachine t = new TestMachine();
        assertEquals(Exit.HYPERVISOR_EMULATION_ASSIST, t.runAt(C, 10, 0x7c7e4aa6 /* mflpcr r3 */));
        t.core.deliverInterrupt(0x700, Srr1.ILLEGAL);
        assertEquals(0x700, t.core.pc());
        assertEquals(C, t.core.srr0());
        assertEquals(Srr1.ILLEGAL, t.core.srr1() & 0x1F_0000L);
    }

    @Test
    void bigEndianEntryCanSwitchToLittleEndianThroughRfid() {
        TestMachine t = new TestMachine().msr(Msr.ME).gpr(3, C + 0x100).gpr(5, Msr.SF | Msr.ME | Msr.LE);
        t.code(C, 0x7c7a03a6, 0x7cbb03a6, 0x4c000024); // mtsrr0 r3; mtsrr1 r5; rfid (big-endian words)
        t.memory.writeIntLE(C + 0x100, 0x38630001);   // addi r3,r3,1 (little-endian words)
        t.memory.writeIntLE(C + 0x104, 0x44000022);   // sc 1
        t.core.setPc(C);
        assertEquals(Exit.HYPERCALL, t.core.run(100));
        assertEquals(C + 0x101, t.r(3));
        assertEquals(Msr.LE, t.core.msr() & Msr.LE);
    }

    @Test
    void lpcrWrittenByTheHypervisorTakesEffect() {
        TestMachine t = new TestMachine();
        t.core.writeSpr(Spr.LPCR, Lpcr.ILE);
        t.exec(0x44000002); // sc
        assertEquals(Msr.LE, t.core.msr() & Msr.LE);
    }

    @Test
    void pcSetBeforeTheMsrIsNotTruncatedEarly() {
        TestMachine t = new TestMachine().msr(Msr.ME);
        t.core.setPc(0x1_0000_0000L + C);
        t.core.setMsr(Msr.SF | Msr.ME);
        assertEquals(0x1_0000_0000L + C, t.core.pc());
    }
}
