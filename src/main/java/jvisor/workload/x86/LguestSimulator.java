package jvisor.workload.x86;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jvisor.hw.x86.X86Mmu;
import jvisor.kvm.lguest.GuestPhysicalMemory;
import jvisor.kvm.lguest.Hypercalls;
import jvisor.kvm.lguest.Lguest;
import jvisor.kvm.lguest.LguestCpu;
import jvisor.kvm.lguest.LguestStats;
import jvisor.kvm.lguest.Switcher;
import jvisor.memory.HostAddressSpace;
import jvisor.memory.PhysicalMemory;
import jvisor.workload.GuestAction;
import jvisor.workload.Layout;
import jvisor.workload.Scenario;
import jvisor.workload.ScenarioParams;
import jvisor.workload.SimulationReport;
import jvisor.workload.VcpuThreads;
import jvisor.workload.Simulator;

/**
 * The x86 engine of {@code jvisor simulate}: plays lguest's launcher (maps guest memory in its
 * own address space, loads the Switcher, creates the guest), runs the paravirtual guest on one
 * thread per vCPU, then tears everything down and reports what the shadow tables cost.
 */
public final class LguestSimulator implements Simulator {
    /** Lowmem a 32-bit guest can map linearly below its vmalloc and ioremap areas. */
    static final long MAX_GUEST_MEMORY = 768L << 20;

    @Override
    public String arch() {
        return "x86";
    }

    @Override
    public long maxMemoryBytes() {
        return MAX_GUEST_MEMORY;
    }

    @Override
    public SimulationReport run(Scenario scenario, ScenarioParams params) {
        SimulationReport report = new SimulationReport(String.format(
                "x86 shadow paging (lguest): %s, %d vCPU%s, %d MiB guest, seed %d", scenario.name(),
                params.vcpus(), params.vcpus() == 1 ? "" : "s", params.memBytes() >> 20, params.seed()));
        if (params.memBytes() > MAX_GUEST_MEMORY) {
            throw new IllegalArgumentException("a 32-bit lguest guest takes at most 768 MiB, not " + (params.memBytes() >> 20) + " MiB");
        }
        long hostBytes = Math.min(4L << 30, ((params.memBytes() * 2 + (256L << 20)) + (1L << 30) - 1) & -(1L << 30));
        PhysicalMemory phys = new PhysicalMemory(hostBytes);
        Switcher switcher = new Switcher(phys, params.vcpus());
        HostAddressSpace launcher = new HostAddressSpace(phys);
        long base = launcher.mmap(params.memBytes(), 0);
        LauncherDevice device = new LauncherDevice();
        ParavirtX86Guest guest = new ParavirtX86Guest(new GuestPhysicalMemory(launcher, base, params.memBytes()),
                params.vcpus(), device);
        Lguest lg = Lguest.create(switcher, launcher, new Lguest.Config(base, params.memBytes(),
                guest.deviceWindowPages(), Layout.KERNEL_BASE, params.vcpus(), guest.initialCr3(), params.seed()));
        guest.attach(lg);

        Scenario.Plan plan = scenario.plan(params);
        long started = System.nanoTime();
        for (GuestAction a : plan.setup()) if (!guest.perform(0, a)) break;
        List<Runnable> vcpus = new ArrayList<>();
        for (int i = 0; i < plan.perVcpu().size(); i++) {
            int vcpu = i;
            List<GuestAction> stream = plan.perVcpu().get(i);
            vcpus.add(() -> {
                for (GuestAction a : stream) if (!guest.perform(vcpu, a)) return;
            });
        }
        VcpuThreads.runAll(vcpus);
        long elapsed = System.nanoTime() - started;

        fill(report, lg, guest, device, plan);
        report.put("run", "wall time (ms)", elapsed / 1_000_000);

        // Teardown: the guest, then the launcher's memory, then the Switcher (module unload).
        long residentBefore = launcher.residentPages();
        lg.destroy();
        long leakedAfterGuest = phys.framesInUse() - residentBefore - switcher.frames();
        launcher.destroy();
        switcher.free();
        report.put("teardown", "host frames held by shadow tables after guest teardown", leakedAfterGuest);
        report.put("teardown", "shadow entries installed / released",
                lg.stats().shadowPtesInstalled.sum() + " / " + lg.stats().shadowPtesReleased.sum());
        report.put("teardown", "host frames in use after launcher exit", phys.framesInUse());
        return report;
    }

    private static void fill(SimulationReport r, Lguest lg, ParavirtX86Guest guest, LauncherDevice device, Scenario.Plan plan) {
        LguestStats s = lg.stats();
        ParavirtX86Guest.Counters c = guest.counters();

        long updates = c.pteWrites.sum() + c.pdeWrites.sum();
        r.put("guest", "loads / stores", c.loads.sum() + " / " + c.stores.sum());
        r.put("guest", "processes created / forks / exits", c.processesCreated.sum() + " / " + c.forks.sum() + " / " + c.exits.sum());
        r.put("guest", "context switches", c.contextSwitches.sum());
        r.put("guest", "page-table updates (PTE + PDE writes)", c.pteWrites.sum() + " + " + c.pdeWrites.sum());
        r.put("guest", "copy-on-write copies / reuses", c.cowCopies.sum() + " / " + c.cowReuses.sum());
        r.put("guest", "device accesses (launcher reads / writes)", c.deviceAccesses.sum() + " (" + device.reads() + " / " + device.writes() + ")");
        if (c.segfaults.sum() > 0) r.put("guest", "faults the guest could not fix", c.segfaults.sum());
        if (c.outOfMemory.sum() > 0) r.put("guest", "guest out of memory", c.outOfMemory.sum());
        if (c.unsupported.sum() > 0) {
            r.put("guest", "actions not supported by this engine", c.unsupported.sum()
                    + " (DirtyLog: lguest has no dirty logging)");
        }

        long total = 0;
        for (int nr : new int[] {Hypercalls.NEW_PGTABLE, Hypercalls.FLUSH_TLB, Hypercalls.SET_STACK,
                Hypercalls.SET_PTE, Hypercalls.SET_PGD, Hypercalls.FLUSH_ASYNC}) {
            r.put("hypercalls", Hypercalls.name(nr), s.hypercalls(nr));
            total += s.hypercalls(nr);
        }
        r.put("hypercalls", "total (of which from the async ring)", total + " (" + s.asyncHypercalls.sum() + ")");
        r.put("hypercalls", "traps for hypercalls", s.hypercallExits.sum());

        long hidden = s.hiddenFaults.sum();
        r.put("faults", "hidden (shadow fills)", hidden);
        r.put("faults", "  of which dirty-bit emulation", s.dirtyFaults.sum());
        r.put("faults", "delivered to the guest", s.deliveredFaults.sum());
        r.put("faults", "device exits to the launcher", s.mmioExits.sum());

        r.put("shadow tables", "table pages allocated / freed", s.ptePagesAllocated.sum() + " / " + s.ptePagesFreed.sum());
        r.put("shadow tables", "directories allocated", s.directoriesAllocated.sum());
        r.put("shadow tables", "entries prefilled by SET_PTE", s.prefilledPtes.sum());
        r.put("shadow tables", "kernel SET_PTE applications (all directories)", s.kernelPteUpdates.sum());
        r.put("shadow tables", "user flushes / full flushes", s.userFlushes.sum() + " / " + s.fullFlushes.sum());
        r.put("shadow tables", "stack pages pinned", s.stackPagesPinned.sum());

        long hits = s.directoryHits.sum(), misses = s.directoryMisses.sum();
        r.put("directory cache", "slots", lg.shadow().cacheSize());
        r.put("directory cache", "hits / misses", hits + " / " + misses);
        r.put("directory cache", "evictions", s.directoryEvictions.sum());

        long tlbMisses = 0, tlbHits = 0, reads = 0, cr3 = 0, traps = 0;
        for (LguestCpu cpu : lg.cpus()) {
            X86Mmu m = cpu.mmu();
            tlbMisses += m.tlbMisses();
            tlbHits += m.tlbHits();
            reads += m.tableReads();
            cr3 += m.cr3Loads();
            traps += cpu.hypercallExits() + cpu.pageFaultExits();
        }
        r.put("hardware", "TLB hits / misses", tlbHits + " / " + tlbMisses);
        r.put("hardware", "table reads by the walker", reads);
        r.put("hardware", "CR3 loads (one per entry into the guest)", cr3);

        long switches = c.contextSwitches.sum();
        r.put(SimulationReport.COMPARISON, "table reads per TLB miss", ratio(reads, tlbMisses));
        r.put(SimulationReport.COMPARISON, "exits per guest page-table update",
                ratio(c.updateExits.sum(), updates) + " traps (" + ratio(s.hypercalls(Hypercalls.SET_PTE)
                        + s.hypercalls(Hypercalls.SET_PGD), updates) + " hypercalls)");
        r.put(SimulationReport.COMPARISON, "hidden faults per guest page-table update", ratio(hidden, updates));
        r.put(SimulationReport.COMPARISON, "exits per context switch", ratio(c.switchExits.sum(), switches));
        long accesses = c.loads.sum() + c.stores.sum();
        r.put(SimulationReport.COMPARISON, "exits per 1000 guest accesses", ratio(1000 * traps, accesses));
        r.put(SimulationReport.COMPARISON, "TLB misses", tlbMisses);
        r.put(SimulationReport.COMPARISON, "guest page-table updates", updates);

        r.put("notes", "table reads per TLB miss",
                "a shadow miss walks one 2-level table in host memory; a nested (2-D) walk reads far more");
        r.put("notes", "exits per update",
                "every guest table write is a hypercall; lazy-MMU batching turns many into one trap");
        r.put("notes", "device", "mapped in the window just above guest memory (32-bit paging cannot reach "
                + String.format("0x%x", Layout.DEVICE_GPA) + "); every access exits to the launcher");

        List<String> kills = s.kills();
        r.put("guests killed", "count", kills.size());
        for (int i = 0; i < kills.size(); i++) r.put("guests killed", "reason " + (i + 1), kills.get(i));
    }

    private static String ratio(long a, long b) {
        return b == 0 ? "n/a" : String.format(Locale.ROOT, "%.3f", (double) a / b);
    }
}
