package jvisor.kvm.arm;

import static jvisor.kvm.arm.ArmVmFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.atomic.AtomicBoolean;
import jvisor.hw.arm.Descriptor;
import jvisor.hw.arm.Mmu;
import jvisor.kvm.AccessOutcome;
import jvisor.kvm.RunExit;
import jvisor.kvm.Vm;
import jvisor.memory.UserMemoryRegion;
import org.junit.jupiter.api.Test;

class MemslotDeletionRaceTest {

    @Test
    void aFaultThatLookedUpTheHostPageBeforeTheSlotWasDeletedMapsNothing() {
        ArmVmFixture f = new ArmVmFixture(1, 16);
        Vm<Stage2Mmu> vm = f.vm();
        long hva = f.addRam(vm, 1, 0, 16 * MIB, 0, 0);
        ArmVcpu v = vm.arch().createVcpu(0, 0);
        AtomicBoolean deleted = new AtomicBoolean();
        // The slot goes away after the fault found it and faulted the host page in, before it takes the MMU lock.
        vm.arch().afterHostLookup = () -> {
            if (deleted.compareAndSet(false, true)) {
                vm.setUserMemoryRegion(new UserMemoryRegion(1, 0, 0, 0, hva));
            }
        };
        assertEquals(AccessOutcome.EXIT, store(v, 0x3000, 1));
        assertTrue(deleted.get());
        mmioExit(v); // once the slot is gone the IPA is MMIO
        assertEquals(0, vm.arch().pageTable().lookup(0x3000), "nothing was mapped into the deleted slot");
        assertEquals(1, vm.arch().stats().retries.sum());
        vm.destroy();
    }

    @Test
    void aFaultOnASlotPublishedInvalidRetriesAndNeverMaps() {
        ArmVmFixture f = new ArmVmFixture(1, 16);
        Vm<Stage2Mmu> vm = f.vm();
        long hva = f.addRam(vm, 1, 0, 16 * MIB, 0, 0);
        ArmVcpu v = vm.arch().createVcpu(0, 0);
        // While the deletion's flush runs (the slot is published invalid), a vCPU faults on it.
        AccessOutcome[] results = new AccessOutcome[1];
        vm.mmuLock().lock();
        Thread deleter = Thread.ofPlatform().start(() -> vm.setUserMemoryRegion(new UserMemoryRegion(1, 0, 0, 0, hva)));
        while (vm.memslots().byId(1) != null && !vm.memslots().byId(1).invalid()) Thread.onSpinWait();
        Thread vcpu = Thread.ofPlatform().start(() -> results[0] = store(v, 0x5000, 1));
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (vm.arch().stats().deletedSlotRetries.sum() == 0 && System.nanoTime() < deadline) Thread.onSpinWait();
        assertTrue(vm.arch().stats().deletedSlotRetries.sum() > 0, "the fault saw the invalid slot and retried");
        vm.mmuLock().unlock();
        join(deleter);
        join(vcpu);
        assertEquals(AccessOutcome.EXIT, results[0]);
        mmioExit(v);
        assertFalse(Descriptor.valid(vm.arch().pageTable().lookup(0x5000)));
        vm.destroy();
    }

    @Test
    void manyDeletionsRacingFaultsLeaveNoMappingOfADeletedSlot() throws Exception {
        ArmVmFixture f = new ArmVmFixture(1, 16);
        Vm<Stage2Mmu> vm = f.vm();
        ArmVcpu v = vm.arch().createVcpu(0, 0);
        long hva = f.mm.mmap(4 * MIB, 0);
        for (int round = 0; round < 200; round++) {
            vm.setUserMemoryRegion(new UserMemoryRegion(2, 0, 0, 4 * MIB, hva));
            AtomicBoolean stop = new AtomicBoolean();
            Thread t = Thread.ofPlatform().start(() -> {
                for (long a = 0; !stop.get(); a = (a + 4096) % (4 * MIB)) {
                    if (store(v, a, 7) == AccessOutcome.EXIT && v.lastExit() instanceof RunExit.Mmio) completeMmio(v, 0);
                }
            });
            Thread.sleep(0, 200_000);
            vm.setUserMemoryRegion(new UserMemoryRegion(2, 0, 0, 0, hva));
            stop.set(true);
            t.join();
            for (long a = 0; a < 4 * MIB; a += 4096) {
                assertFalse(Descriptor.valid(vm.arch().pageTable().lookup(a)), "round " + round + ": 0x" + Long.toHexString(a));
            }
            assertEquals(2, vm.arch().pageTable().tablesInUse());
        }
        vm.destroy();
    }

    @Test
    void aKickEndsARunThatWaitsOutASlotDeletionAndTheNextRunMakesTheAccess() {
        ArmVmFixture f = new ArmVmFixture(1, 16);
        Vm<Stage2Mmu> vm = f.vm();
        long hva = f.addRam(vm, 1, 0, 16 * MIB, 0, 0);
        ArmVcpu v = vm.arch().createVcpu(0, 0);
        RunExit[] exits = new RunExit[1];
        vm.mmuLock().lock();
        Thread deleter = Thread.ofPlatform().start(() -> vm.setUserMemoryRegion(new UserMemoryRegion(1, 0, 0, 0, hva)));
        while (vm.memslots().byId(1) != null && !vm.memslots().byId(1).invalid()) Thread.onSpinWait();
        v.setNextAccess(0x5000, Mmu.STORE, false, STR_X2, 1);
        Thread vcpu = Thread.ofPlatform().start(() -> exits[0] = v.run());
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (vm.arch().stats().deletedSlotRetries.sum() == 0 && System.nanoTime() < deadline) Thread.onSpinWait();
        assertTrue(vm.arch().stats().deletedSlotRetries.sum() > 0, "the run is waiting out the deletion");
        v.kick();
        try {
            vcpu.join(10_000);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        boolean stillRunning = vcpu.isAlive();
        vm.mmuLock().unlock();
        assertFalse(stillRunning, "the kick did not end the run");
        join(vcpu);
        // The deletion was held up by the MMU lock until now, so the run can only have ended by the kick.
        assertEquals(RunExit.Interrupted.INSTANCE, exits[0]);
        join(deleter);
        RunExit.Mmio m = assertInstanceOf(RunExit.Mmio.class, v.run(), "the next run retries the store; the slot is gone");
        assertEquals(0x5000, m.physAddr());
        assertEquals(1, m.valueLittleEndian());
        vm.destroy();
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
