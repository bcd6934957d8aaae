package jvisor.kvm.arm;

import static jvisor.kvm.arm.ArmVmFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import jvisor.hw.arm.AccessInfo;
import jvisor.hw.arm.Descriptor;
import jvisor.hw.arm.Esr;
import jvisor.hw.arm.Mmu;
import jvisor.hw.arm.Stage2Descriptor;
import jvisor.kvm.AccessOutcome;
import jvisor.kvm.KvmException;
import jvisor.kvm.RunExit;
import jvisor.kvm.Vm;
import jvisor.memory.HostAddressSpace;
import jvisor.memory.MemorySlot;
import jvisor.memory.UserMemoryRegion;
import org.junit.jupiter.api.Test;

class Stage2FaultHandlingTest {
    private final ArmVmFixture f = new ArmVmFixture(1, 16);

    @Test
    void aTranslationFaultMapsThePageAndTheAccessCompletes() {
        Vm<Stage2Mmu> vm = f.vm();
        f.addRam(vm, 0, 0, 64 * MIB, 0, 0);
        ArmVcpu v = vm.arch().createVcpu(0, 0);
        assertEquals(AccessOutcome.DONE, store(v, 0x12340, 0xfeedL));
        assertEquals(AccessOutcome.DONE, load(v, 0x12340));
        assertEquals(0xfeedL, v.x[1]);
        assertEquals(1, vm.arch().stats().faults(Esr.FaultKind.TRANSLATION, 1), "one translation fault, at level 1 where the empty table ends the walk");
        assertEquals(1, vm.arch().stats().mapped4k.sum());
        assertEquals(1, v.exits, "the load hit the TLB");
    }

    @Test
    void hugeHostBackingGetsBlockMappingsAndDirtyLoggingForcesPages() {
        Vm<Stage2Mmu> vm = f.vm();
        f.addRam(vm, 0, 0, 1 * GIB, HostAddressSpace.MAP_HUGE_1G, 0);
        f.addRam(vm, 1, 2 * GIB, 64 * MIB, HostAddressSpace.MAP_HUGE_2M, MemorySlot.LOG_DIRTY_PAGES);
        ArmVcpu v = vm.arch().createVcpu(0, 0);
        assertEquals(AccessOutcome.DONE, store(v, 0x3000_0000L, 1));
        long d = vm.arch().pageTable().lookup(0x3000_0000L);
        assertEquals(1, vm.arch().pageTable().lastLevel, "a 1G block at level 1");
        assertTrue(Descriptor.isLeaf(d, 1));
        assertEquals(1, vm.arch().stats().mapped1g.sum());
        assertEquals(AccessOutcome.DONE, store(v, 2 * GIB + 0x20_5000L, 1));
        vm.arch().pageTable().lookup(2 * GIB + 0x20_5000L);
        assertEquals(3, vm.arch().pageTable().lastLevel, "pages only while the slot logs dirty pages");
        assertArrayEquals(new long[] {1L << 0x205 % 64}, slice(vm.getDirtyLog(1), 0x205 / 64));
    }

    private static long[] slice(long[] a, int i) {
        return new long[] {a[i]};
    }

    @Test
    void aReadFaultInALoggingSlotMapsReadOnlyAndTheWriteRelaxesInPlace() {
        Vm<Stage2Mmu> vm = f.vm();
        f.addRam(vm, 0, 0, 16 * MIB, 0, MemorySlot.LOG_DIRTY_PAGES);
        ArmVcpu v = vm.arch().createVcpu(0, 0);
        assertEquals(AccessOutcome.DONE, load(v, 0x5000));
        assertFalse(Stage2Descriptor.writable(vm.arch().pageTable().lookup(0x5000)));
        assertEquals(0, vm.memslots().byId(0).dirtyBitmap().count());
        assertEquals(AccessOutcome.DONE, store(v, 0x5008, 7));
        assertTrue(Stage2Descriptor.writable(vm.arch().pageTable().lookup(0x5000)));
        assertEquals(1, vm.arch().stats().faults(Esr.FaultKind.PERMISSION, 3));
        assertEquals(1, vm.arch().stats().relaxed.sum());
        assertTrue(vm.memslots().byId(0).dirtyBitmap().isDirty(5));
        long[] log = vm.getDirtyLog(0);
        assertEquals(1L << 5, log[0]);
        assertFalse(Stage2Descriptor.writable(vm.arch().pageTable().lookup(0x5000)), "harvesting write-protects again");
        assertEquals(AccessOutcome.DONE, store(v, 0x5010, 8));
        assertEquals(1L << 5, vm.getDirtyLog(0)[0]);
    }

    @Test
    void agedPagesTakeAnAccessFlagFaultThatMarksThemYoung() {
        Vm<Stage2Mmu> vm = f.vm();
        long hva = f.addRam(vm, 0, 0, 16 * MIB, 0, 0);
        ArmVcpu v = vm.arch().createVcpu(0, 0);
        assertEquals(AccessOutcome.DONE, store(v, 0x7000, 1));
        assertTrue(f.mm.clearYoung(hva + 0x7000, 4096));
        assertFalse(Stage2Descriptor.accessFlag(vm.arch().pageTable().lookup(0x7000)));
        assertFalse(f.mm.testYoung(hva + 0x7000));
        assertEquals(AccessOutcome.DONE, load(v, 0x7000));
        assertEquals(1, vm.arch().stats().faults(Esr.FaultKind.ACCESS_FLAG, 3));
        assertEquals(1, vm.arch().stats().madeYoung.sum());
        assertTrue(f.mm.testYoung(hva + 0x7000));
    }

    @Test
    void writesToAReadOnlySlotExitAsMmioAndReadsAreServedFromMemory() {
        Vm<Stage2Mmu> vm = f.vm();
        long hva = f.addRam(vm, 0, 0, 16 * MIB, 0, MemorySlot.READONLY);
        f.mm.write(hva + 0x100, new byte[] {0x2a}, 0, 1);
        ArmVcpu v = vm.arch().createVcpu(0, 0);
        assertEquals(AccessOutcome.DONE, v.access(0x100, Mmu.LOAD, false, AccessInfo.single(0, 3, false, true), 0));
        assertEquals(0x2a, v.x[3]);
        assertEquals(AccessOutcome.EXIT, store(v, 0x100, 0x55));
        assertTrue(mmioExit(v).isWrite());
        assertEquals(0x55, mmioExit(v).valueLittleEndian());
        long pc = v.pc;
        completeMmio(v, 0);
        assertEquals(pc + 4, v.pc, "the next run retires the store");
    }

    @Test
    void mmioLoadsAreDecodedFromTheSyndromeAndCompletedWithSignExtension() {
        Vm<Stage2Mmu> vm = f.vm();
        f.addRam(vm, 0, 0, 16 * MIB, 0, 0);
        ArmVcpu v = vm.arch().createVcpu(0, 0);
        long pc = v.pc;
        // LDRSH w5, [dev]: 2 bytes, sign-extended into a 32-bit register
        assertEquals(AccessOutcome.EXIT, v.access(0x1_0000_0010L, Mmu.LOAD, false, AccessInfo.single(1, 5, true, false), 0));
        RunExit.Mmio run = mmioExit(v);
        assertEquals(0x1_0000_0010L, run.physAddr());
        assertEquals(2, run.length());
        assertFalse(run.isWrite());
        completeMmio(v, 0xFFFE);
        assertEquals(0xFFFF_FFFEL, v.x[5], "sign-extended to 32 bits, upper half zero (SF clear)");
        assertEquals(pc + 4, v.pc);
        // LDRSB x6: sign-extended to 64 bits
        v.access(0x1_0000_0010L, Mmu.LOAD, false, AccessInfo.single(0, 6, true, true), 0);
        completeMmio(v, 0xFF);
        assertEquals(-1L, v.x[6]);
        // STRH w7 stores the low half of the register
        v.access(0x1_0000_0010L, Mmu.STORE, false, AccessInfo.single(1, 7, false, false), 0x1234_5678L);
        assertEquals(0x5678, mmioExit(v).valueLittleEndian());
        assertEquals(3, vm.arch().stats().faults(Esr.FaultKind.TRANSLATION, 1), "nothing maps the device's gigabyte: every access faults at level 1");
        assertEquals(3, vm.arch().stats().mmioExits.sum());
    }

    @Test
    void anMmioAccessWithoutSyndromeIsADistinctExit() {
        Vm<Stage2Mmu> vm = f.vm();
        ArmVcpu v = vm.arch().createVcpu(0, 0);
        assertEquals(AccessOutcome.EXIT, v.access(0x1_0000_0000L, Mmu.LOAD, false, AccessInfo.noSyndrome(3), 0));
        RunExit.ArmNisv nisv = assertInstanceOf(RunExit.ArmNisv.class, v.lastExit());
        assertEquals(0x1_0000_0000L, nisv.ipa());
        assertFalse(Esr.isv(nisv.esr()));
        long pc = v.pc, x3 = v.x[3];
        assertEquals(RunExit.Interrupted.INSTANCE, v.run());
        assertEquals(pc, v.pc, "the VMM emulates the instruction and moves the PC, not the next run");
        assertEquals(x3, v.x[3]);
    }

    @Test
    void fetchingFromOutsideMemoryInjectsAPrefetchAbort() {
        Vm<Stage2Mmu> vm = f.vm();
        ArmVcpu v = vm.arch().createVcpu(0, 0);
        assertEquals(AccessOutcome.GUEST_EXCEPTION, v.access(0x1_0000_0000L, Mmu.FETCH, false, AccessInfo.FETCH, 0));
        assertTrue(v.injected);
        assertTrue(Esr.isInstructionAbort(v.guestEsr));
        assertEquals(Esr.FaultKind.EXTERNAL, Esr.kind(v.guestEsr));
    }

    @Test
    void ioremapMapsDeviceMemoryAndNeverOverwritesPresentEntries() {
        Vm<Stage2Mmu> vm = f.vm();
        f.addRam(vm, 0, 0, 16 * MIB, 0, 0);
        ArmVcpu v = vm.arch().createVcpu(0, 0);
        long gicv = f.pm.allocate(0) << 12;
        f.pm.writeLongLE(gicv, 0x600d);
        vm.arch().ioremap(0x800_0000L, gicv, 4096);
        long d = vm.arch().pageTable().lookup(0x800_0000L);
        assertTrue(Stage2Descriptor.device(d));
        assertFalse(Stage2Descriptor.executable(d));
        assertEquals(AccessOutcome.DONE, load(v, 0x800_0000L));
        assertEquals(0x600d, v.x[1]);
        assertEquals(AccessOutcome.DONE, store(v, 0x3000, 1));
        long before = vm.arch().pageTable().lookup(0x3000);
        KvmException e = assertThrows(KvmException.class, () -> vm.arch().ioremap(0x3000, gicv, 4096));
        assertEquals(KvmException.Errno.EEXIST, e.errno());
        assertEquals(before, vm.arch().pageTable().lookup(0x3000));
        vm.destroy();
        f.pm.put(gicv >>> 12);
    }

    @Test
    void aSlotOutsideTheIpaSpaceFaultsAsAnInjectedAbortNotAHostException() {
        Vm<Stage2Mmu> vm = f.vm();
        ArmVcpu v = vm.arch().createVcpu(0, 0);
        assertEquals(AccessOutcome.EXIT, load(v, (1L << 40) + 8));
        assertInstanceOf(RunExit.Mmio.class, v.lastExit(), "beyond the IPA space there is no slot: MMIO, as KVM does");
        vm.memslots();
        assertThrows(KvmException.class, () -> vm.setUserMemoryRegion(new UserMemoryRegion(0, 0, 0, 4097, 0)));
    }
}
