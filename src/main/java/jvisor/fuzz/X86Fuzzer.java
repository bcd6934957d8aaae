package jvisor.fuzz;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import jvisor.hw.x86.X86Pte;
import jvisor.kvm.AccessOutcome;
import jvisor.kvm.RunExit;
import jvisor.kvm.lguest.GuestPhysicalMemory;
import jvisor.kvm.lguest.Hypercalls;
import jvisor.kvm.lguest.Lguest;
import jvisor.kvm.lguest.LguestCpu;
import jvisor.kvm.lguest.Switcher;
import jvisor.memory.HostAddressSpace;
import jvisor.memory.PhysicalMemory;
import jvisor.workload.GuestAction;
import jvisor.workload.Layout;
import jvisor.workload.x86.LauncherDevice;
import jvisor.workload.x86.ParavirtX86Guest;

/**
 * The x86 campaign, on lguest: guest after guest, each the workload's paravirtual kernel
 * ({@link ParavirtX86Guest}) doing random legitimate work (processes created, forked, switched and
 * ended, memory mapped, protected, unmapped and touched, the device used) on one or two vCPUs,
 * while the same vCPUs also act as a hostile guest: garbage written into its page directories
 * and tables and into random frames, loads and stores anywhere (the Switcher's addresses
 * included), page-table hypercalls with wild arguments, queued hypercalls, unknown numbers. A
 * guest that breaks the rules is killed; the fuzzer tears it down and starts the next. An
 * exception from the guest kernel's model itself (its own bookkeeping upset by the hostile side)
 * is a guest panic, counted apart; one from the hypervisor, the hardware model or the memory
 * layer is a host exception.
 */
public final class X86Fuzzer implements FuzzEngine {
    private static final int HOST_CPUS = 2;
    private static final long ROUND_OPS = 60_000;

    @Override
    public String name() {
        return "x86";
    }

    @Override
    public long defaultOps() {
        return 10_000_000;
    }

    @Override
    public void run(long ops, long seed, Tally tally) {
        PhysicalMemory phys = new PhysicalMemory(2L << 30);
        tally.watch(phys);
        long baseline = phys.framesInUse();
        Switcher switcher = new Switcher(phys, HOST_CPUS);
        HostAddressSpace launcher = new HostAddressSpace(phys);
        SplittableRandom seeds = new SplittableRandom(seed);
        int round = 0;
        while (tally.ops() < ops) {
            long roundSeed = seeds.nextLong();
            String where = String.format("x86 guest %d (round seed %d)", round, roundSeed);
            try {
                runGuest(switcher, launcher, new SplittableRandom(roundSeed), Math.min(ops - tally.ops(), ROUND_OPS), tally, where);
            } catch (Throwable t) {
                tally.hostException(where, t);
            }
            round++;
        }
        tally.count("guests", round);
        launcher.destroy();
        switcher.free();
        tally.leakedFrames(phys.framesInUse() - baseline);
    }

    private static void runGuest(Switcher switcher, HostAddressSpace launcher, SplittableRandom r, long budget, Tally tally,
                                 String where) {
        long mem = (4L + r.nextInt(29)) << 20;
        int vcpus = 1 + r.nextInt(2);
        long base = launcher.mmap(mem, 0);
        LauncherDevice device = new LauncherDevice();
        ParavirtX86Guest guest;
        Lguest lg;
        try {
            guest = new ParavirtX86Guest(new GuestPhysicalMemory(launcher, base, mem), vcpus, device);
            lg = Lguest.create(switcher, launcher, new Lguest.Config(base, mem, guest.deviceWindowPages(),
                    Layout.KERNEL_BASE, vcpus, guest.initialCr3(), r.nextLong()));
            guest.attach(lg);
        } catch (IllegalStateException e) {
            // The guest kernel did not fit in its memory, or the host had none: the launcher's error.
            tally.count("guests-not-started", 1);
            launcher.munmap(base, mem);
            return;
        }
        AtomicLong done = new AtomicLong();
        Workers workers = new Workers(tally, where);
        for (int c = 0; c < vcpus; c++) {
            int id = c;
            SplittableRandom vr = r.split();
            workers.start("x86-vcpu-" + c, () -> {
                while (done.get() < budget && !lg.dead()) {
                    int n = step(guest, lg, id, mem, vr, tally);
                    done.addAndGet(n);
                    tally.ops(n);
                }
            });
        }
        boolean joined = workers.join(60_000, () -> { });
        if (lg.dead()) tally.count("guests-killed", 1);
        if (!joined) return;
        lg.destroy();
        launcher.munmap(base, mem);
    }

    /** One thing the guest does on vCPU {@code id}; returns the operations it counted. */
    private static int step(ParavirtX86Guest guest, Lguest lg, int id, long mem, SplittableRandom r, Tally tally) {
        LguestCpu cpu = lg.cpu(id);
        int k = r.nextInt(1000);
        if (k < 700) {
            try {
                guest.perform(id, action(r));
            } catch (RuntimeException e) {
                if (!fromGuestModel(e)) throw e;
                tally.count("guest-panics", 1);
                lg.kill("guest kernel panic: " + e.getMessage());
            }
            return 1;
        }
        if (k < 900) {
            long va = switch (r.nextInt(400)) {
                case 0 -> Switcher.ADDRESS + r.nextLong(1L << 22); // kills the guest
                case 1, 2, 3 -> r.nextLong(1L << 32);
                case 4, 5, 6, 7, 8, 9 -> Layout.KERNEL_BASE + r.nextLong(mem + (64L << 20));
                default -> 0x0800_0000L + r.nextLong(1L << 20);
            };
            AccessOutcome res = r.nextBoolean() ? cpu.load(va, r.nextBoolean()) : cpu.store(va, r.nextBoolean(), r.nextInt());
            tally.count(res == AccessOutcome.DONE ? "accesses-done" : res == AccessOutcome.GUEST_EXCEPTION ? "accesses-faulted"
                    : cpu.lastExit() instanceof RunExit.Mmio ? "accesses-mmio" : "accesses-killed", 1);
            return 1;
        }
        if (k < 960) {
            // The guest scribbles on its tables without telling the host (or with a hypercall after).
            long table = r.nextInt(3) != 0 ? cpu.guestCr3() : r.nextLong(mem) & ~0xFFFL;
            long at = table + 4L * r.nextInt(1024);
            int e = entry(r, mem);
            lg.memory().writeU32LE(at, e);
            if (r.nextBoolean()) {
                long va = (at - table) / 4 << 22;
                if (r.nextBoolean()) cpu.hypercall(Hypercalls.SET_PGD, table, (at - table) / 4, 0);
                else cpu.hypercall(Hypercalls.SET_PTE, cpu.guestCr3(), va + 4096L * r.nextInt(1024), e);
            }
            return 2;
        }
        // Kept rare, as each kills the guest: unknown numbers, SET_PMD (no middle level here), bad stacks.
        boolean deadly = r.nextInt(50) == 0;
        int nr = switch (r.nextInt(10)) {
            case 0 -> Hypercalls.NEW_PGTABLE;
            case 1 -> Hypercalls.FLUSH_TLB;
            case 2 -> deadly ? Hypercalls.SET_STACK : Hypercalls.FLUSH_ASYNC;
            case 3 -> deadly ? Hypercalls.SET_PMD : Hypercalls.SET_PGD;
            case 4 -> Hypercalls.SET_PGD;
            case 5 -> Hypercalls.FLUSH_ASYNC;
            case 6 -> deadly ? r.nextInt() : Hypercalls.SET_PTE;
            default -> Hypercalls.SET_PTE;
        };
        // Another directory than the current one lacks the kernel stack, and a guest dies of that: rare.
        long a1 = r.nextInt(nr == Hypercalls.NEW_PGTABLE ? 20 : 3) != 0 ? cpu.guestCr3()
                : r.nextInt(8) == 0 ? r.nextLong() : r.nextLong(mem + (1L << 20)) & ~0xFFFL;
        long a2 = switch (nr) {
            case Hypercalls.SET_PGD -> deadly ? r.nextInt(-4, 1100) : r.nextInt(1024);
            case Hypercalls.SET_STACK -> Layout.KERNEL_BASE + r.nextLong(mem);
            default -> r.nextInt(8) == 0 ? r.nextLong() : r.nextLong(1L << 32);
        };
        long a3 = nr == Hypercalls.SET_STACK ? 1 + r.nextInt(r.nextInt(10) == 0 ? 4 : 2) : entry(r, mem);
        if (r.nextInt(3) == 0) cpu.queueHypercall(nr, a1, a2, a3);
        else cpu.hypercall(nr, a1, a2, a3);
        return 1;
    }

    /**
     * A page-table entry a guest might write: mostly one a kernel would write (a frame of its
     * memory, ordinary flags), else one past its memory or into the device window, or garbage
     * (which gets the guest killed when the host shadows it).
     */
    private static int entry(SplittableRandom r, long mem) {
        int flags = r.nextInt(8) == 0 ? r.nextInt(0x1000)
                : X86Pte.PRESENT | (r.nextBoolean() ? X86Pte.RW : 0) | (r.nextBoolean() ? X86Pte.USER : 0)
                | (r.nextBoolean() ? X86Pte.ACCESSED : 0);
        return switch (r.nextInt(16)) {
            case 0 -> X86Pte.make((mem >>> 12) + r.nextInt(64), flags);
            case 1 -> r.nextInt();
            case 2 -> 0;
            default -> X86Pte.make(r.nextLong(mem >>> 12), flags);
        };
    }

    /** A legitimate thing for the guest kernel to do, with pids and addresses in a small space so they meet. */
    private static GuestAction action(SplittableRandom r) {
        int pid = 1 + r.nextInt(6);
        long va = 0x0800_0000L + 4096L * r.nextInt(256);
        long kva = Layout.IOREMAP_BASE + 4096L * r.nextInt(64);
        return switch (r.nextInt(12)) {
            case 0 -> new GuestAction.CreateProcess(pid);
            case 1, 2 -> new GuestAction.MapAnonymous(pid, va, 1 + r.nextInt(16), r.nextBoolean(), r.nextBoolean());
            case 3 -> new GuestAction.MapPhysical(0, kva, Layout.DEVICE_GPA, 1 + r.nextInt(4), true, true);
            case 4 -> new GuestAction.Unmap(pid, va, 1 + r.nextInt(16));
            case 5 -> new GuestAction.Protect(pid, va, 1 + r.nextInt(16), r.nextBoolean());
            case 6, 7 -> new GuestAction.Switch(r.nextInt(7));
            case 8 -> new GuestAction.Fork(pid, 1 + r.nextInt(6));
            case 9 -> new GuestAction.Exit(pid);
            default -> new GuestAction.Access(r.nextBoolean() ? va : kva, 1 + r.nextInt(32), r.nextBoolean() ? 4096 : 64,
                    GuestAction.Kind.values()[r.nextInt(3)]);
        };
    }

    /** Whether an exception was thrown by the guest kernel's model (the workload), not by the host's code. */
    private static boolean fromGuestModel(Throwable e) {
        StackTraceElement[] st = e.getStackTrace();
        for (StackTraceElement f : st) {
            String c = f.getClassName();
            if (c.startsWith("jvisor.")) return c.startsWith("jvisor.workload.");
        }
        return false;
    }
}
