package jvisor.kvm.arm;

import static jvisor.kvm.arm.ArmVmFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import jvisor.hw.arm.Descriptor;
import jvisor.kvm.AccessOutcome;
import jvisor.kvm.Vm;
import jvisor.memory.HostPte;
import jvisor.memory.MemorySlot;
import org.junit.jupiter.api.Test;

class NotifierConcurrencyTest {
    private static final long RAM = 8 * MIB;
    private static final int VCPUS = 4;

    @Test
    void vcpusFaultingWhileTheHostReclaimsMigratesAndAgesNeverLoseAWriteOrMapAFreedFrame() throws Exception {
        ArmVmFixture f = new ArmVmFixture(VCPUS, 16);
        long baseline = f.pm.framesInUse();
        Vm<Stage2Mmu> vm = f.vm();
        long hva = f.addRam(vm, 0, 0, RAM, 0, 0);
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        long share = RAM / VCPUS;
        for (int c = 0; c < VCPUS; c++) {
            ArmVcpu v = vm.arch().createVcpu(c, c);
            long base = c * share;
            threads.add(Thread.ofPlatform().start(() -> {
                long[] last = new long[(int) (share / 4096)];
                Random rnd = new Random(base);
                for (long n = 1; !stop.get() || n < 2000; n++) {
                    int page = rnd.nextInt(last.length);
                    long ipa = base + 4096L * page;
                    if (load(v, ipa) != AccessOutcome.DONE) {
                        errors.add("load exit: " + v.lastExit());
                        return;
                    }
                    if (v.x[1] != last[page]) {
                        errors.add(String.format("page 0x%x read 0x%x, wrote 0x%x", ipa, v.x[1], last[page]));
                        return;
                    }
                    if (store(v, ipa, n) != AccessOutcome.DONE) {
                        errors.add("store exit: " + v.lastExit());
                        return;
                    }
                    last[page] = n;
                }
            }));
        }
        Random rnd = new Random(1);
        long ops = 0;
        long deadline = System.nanoTime() + 1_500_000_000L;
        while (System.nanoTime() < deadline && errors.isEmpty()) {
            long off = 4096L * rnd.nextInt((int) (RAM / 4096 - 16));
            switch (rnd.nextInt(4)) {
                case 0 -> f.mm.reclaim(hva + off, 16 * 4096);
                case 1 -> f.mm.migrate(hva + off, 16 * 4096);
                case 2 -> f.mm.clearYoung(hva + off, 64 * 4096);
                default -> f.mm.testYoung(hva + off);
            }
            ops++;
            java.util.concurrent.locks.LockSupport.parkNanos(20_000);
        }
        stop.set(true);
        for (Thread t : threads) t.join();
        assertTrue(errors.isEmpty(), String.join("\n", errors));
        assertTrue(ops > 100, "the host did work: " + ops);
        assertTrue(vm.arch().stats().notifierUnmaps.sum() > 0);
        assertTrue(vm.arch().stats().agingCalls.sum() > 0);

        // Every stage-2 leaf maps exactly the frame the host maps for that address now.
        MemorySlot slot = vm.memslots().byId(0);
        vm.mmuLock().lock();
        try {
            for (long ipa = 0; ipa < RAM; ipa += 4096) {
                long d = vm.arch().pageTable().lookup(ipa);
                if (!Descriptor.valid(d)) continue;
                long pte = f.mm.lookupPte(slot.gfnToHva(ipa >>> 12));
                assertTrue(HostPte.present(pte), String.format("IPA 0x%x mapped but the host page is gone", ipa));
                assertEquals(HostPte.pfn(pte), Descriptor.outputAddress(d) >>> 12, String.format("IPA 0x%x", ipa));
            }
        } finally {
            vm.mmuLock().unlock();
        }
        vm.destroy();
        f.mm.destroy();
        assertEquals(baseline, f.pm.framesInUse());
    }

    @Test
    void munmapOfTheBackingWhileVcpusFaultLeavesNoMappingBehind() throws Exception {
        ArmVmFixture f = new ArmVmFixture(2, 16);
        Vm<Stage2Mmu> vm = f.vm();
        long hva = f.addRam(vm, 0, 0, RAM, 0, 0);
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            ArmVcpu v = vm.arch().createVcpu(c, c);
            threads.add(Thread.ofPlatform().start(() -> {
                Random rnd = new Random();
                while (!stop.get()) store(v, 4096L * rnd.nextInt((int) (RAM / 4096)), 1);
            }));
        }
        Thread.sleep(100);
        f.mm.munmap(hva, RAM);
        Thread.sleep(50);
        stop.set(true);
        for (Thread t : threads) t.join();
        for (long ipa = 0; ipa < RAM; ipa += 4096) {
            assertFalse(Descriptor.valid(vm.arch().pageTable().lookup(ipa)), String.format("IPA 0x%x", ipa));
        }
        assertTrue(vm.arch().stats().hostFaults.sum() > 0, "after munmap the faults fail back to the VMM");
        vm.destroy();
    }
}
