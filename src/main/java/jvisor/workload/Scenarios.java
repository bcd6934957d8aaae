package jvisor.workload;

import static jvisor.workload.GuestAction.Kind.FETCH;
import static jvisor.workload.GuestAction.Kind.LOAD;
import static jvisor.workload.GuestAction.Kind.STORE;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jvisor.workload.GuestAction.Access;
import jvisor.workload.GuestAction.CreateProcess;
import jvisor.workload.GuestAction.DirtyLog;
import jvisor.workload.GuestAction.Exit;
import jvisor.workload.GuestAction.Fork;
import jvisor.workload.GuestAction.MapAnonymous;
import jvisor.workload.GuestAction.MapPhysical;
import jvisor.workload.GuestAction.Switch;
import jvisor.workload.GuestAction.Unmap;

/**
 * The named scenarios. Guest models keep their page tables in the first quarter of guest RAM and
 * hand anonymous pages out of the rest, so a scenario that stores through the linear map writes
 * only the upper half, where no table lives.
 */
public final class Scenarios {
    private Scenarios() {}

    private static final long PAGE = Layout.PAGE;
    private static final long MAX_LINEAR = Layout.IOREMAP_BASE - Layout.KERNEL_BASE;

    private static final Map<String, Scenario> ALL = new LinkedHashMap<>();

    static {
        add(new Scenario("boot-linear-map",
                "the kernel maps all RAM linearly, then every vCPU clears and reads back its share of free memory",
                Scenarios::bootLinearMap));
        add(new Scenario("large-array",
                "each vCPU runs a process that fills a large array page by page, then reads it back in cache-line strides",
                Scenarios::largeArray));
        add(new Scenario("fork-exit",
                "each vCPU runs a shell-like parent that forks children which run, write a little and exit, 20 times",
                Scenarios::forkExit));
        add(new Scenario("device-mmio",
                "a driver maps a device's registers (ioremap) and every vCPU polls and writes them",
                Scenarios::deviceMmio));
        add(new Scenario("dirty-log",
                "processes keep writing while the VMM logs dirty pages and harvests the log, as live migration does",
                Scenarios::dirtyLog));
        add(new Scenario("kernel-map-change",
                "the kernel maps and unmaps vmalloc-style pages while vCPUs switch between processes that all see them",
                Scenarios::kernelMapChange));
    }

    private static void add(Scenario s) {
        ALL.put(s.name(), s);
    }

    public static List<Scenario> all() {
        return List.copyOf(ALL.values());
    }

    /** The scenario of that name, or null. */
    public static Scenario byName(String name) {
        return ALL.get(name);
    }

    private static List<List<GuestAction>> perVcpu(ScenarioParams p) {
        List<List<GuestAction>> l = new ArrayList<>();
        for (int i = 0; i < p.vcpus(); i++) l.add(new ArrayList<>());
        return l;
    }

    private static Scenario.Plan bootLinearMap(ScenarioParams p) {
        long pages = Math.min(p.memPages(), MAX_LINEAR / PAGE);
        List<GuestAction> setup = List.of(new MapPhysical(0, Layout.KERNEL_BASE, 0, pages, true, false));
        List<List<GuestAction>> v = perVcpu(p);
        long free = pages / 2;
        long share = (pages - free) / p.vcpus();
        for (int i = 0; i < p.vcpus(); i++) {
            long va = Layout.KERNEL_BASE + (free + i * share) * PAGE;
            v.get(i).add(new Access(va, share, PAGE, STORE));
            v.get(i).add(new Access(va, share, PAGE, LOAD));
        }
        return new Scenario.Plan(setup, v);
    }

    private static Scenario.Plan largeArray(ScenarioParams p) {
        long pages = Math.max(16, Math.min(16384, p.memPages() / 4 / p.vcpus()));
        List<GuestAction> setup = new ArrayList<>();
        List<List<GuestAction>> v = perVcpu(p);
        for (int i = 0; i < p.vcpus(); i++) {
            int pid = i + 1;
            setup.add(new CreateProcess(pid));
            List<GuestAction> s = v.get(i);
            s.add(new Switch(pid));
            s.add(new MapAnonymous(pid, 0x1000_0000L, pages, true, false));
            s.add(new Access(0x1000_0000L, pages, PAGE, STORE));
            s.add(new Access(0x1000_0000L, Math.min(pages, 256) * (PAGE / 64), 64, LOAD));
            s.add(new Access(0x1000_0000L, pages, PAGE, LOAD));
        }
        return new Scenario.Plan(setup, v);
    }

    private static Scenario.Plan forkExit(ScenarioParams p) {
        List<GuestAction> setup = new ArrayList<>();
        List<List<GuestAction>> v = perVcpu(p);
        long text = 0x0040_0000L, data = 0x1000_0000L, stack = 0x7000_0000L;
        for (int i = 0; i < p.vcpus(); i++) {
            int parent = 1000 * (i + 1);
            setup.add(new CreateProcess(parent));
            List<GuestAction> s = v.get(i);
            s.add(new Switch(parent));
            s.add(new MapAnonymous(parent, text, 8, false, true));
            s.add(new MapAnonymous(parent, data, 32, true, false));
            s.add(new MapAnonymous(parent, stack, 4, true, false));
            s.add(new Access(text, 8, PAGE, FETCH));
            s.add(new Access(data, 32, PAGE, STORE));
            for (int k = 1; k <= 20; k++) {
                int child = parent + k;
                s.add(new Fork(parent, child));
                s.add(new Switch(child));
                s.add(new Access(text, 8, PAGE, FETCH));
                s.add(new Access(stack, 4, PAGE, STORE));
                s.add(new Access(data, 32, PAGE, LOAD));
                s.add(new Access(data + PAGE * (k % 32), 1, PAGE, STORE));
                s.add(new Exit(child));
                s.add(new Switch(parent));
                s.add(new Access(data, 4, PAGE, STORE));
            }
        }
        return new Scenario.Plan(setup, v);
    }

    private static Scenario.Plan deviceMmio(ScenarioParams p) {
        List<GuestAction> setup = List.of(new MapPhysical(0, Layout.IOREMAP_BASE, Layout.DEVICE_GPA, 4, true, true));
        List<List<GuestAction>> v = perVcpu(p);
        for (int i = 0; i < p.vcpus(); i++) {
            for (int k = 0; k < 16; k++) {
                v.get(i).add(new Access(Layout.IOREMAP_BASE + 8L * i, 4, 0x1000, STORE));
                v.get(i).add(new Access(Layout.IOREMAP_BASE + 8L * i, 4, 0x1000, LOAD));
            }
        }
        return new Scenario.Plan(setup, v);
    }

    private static Scenario.Plan dirtyLog(ScenarioParams p) {
        long pages = Math.max(16, Math.min(4096, p.memPages() / 4 / p.vcpus()));
        List<GuestAction> setup = new ArrayList<>();
        List<List<GuestAction>> v = perVcpu(p);
        for (int i = 0; i < p.vcpus(); i++) {
            setup.add(new CreateProcess(i + 1));
        }
        setup.add(new DirtyLog(DirtyLog.Op.ENABLE));
        for (int i = 0; i < p.vcpus(); i++) {
            List<GuestAction> s = v.get(i);
            s.add(new Switch(i + 1));
            s.add(new MapAnonymous(i + 1, 0x1000_0000L, pages, true, false));
            for (int round = 0; round < 8; round++) {
                long first = (round * 37L) % pages;
                s.add(new Access(0x1000_0000L + first * PAGE, Math.min(pages - first, pages / 8 + 1), PAGE, STORE));
                if (i == 0) s.add(new DirtyLog(DirtyLog.Op.HARVEST));
            }
            if (i == 0) s.add(new DirtyLog(DirtyLog.Op.DISABLE));
        }
        return new Scenario.Plan(setup, v);
    }

    private static Scenario.Plan kernelMapChange(ScenarioParams p) {
        List<GuestAction> setup = new ArrayList<>();
        for (int pid = 1; pid <= 4; pid++) setup.add(new CreateProcess(pid));
        List<List<GuestAction>> v = perVcpu(p);
        long vmalloc = Layout.IOREMAP_BASE - 0x0800_0000L;
        for (int i = 0; i < p.vcpus(); i++) {
            List<GuestAction> s = v.get(i);
            long va = vmalloc + i * 0x0010_0000L;
            for (int round = 0; round < 10; round++) {
                s.add(new MapAnonymous(0, va, 8, true, false));
                for (int pid = 1; pid <= 4; pid++) {
                    s.add(new Switch(pid));
                    s.add(new Access(va, 8, PAGE, pid == 1 ? STORE : LOAD));
                }
                s.add(new Unmap(0, va, 8));
            }
        }
        return new Scenario.Plan(setup, v);
    }
}
