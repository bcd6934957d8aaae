package jvisor.workload.arm;

import java.util.List;
import jvisor.hw.arm.AccessInfo;
import jvisor.hw.arm.Mmu;
import jvisor.kvm.AccessOutcome;
import jvisor.kvm.RunExit;
import jvisor.kvm.Vm;
import jvisor.kvm.arm.ArmVcpu;
import jvisor.kvm.arm.Stage2Mmu;
import jvisor.memory.MemorySlot;
import jvisor.memory.UserMemoryRegion;
import jvisor.workload.GuestAction;
import jvisor.workload.Layout;

/**
 * One vCPU thread of the ARM guest model: carries out a stream of {@link GuestAction}s, the
 * guest kernel's part through {@link ArmGuestKernel}, the loads, stores and fetches through the
 * vCPU, MMIO exits through the device as the VMM's run loop would, and dirty-log requests as
 * the VMM's migration thread would.
 */
final class GuestCpu implements Runnable {
    private static final int LDR = AccessInfo.single(3, 1, false, true);
    private static final int STR = AccessInfo.single(3, 2, false, true);

    private final ArmSimulator.Run sim;
    private final ArmVcpu vcpu;
    private final List<GuestAction> actions;
    private int pid;
    long translations, mmioReads, mmioWrites, nisvExits, harvestedPages, harvests;
    String stopped;

    GuestCpu(ArmSimulator.Run sim, ArmVcpu vcpu, List<GuestAction> actions) {
        this.sim = sim;
        this.vcpu = vcpu;
        this.actions = actions;
    }

    @Override
    public void run() {
        try {
            for (GuestAction a : actions) perform(a);
        } catch (ArmGuestKernel.GuestPanic e) {
            stopped = e.getMessage();
        }
    }

    private void perform(GuestAction action) {
        ArmGuestKernel k = sim.kernel;
        switch (action) {
            case GuestAction.CreateProcess c -> k.createProcess(vcpu, c.pid());
            case GuestAction.MapAnonymous m -> k.mapAnonymous(vcpu, m.pid(), m.va(), m.pages(), m.writable(), m.executable());
            case GuestAction.MapPhysical m -> k.mapPhysical(vcpu, m.pid(), m.va(), m.gpa(), m.pages(), m.writable(), m.device());
            case GuestAction.Unmap u -> k.unmap(vcpu, u.pid(), u.va(), u.pages());
            case GuestAction.Protect p -> k.protect(vcpu, p.pid(), p.va(), p.pages(), p.writable());
            case GuestAction.Switch s -> {
                pid = s.pid();
                k.switchTo(vcpu, pid);
            }
            case GuestAction.Access a -> {
                for (long i = 0; i < a.count(); i++) access(a.va() + i * a.stride(), a.kind());
            }
            case GuestAction.Fork f -> k.fork(vcpu, f.parent(), f.child());
            case GuestAction.Exit e -> k.exit(vcpu, e.pid());
            case GuestAction.DirtyLog d -> dirtyLog(d.op());
        }
    }

    private void access(long va, GuestAction.Kind kind) {
        int access = switch (kind) {
            case LOAD -> Mmu.LOAD;
            case STORE -> Mmu.STORE;
            case FETCH -> Mmu.FETCH;
        };
        int info = switch (kind) {
            case LOAD -> LDR;
            case STORE -> STR;
            case FETCH -> AccessInfo.FETCH;
        };
        boolean el0 = va < Layout.KERNEL_BASE;
        for (int attempt = 0; attempt < 4; attempt++) {
            translations++;
            AccessOutcome r = vcpu.access(va, access, el0, info, va ^ 0x5A5A);
            switch (r) {
                case AccessOutcome.DONE -> {
                    return;
                }
                case AccessOutcome.GUEST_EXCEPTION -> {
                    if (vcpu.injected || !sim.kernel.handleFault(vcpu, pid, vcpu.guestEsr, vcpu.guestFar)) return;
                }
                default -> {
                    exit(vcpu.lastExit());
                    return;
                }
            }
        }
    }

    /** The VMM's side of an exit: the device answers an MMIO access, and the next run completes it. */
    private void exit(RunExit exit) {
        switch (exit) {
            case RunExit.Mmio m -> {
                if (sim.device.contains(m.physAddr())) {
                    if (m.isWrite()) {
                        mmioWrites++;
                        sim.device.write(m.physAddr(), m.length(), m.valueLittleEndian());
                    } else {
                        mmioReads++;
                        m.setValueLittleEndian(sim.device.read(m.physAddr(), m.length()));
                    }
                }
                vcpu.run();
            }
            case RunExit.ArmNisv n -> {
                nisvExits++;
                vcpu.pc += 4;
            }
            default -> throw new ArmGuestKernel.GuestPanic("vCPU " + vcpu.id() + " stopped: " + exit);
        }
    }

    private void dirtyLog(GuestAction.DirtyLog.Op op) {
        Vm<Stage2Mmu> vm = sim.vm;
        MemorySlot s = vm.memslots().byId(0);
        switch (op) {
            case ENABLE -> vm.setUserMemoryRegion(new UserMemoryRegion(0, s.flags() | MemorySlot.LOG_DIRTY_PAGES, s.baseGpa(), s.size(), s.userspaceAddr()));
            case DISABLE -> vm.setUserMemoryRegion(new UserMemoryRegion(0, s.flags() & ~MemorySlot.LOG_DIRTY_PAGES, s.baseGpa(), s.size(), s.userspaceAddr()));
            case HARVEST -> {
                harvests++;
                for (long w : vm.getDirtyLog(0)) harvestedPages += Long.bitCount(w);
            }
        }
    }
}
