package jvisor.kvm.arm;

import static jvisor.kvm.arm.ArmVmFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import jvisor.hw.arm.Abort;
import jvisor.hw.arm.Descriptor;
import jvisor.hw.arm.Esr;
import jvisor.hw.arm.Hpfar;
import jvisor.hw.arm.Mmu;
import jvisor.hw.arm.Stage1Descriptor;
import jvisor.kvm.AccessOutcome;
import jvisor.kvm.Vm;
import jvisor.memory.MemorySlot;
import org.junit.jupiter.api.Test;

class HostileGuestTablesTest {
    private static final long RAM = 16 * MIB;
    private static final long ROOT = 0x1000, L2 = 0x2000, L3 = 0x3000, DATA = 0x10_0000;

    private final ArmVmFixture f = new ArmVmFixture(1, 16);
    private final Vm<Stage2Mmu> vm = f.vm();
    private final ArmVcpu v;

    HostileGuestTablesTest() {
        f.addRam(vm, 0, 0, RAM, 0, 0);
        v = vm.arch().createVcpu(0, 0);
    }

    private void put(long ipa, long desc) {
        assertEquals(AccessOutcome.DONE, v.accessPhysical(ipa, Mmu.STORE, STR_X2, desc));
    }

    /** A sane walk for VA 0: root -> L2 -> L3 -> DATA, with T0SZ 32. */
    private void saneTables() {
        put(ROOT, Descriptor.table(L2));
        put(L2, Descriptor.table(L3));
        put(L3, Stage1Descriptor.leaf(DATA, 3, 0, false, true, false, true));
        v.setStage1(true, ROOT, 32);
    }

    private AccessOutcome access(long va) {
        AccessOutcome r = v.access(va, Mmu.LOAD, false, LDR_X1, 0);
        assertNotEquals(AccessOutcome.EXIT, r, () -> "unexpected exit " + v.lastExit());
        return r;
    }

    @Test
    void aSaneWalkTranslatesThroughBothStages() {
        saneTables();
        put(DATA + 8, 0x77);
        assertEquals(AccessOutcome.DONE, access(8));
        assertEquals(0x77, v.x[1]);
    }

    @Test
    void aTablePointerOutsideGuestMemoryIsAStage2FaultOnTheWalkAndAnInjectedAbort() {
        saneTables();
        long outside = 0x80_0000_0000L; // inside the 40-bit IPA space, no memslot
        put(L2, Descriptor.table(outside));
        Abort a = new Abort();
        assertEquals(-1, v.cpu().mmu().translate(0x123, Mmu.LOAD, false, LDR_X1, a));
        assertTrue(a.toEl2);
        assertTrue(Esr.s1ptw(a.esr), "the fault happened on a stage-1 table read");
        assertFalse(Esr.isv(a.esr), "no instruction syndrome for a walk fault");
        assertEquals(outside, Hpfar.ipa(a.hpfar), "HPFAR holds the table's IPA");
        assertEquals(0x123, a.far, "FAR holds the virtual address");
        assertEquals(Esr.FaultKind.TRANSLATION, Esr.kind(a.esr));
        assertEquals(AccessOutcome.GUEST_EXCEPTION, access(0x123));
        assertTrue(v.injected);
        assertEquals(Esr.FaultKind.EXTERNAL, Esr.kind(v.guestEsr));
        assertEquals(1, vm.arch().stats().s1ptwFaults.sum(), "counted once by the hypervisor");
    }

    @Test
    void aTablePointerBeyondTheIpaSpaceIsAnAddressSizeFault() {
        saneTables();
        put(L2, Descriptor.table(1L << 45));
        assertEquals(AccessOutcome.GUEST_EXCEPTION, access(0));
        assertFalse(v.injected);
        assertEquals(Esr.FaultKind.ADDRESS_SIZE, Esr.kind(v.guestEsr));
        assertEquals(2, Esr.level(v.guestEsr));
    }

    @Test
    void reservedBitsAndReservedDescriptorTypesAreArchitectedFaults() {
        saneTables();
        put(L3, Stage1Descriptor.leaf(DATA, 3, 0, false, true, false, true) | (1L << 49));
        assertEquals(AccessOutcome.GUEST_EXCEPTION, access(0));
        assertEquals(Esr.FaultKind.ADDRESS_SIZE, Esr.kind(v.guestEsr));
        assertEquals(3, Esr.level(v.guestEsr));
        // Type 0b01 at level 3 is reserved.
        put(L3, DATA | Descriptor.VALID);
        assertEquals(AccessOutcome.GUEST_EXCEPTION, access(0));
        assertEquals(Esr.FaultKind.TRANSLATION, Esr.kind(v.guestEsr));
        assertEquals(3, Esr.level(v.guestEsr));
        // A block at level 0 does not exist with 4K pages (48-bit VAs start at level 0).
        put(ROOT, DATA | Descriptor.VALID);
        v.setStage1(true, ROOT, 16);
        assertEquals(AccessOutcome.GUEST_EXCEPTION, access(0));
        assertEquals(Esr.FaultKind.TRANSLATION, Esr.kind(v.guestEsr));
        assertEquals(0, Esr.level(v.guestEsr));
    }

    @Test
    void aTableThatPointsAtItselfEndsWithinFourLevels() {
        put(ROOT, Descriptor.table(ROOT));
        v.setStage1(true, ROOT, 32);
        // The loop is walked as root -> root -> root: the last read is a table entry at level 3,
        // which is a page descriptor there, mapping the root table's own page.
        AccessOutcome r = access(0);
        assertTrue(r == AccessOutcome.DONE || r == AccessOutcome.GUEST_EXCEPTION);
        put(ROOT, Descriptor.table(ROOT) & ~Descriptor.TYPE | Descriptor.VALID);
        assertEquals(AccessOutcome.GUEST_EXCEPTION, access(0), "a block at level 1 without the access flag");
    }

    @Test
    void randomGarbageTablesNeverThrowNorReachOutsideGuestMemory() {
        Random rnd = new Random(42);
        Set<Long> guestFrames = new HashSet<>();
        MemorySlot slot = vm.memslots().byId(0);
        for (int round = 0; round < 40; round++) {
            for (long t = ROOT; t < ROOT + 8 * 4096; t += 8) {
                long d = switch (rnd.nextInt(4)) {
                    case 0 -> rnd.nextLong();
                    case 1 -> Descriptor.table((rnd.nextLong(RAM * 2)) & ~0xFFFL);
                    case 2 -> Descriptor.table(ROOT + 4096L * rnd.nextInt(8));
                    default -> Stage1Descriptor.leaf(rnd.nextLong(RAM * 2) & ~0xFFFL, 3, 0, rnd.nextBoolean(), true, true, true);
                };
                put(t, d);
            }
            v.setStage1(true, ROOT + 4096L * rnd.nextInt(8), rnd.nextBoolean() ? 32 : 16 + rnd.nextInt(20));
            for (int i = 0; i < 200; i++) {
                long va = rnd.nextLong(1L << 32);
                Abort a = new Abort();
                long pa = v.cpu().mmu().translate(va, Mmu.LOAD, rnd.nextBoolean(), LDR_X1, a);
                if (pa >= 0) guestFrames.add(pa >>> 12);
                AccessOutcome r = v.access(va, Mmu.LOAD, false, LDR_X1, 0);
                if (r == AccessOutcome.EXIT) {
                    completeMmio(v, 0);
                }
            }
        }
        // Every host frame a guest access reached backs guest RAM.
        Set<Long> ram = new HashSet<>();
        for (long off = 0; off < RAM; off += 4096) {
            long pte = f.mm.lookupPte(slot.userspaceAddr() + off);
            if (jvisor.memory.HostPte.present(pte)) ram.add(jvisor.memory.HostPte.pfn(pte));
        }
        assertFalse(guestFrames.isEmpty());
        assertTrue(ram.containsAll(guestFrames), "an access reached a frame outside guest memory");
    }
}
