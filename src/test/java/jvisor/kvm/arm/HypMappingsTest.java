package jvisor.kvm.arm;

import static org.junit.jupiter.api.Assertions.*;

import jvisor.kvm.Vm;
import org.junit.jupiter.api.Test;

class HypMappingsTest {

    @Test
    void eachVmAndVcpuStateIsMappedAtEl2WhileItLivesAndUnmappedWithIt() {
        ArmVmFixture f = new ArmVmFixture(2, 8);
        Hyp hyp = f.arm.hyp();
        long empty = f.pm.framesInUse();
        assertEquals(1, hyp.tablesInUse(), "only the EL2 root");
        Vm<Stage2Mmu> a = f.vm();
        Vm<Stage2Mmu> b = f.vm();
        ArmVcpu va = a.arch().createVcpu(0, 0);
        ArmVcpu vb = b.arch().createVcpu(0, 1);
        assertTrue(hyp.isMapped(a.arch().hypVa()));
        assertTrue(hyp.isMapped(va.hypVa()));
        assertEquals(4, hyp.pagesMapped());
        // The world switch reads the VTTBR through the EL2 mapping.
        ArmVmFixture.load(va, 0x1000);
        assertEquals(va.cpu().mmu().vttbr(), hyp.readLong(a.arch().hypVa()));
        a.destroy();
        assertFalse(hyp.isMapped(a.arch().hypVa()));
        assertFalse(hyp.isMapped(va.hypVa()));
        assertTrue(hyp.isMapped(vb.hypVa()));
        b.destroy();
        assertEquals(0, hyp.pagesMapped());
        assertEquals(1, hyp.tablesInUse(), "the EL2 tables emptied by teardown are freed");
        assertEquals(empty, f.pm.framesInUse());
    }

    @Test
    void vmidAndIpaFlushesReachEveryCpuButOnlyTheirVm() {
        ArmVmFixture f = new ArmVmFixture(2, 16);
        Vm<Stage2Mmu> a = f.vm();
        Vm<Stage2Mmu> b = f.vm();
        f.addRam(a, 0, 0, 4 * ArmVmFixture.MIB, 0, 0);
        f.addRam(b, 0, 0, 4 * ArmVmFixture.MIB, 0, 0);
        ArmVcpu a0 = a.arch().createVcpu(0, 0), a1 = a.arch().createVcpu(1, 1), b0 = b.arch().createVcpu(0, 0);
        for (ArmVcpu v : new ArmVcpu[] {a0, a1, b0}) ArmVmFixture.store(v, 0x2000, 1);
        int before = f.arm.cpu(0).tlb().validEntries() + f.arm.cpu(1).tlb().validEntries();
        assertEquals(3, before);
        a.arch().flushTlbs();
        assertEquals(0, f.arm.cpu(1).tlb().validEntries());
        assertEquals(1, f.arm.cpu(0).tlb().validEntries(), "VM b's entry survives VM a's flush");
        f.arm.hyp().flushVmidIpa(b.arch().currentVmid(), 0x2000, 4096);
        assertEquals(0, f.arm.cpu(0).tlb().validEntries());
        a.destroy();
        b.destroy();
    }
}
