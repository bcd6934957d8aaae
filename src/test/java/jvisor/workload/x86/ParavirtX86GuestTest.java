package jvisor.workload.x86;

import static jvisor.workload.GuestAction.Kind.LOAD;
import static jvisor.workload.GuestAction.Kind.STORE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jvisor.kvm.AccessOutcome;
import jvisor.kvm.lguest.GuestPhysicalMemory;
import jvisor.kvm.lguest.Hypercalls;
import jvisor.kvm.lguest.Lguest;
import jvisor.kvm.lguest.Switcher;
import jvisor.memory.HostAddressSpace;
import jvisor.memory.PhysicalMemory;
import jvisor.workload.GuestAction;
import jvisor.workload.Layout;
import org.junit.jupiter.api.Test;

class ParavirtX86GuestTest {
    private static final long MEM = 32L << 20, DATA = 0x1000_0000L;
    private final PhysicalMemory phys = new PhysicalMemory(1L << 30);
    private final Switcher switcher = new Switcher(phys, 1);
    private final HostAddressSpace launcher = new HostAddressSpace(phys);
    private final long base = launcher.mmap(MEM, 0);
    private final ParavirtX86Guest guest = new ParavirtX86Guest(new GuestPhysicalMemory(launcher, base, MEM), 1, new LauncherDevice());
    private final Lguest lg = Lguest.create(switcher, launcher,
            new Lguest.Config(base, MEM, guest.deviceWindowPages(), Layout.KERNEL_BASE, 1, guest.initialCr3(), 1));

    ParavirtX86GuestTest() {
        guest.attach(lg);
    }

    private void run(GuestAction... actions) {
        for (GuestAction a : actions) assertTrue(guest.perform(0, a), () -> "killed: " + lg.deathReason());
    }

    private int load(long va) {
        assertEquals(AccessOutcome.DONE, lg.cpu(0).load(va, va < Layout.KERNEL_BASE));
        return lg.cpu(0).loaded();
    }

    @Test
    void eachProcessSeesItsOwnPagesAtTheSameAddress() {
        run(new GuestAction.CreateProcess(1), new GuestAction.CreateProcess(2),
                new GuestAction.Switch(1), new GuestAction.MapAnonymous(1, DATA, 1, true, false),
                new GuestAction.Access(DATA, 1, 4096, STORE),
                new GuestAction.Switch(2), new GuestAction.MapAnonymous(2, DATA, 1, true, false),
                new GuestAction.Access(DATA, 1, 4096, STORE));
        int two = load(DATA);
        run(new GuestAction.Switch(1));
        int one = load(DATA);
        assertEquals((int) DATA ^ (1 << 20), one);
        assertEquals((int) DATA ^ (2 << 20), two);
    }

    @Test
    void forkSharesPagesUntilAWriteCopiesThem() {
        run(new GuestAction.CreateProcess(1), new GuestAction.Switch(1),
                new GuestAction.MapAnonymous(1, DATA, 2, true, false),
                new GuestAction.Access(DATA, 2, 4096, STORE),
                new GuestAction.Fork(1, 2), new GuestAction.Switch(2),
                new GuestAction.Access(DATA, 2, 4096, LOAD));
        assertEquals((int) DATA ^ (1 << 20), load(DATA), "the child reads the parent's data");
        long delivered = lg.stats().deliveredFaults.sum();
        run(new GuestAction.Access(DATA, 1, 4096, STORE));
        assertEquals(delivered + 1, lg.stats().deliveredFaults.sum(), "the write reached the guest's COW handler");
        assertEquals(1, guest.counters().cowCopies.sum());
        assertEquals((int) DATA ^ (2 << 20), load(DATA));
        run(new GuestAction.Exit(2), new GuestAction.Switch(1));
        assertEquals((int) DATA ^ (1 << 20), load(DATA), "the parent kept its own copy");
        run(new GuestAction.Access(DATA + 4096, 1, 4096, STORE));
        assertEquals(1, guest.counters().cowReuses.sum(), "sole owner again: made writable without a copy");
        assertNull(lg.deathReason());
    }

    @Test
    void kernelMappingsAreVisibleFromEveryProcess() {
        long vmalloc = 0xE000_0000L;
        run(new GuestAction.CreateProcess(1), new GuestAction.CreateProcess(2),
                new GuestAction.MapAnonymous(0, vmalloc, 1, true, false),
                new GuestAction.Switch(1), new GuestAction.Access(vmalloc, 1, 4096, STORE),
                new GuestAction.Switch(2));
        assertEquals((int) vmalloc ^ (1 << 20), load(vmalloc));
        run(new GuestAction.Unmap(0, vmalloc, 1));
        assertEquals(AccessOutcome.GUEST_EXCEPTION, lg.cpu(0).load(vmalloc, false));
    }

    @Test
    void aContextSwitchIsOneTrapForTwoHypercalls() {
        run(new GuestAction.CreateProcess(1));
        long exits = lg.stats().hypercallExits.sum();
        run(new GuestAction.Switch(1));
        assertEquals(exits + 1, lg.stats().hypercallExits.sum());
        assertEquals(1, lg.stats().hypercalls(Hypercalls.NEW_PGTABLE));
        assertEquals(2, lg.stats().hypercalls(Hypercalls.SET_STACK), "one at boot, one for the switch");
    }

    @Test
    void exitingGivesEveryShadowReferenceBack() {
        run(new GuestAction.CreateProcess(1), new GuestAction.Switch(1),
                new GuestAction.MapAnonymous(1, DATA, 64, true, false),
                new GuestAction.Access(DATA, 64, 4096, STORE),
                new GuestAction.Exit(1), new GuestAction.Switch(0));
        for (int i = 0; i < lg.shadow().cacheSize(); i++) {
            for (long va = DATA; va < DATA + 64 * 4096; va += 4096) assertEquals(0, lg.shadow().tableEntry(i, va));
        }
        lg.destroy();
        assertEquals(lg.stats().shadowPtesInstalled.sum(), lg.stats().shadowPtesReleased.sum());
        launcher.destroy();
        switcher.free();
        assertEquals(0, phys.framesInUse());
    }
}
