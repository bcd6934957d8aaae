package jvisor.kvm.arm;

import static jvisor.kvm.arm.ArmVmFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import jvisor.kvm.AccessOutcome;
import jvisor.kvm.Vm;
import org.junit.jupiter.api.Test;

class VmidRolloverTest {
    private static final long IPA = 0x4000;

    /** 300 VMs each keep a different value at the same IPA; they run in turn on two CPUs. */
    private void runVmsInTurn(int vmidBits, int vms, int rounds) {
        ArmVmFixture f = new ArmVmFixture(8 * GIB, 2, vmidBits);
        long baseline = f.pm.framesInUse();
        List<Vm<Stage2Mmu>> all = new ArrayList<>();
        List<ArmVcpu> vcpus = new ArrayList<>();
        for (int i = 0; i < vms; i++) {
            Vm<Stage2Mmu> vm = f.vm();
            f.addRam(vm, 0, 0, 2 * MIB, 0, 0);
            all.add(vm);
            vcpus.add(vm.arch().createVcpu(0, i % 2));
        }
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < vms; i++) {
                ArmVcpu v = vcpus.get(i);
                if (round == 0) assertEquals(AccessOutcome.DONE, store(v, IPA, 1000L + i));
                // Twice: the second access is served by the TLB when nothing flushed it.
                for (int k = 0; k < 2; k++) {
                    assertEquals(AccessOutcome.DONE, load(v, IPA));
                    assertEquals(1000L + i, v.x[1], "VM " + i + " in round " + round + " saw another VM's page");
                }
                int vmid = all.get(i).arch().currentVmid();
                assertTrue(vmid >= 1 && vmid < (1 << vmidBits));
                assertEquals(vmid, v.cpu().mmu().vmid());
            }
        }
        long hits = f.arm.cpu(0).tlb().hits + f.arm.cpu(1).tlb().hits;
        assertTrue(hits >= (long) vms * rounds, "the TLB is in use: " + hits + " hits");
        if (vmidBits == 8) {
            assertTrue(f.arm.vmids().rollovers() >= rounds, "300 VMs do not fit 255 VMIDs: a rollover per round");
            assertEquals(f.arm.vmids().rollovers(), f.arm.hyp().allVmFlushes.sum(), "one broadcast flush per rollover");
        } else {
            assertEquals(0, f.arm.vmids().rollovers());
        }
        for (Vm<Stage2Mmu> vm : all) vm.destroy();
        f.mm.destroy();
        assertEquals(baseline, f.pm.framesInUse(), "every table, state page and RAM frame went back");
    }

    @Test
    void threeHundredVmsRunInTurnAcrossEightBitRolloversWithNoCrossVmTlbHit() {
        runVmsInTurn(8, 300, 3);
    }

    @Test
    void sixteenBitVmidsGiveThreeHundredVmsTheirOwnVmidWithoutRollover() {
        runVmsInTurn(16, 300, 2);
    }

    @Test
    void aVmidRunningOnACpuSurvivesTheRolloverItIsCaughtIn() {
        VmidAllocator a = new VmidAllocator(8, 2, () -> {});
        VmidAllocator.VmVmid running = new VmidAllocator.VmVmid();
        int kept = a.update(running, 1);
        for (int i = 0; i < 300; i++) a.update(new VmidAllocator.VmVmid(), 0);
        assertEquals(1, a.rollovers());
        assertEquals(kept, a.update(running, 1), "the reserved VMID carries over into the new generation");
        for (int i = 0; i < 250; i++) {
            assertNotEquals(kept, a.update(new VmidAllocator.VmVmid(), 0), "nobody else gets the reserved VMID");
        }
    }
}
