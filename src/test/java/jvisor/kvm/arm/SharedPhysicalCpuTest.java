package jvisor.kvm.arm;

import static jvisor.kvm.arm.ArmVmFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.ConcurrentLinkedQueue;
import jvisor.kvm.AccessOutcome;
import jvisor.kvm.Vm;
import org.junit.jupiter.api.Test;

/**
 * Two threads run vCPUs of two VMs that are bound to the same physical CPU: they take turns on
 * it, and neither ever reads the other's memory (found by the fuzzer: one thread's access went
 * through the stage-2 context the other had just loaded).
 */
class SharedPhysicalCpuTest {
    @Test
    void vcpusOfTwoVmsOnOneCpuNeverSeeEachOthersMemory() throws Exception {
        ArmVmFixture f = new ArmVmFixture(1, 16);
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        Thread[] threads = new Thread[2];
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
        for (int t = 0; t < 2; t++) {
            Vm<Stage2Mmu> vm = f.vm();
            f.addRam(vm, 0, 0, 2 * MIB, 0, 0);
            ArmVcpu v = vm.arch().createVcpu(0, 0);
            long mine = 1000 + t;
            threads[t] = Thread.ofPlatform().start(() -> {
                if (store(v, 0x3000, mine) != AccessOutcome.DONE) errors.add("store failed");
                try {
                    start.await();
                } catch (Exception e) {
                    errors.add(e.toString());
                }
                for (int i = 0; i < 500_000 && errors.isEmpty(); i++) {
                    if (load(v, 0x3000) != AccessOutcome.DONE) errors.add("load failed: " + v.lastExit());
                    else if (v.x[1] != mine) errors.add("VM " + mine + " read " + v.x[1]);
                }
            });
        }
        for (Thread t : threads) t.join();
        assertTrue(errors.isEmpty(), String.join("\n", errors));
    }
}
