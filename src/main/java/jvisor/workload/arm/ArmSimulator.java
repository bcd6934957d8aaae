package jvisor.workload.arm;

import java.util.ArrayList;
import java.util.List;
import jvisor.hw.arm.Esr;
import jvisor.hw.arm.Mmu;
import jvisor.hw.arm.Tlb;
import jvisor.kvm.Kvm;
import jvisor.kvm.Vm;
import jvisor.kvm.arm.ArmVcpu;
import jvisor.kvm.arm.KvmArm;
import jvisor.kvm.arm.Stage2Mmu;
import jvisor.kvm.arm.Stage2Stats;
import jvisor.memory.HostAddressSpace;
import jvisor.memory.PageSizes;
import jvisor.memory.PhysicalMemory;
import jvisor.memory.UserMemoryRegion;
import jvisor.workload.Layout;
import jvisor.workload.Scenario;
import jvisor.workload.ScenarioParams;
import jvisor.workload.SimulationReport;
import jvisor.workload.VcpuThreads;
import jvisor.workload.Simulator;

/**
 * {@code jvisor simulate --arch arm}: one VM on KVM/ARM with guest RAM at IPA 0 (one memslot backed
 * by 2 MiB host huge pages when the size allows), a device window at {@link Layout#DEVICE_GPA}
 * with no memory behind it, the virtual GIC CPU interface ioremapped, one vCPU thread per vCPU,
 * and the ARM guest model carrying out the scenario.
 */
public final class ArmSimulator implements Simulator {
    /** Where the VM's GIC virtual CPU interface is ioremapped (outside RAM and the device window). */
    static final long GICV_IPA = Layout.DEVICE_GPA + 0x100_0000L;
    /** Guest RAM starts at IPA 0 and must end below the device window. */
    static final long MAX_GUEST_MEMORY = Layout.DEVICE_GPA;

    @Override
    public String arch() {
        return "arm";
    }

    /** Everything one simulation run owns. */
    static final class Run {
        PhysicalMemory pm;
        HostAddressSpace mm;
        KvmArm arm;
        Vm<Stage2Mmu> vm;
        ArmGuestKernel kernel;
        MmioDevice device;
    }

    @Override
    public long maxMemoryBytes() {
        return MAX_GUEST_MEMORY;
    }

    @Override
    public SimulationReport run(Scenario scenario, ScenarioParams params) {
        long mem = params.memBytes();
        if (mem > MAX_GUEST_MEMORY) {
            throw new IllegalArgumentException("guest RAM at IPA 0 must end below the device window at 0x"
                    + Long.toHexString(Layout.DEVICE_GPA) + ", not take " + (mem >> 20) + " MiB");
        }
        long hostBytes = ((mem + (1L << 30)) + (1L << 30) - 1) & -(1L << 30);
        Run r = new Run();
        r.pm = new PhysicalMemory(hostBytes);
        r.mm = new HostAddressSpace(r.pm);
        r.arm = new KvmArm(r.pm, params.vcpus(), 16);
        Kvm kvm = new Kvm(r.pm, r.mm);
        long baseline = r.pm.framesInUse();
        r.vm = kvm.createVm(r.arm.vmType());
        boolean huge = PageSizes.aligned(mem, PageSizes.SHIFT_2M);
        long hva = r.mm.mmap(mem, huge ? HostAddressSpace.MAP_HUGE_2M : 0);
        r.vm.setUserMemoryRegion(new UserMemoryRegion(0, 0, 0, mem, hva));
        long gicv = r.pm.allocate(0) << 12;
        r.vm.arch().ioremap(GICV_IPA, gicv, 4096);
        r.device = new MmioDevice(Layout.DEVICE_GPA, 16 * 4096);
        List<ArmVcpu> vcpus = new ArrayList<>();
        for (int i = 0; i < params.vcpus(); i++) vcpus.add(r.vm.arch().createVcpu(i, i));
        r.kernel = new ArmGuestKernel(vcpus.get(0), mem);
        // The kernel runs on its own root until a process is switched in.
        for (ArmVcpu v : vcpus) r.kernel.switchTo(v, 0);

        Scenario.Plan plan = scenario.plan(params);
        long t0 = System.nanoTime();
        GuestCpu setup = new GuestCpu(r, vcpus.get(0), plan.setup());
        setup.run();
        List<GuestCpu> cpus = new ArrayList<>();
        for (int i = 0; i < params.vcpus(); i++) cpus.add(new GuestCpu(r, vcpus.get(i), plan.perVcpu().get(i)));
        VcpuThreads.runAll(cpus);
        long elapsed = System.nanoTime() - t0;

        SimulationReport rep = new SimulationReport(String.format("jvisor simulate --arch arm --workload %s --vcpus %d --mem %dM",
                scenario.name(), params.vcpus(), mem >> 20));
        report(rep, r, scenario, params, setup, cpus, vcpus, elapsed, huge);

        // Teardown: the VM and the guest RAM go, and every frame must come back.
        long tablesBefore = r.vm.arch().pageTable().tablesInUse();
        r.vm.destroy();
        r.mm.munmap(hva, mem);
        r.pm.put(gicv >>> 12);
        rep.put("Teardown", "stage-2 tables in use before destroy", tablesBefore);
        rep.put("Teardown", "tables breaking the refcount invariant", r.vm.arch().brokenTablesAtDestroy());
        rep.put("Teardown", "host frames in use after destroy (baseline " + baseline + ")", r.pm.framesInUse());
        return rep;
    }

    private static void report(SimulationReport rep, Run r, Scenario scenario, ScenarioParams params, GuestCpu setup,
                               List<GuestCpu> cpus, List<ArmVcpu> vcpus, long elapsedNanos, boolean huge) {
        Stage2Mmu s2 = r.vm.arch();
        Stage2Stats st = s2.stats();
        ArmGuestKernel k = r.kernel;
        long translations = setup.translations, mmioR = 0, mmioW = 0, nisv = 0, harvested = 0, harvests = 0;
        List<String> stops = new ArrayList<>();
        if (setup.stopped != null) stops.add("setup: " + setup.stopped);
        for (GuestCpu c : cpus) {
            translations += c.translations;
            mmioR += c.mmioReads;
            mmioW += c.mmioWrites;
            nisv += c.nisvExits;
            harvested += c.harvestedPages;
            harvests += c.harvests;
            if (c.stopped != null) stops.add(c.stopped);
        }
        String g = "Guest";
        rep.put(g, "scenario", scenario.description());
        rep.put(g, "host backing", huge ? "2M huge pages" : "4K pages");
        rep.put(g, "processes alive at the end (incl. kernel)", k.processes());
        rep.put(g, "mappings made by the guest (pages or blocks)", k.pagesMapped);
        rep.put(g, "guest page-table updates", k.descriptorWrites);
        rep.put(g, "guest TLBIs issued", k.tlbis);
        rep.put(g, "copy-on-write copies / reuses", k.cowCopies + " / " + k.cowReuses);
        rep.put(g, "vCPUs stopped", stops.isEmpty() ? "none" : String.join("; ", stops));

        String f = "Stage-2 faults (to EL2)";
        for (Esr.FaultKind kind : new Esr.FaultKind[] {Esr.FaultKind.TRANSLATION, Esr.FaultKind.PERMISSION, Esr.FaultKind.ACCESS_FLAG}) {
            StringBuilder sb = new StringBuilder();
            long total = 0;
            for (int l = 0; l < 4; l++) {
                long n = st.faults(kind, l);
                total += n;
                if (n != 0) sb.append(sb.isEmpty() ? "" : ", ").append("L").append(l).append(": ").append(n);
            }
            rep.put(f, kind.name().toLowerCase().replace('_', '-'), total + (sb.isEmpty() ? "" : "  (" + sb + ")"));
        }
        rep.put(f, "on a stage-1 table walk (S1PTW)", st.s1ptwFaults.sum());
        rep.put(f, "instruction aborts", st.instructionAborts.sum());
        rep.put(f, "retries (notifier race / slot change)", st.retries.sum() + st.deletedSlotRetries.sum());
        rep.put(f, "mapped 4K / 2M / 1G", st.mapped4k.sum() + " / " + st.mapped2m.sum() + " / " + st.mapped1g.sum());
        rep.put(f, "permissions relaxed in place", st.relaxed.sum());
        rep.put(f, "made young", st.madeYoung.sum());

        String s1 = "Stage-1 faults (to the guest's EL1)";
        for (Esr.FaultKind kind : new Esr.FaultKind[] {Esr.FaultKind.TRANSLATION, Esr.FaultKind.PERMISSION, Esr.FaultKind.ACCESS_FLAG}) {
            long total = 0;
            StringBuilder sb = new StringBuilder();
            for (int l = 0; l < 4; l++) {
                long n = k.stage1Faults[kind.ordinal()][l];
                total += n;
                if (n != 0) sb.append(sb.isEmpty() ? "" : ", ").append("L").append(l).append(": ").append(n);
            }
            rep.put(s1, kind.name().toLowerCase().replace('_', '-'), total + (sb.isEmpty() ? "" : "  (" + sb + ")"));
        }
        rep.put(s1, "segmentation faults (unhandled)", k.segfaults);

        String t = "Stage-2 tables";
        rep.put(t, "allocated (incl. 2 concatenated root pages)", s2.pageTable().tablesAllocated.sum() + 2);
        rep.put(t, "freed", s2.pageTable().tablesFreed.sum());
        rep.put(t, "in use", s2.pageTable().tablesInUse());
        rep.put(t, "break-before-make", s2.pageTable().breakBeforeMake.sum());
        rep.put(t, "EL2 pages mapped (VM + vCPU state)", r.arm.hyp().pagesMapped());

        String tl = "TLB";
        long hits = 0, misses = 0, s1Reads = 0, s2Reads = 0, walks = 0;
        for (int i = 0; i < r.arm.cpuCount(); i++) {
            Tlb tlb = r.arm.cpu(i).tlb();
            Mmu mmu = r.arm.cpu(i).mmu();
            hits += tlb.hits;
            misses += tlb.misses;
            s1Reads += mmu.s1Reads;
            s2Reads += mmu.s2Reads;
            walks += mmu.walks;
        }
        rep.put(tl, "hits / misses", hits + " / " + misses);
        rep.put(tl, "table reads (stage 1 / stage 2)", s1Reads + " / " + s2Reads);
        rep.put(tl, "table reads per TLB miss", String.format("%.2f", misses == 0 ? 0.0 : (double) (s1Reads + s2Reads) / misses));
        rep.put(tl, "flushes by IPA (hypervisor)", r.arm.hyp().ipaFlushes.sum());
        rep.put(tl, "flushes by VMID (hypervisor)", r.arm.hyp().vmidFlushes.sum());
        rep.put(tl, "flushes of all VMs (hypervisor)", r.arm.hyp().allVmFlushes.sum());
        rep.put(tl, "guest TLBIs by ASID / by VA", r.arm.tlbs().byAsid.sum() + " / " + r.arm.tlbs().byVa.sum());

        String vm = "VMID";
        rep.put(vm, "bits", r.arm.vmids().bits());
        rep.put(vm, "VMID of the VM", s2.currentVmid());
        rep.put(vm, "generation", r.arm.vmids().generation());
        rep.put(vm, "rollovers", r.arm.vmids().rollovers());

        String ex = "Exits";
        long exits = 0;
        for (ArmVcpu v : vcpus) exits += v.exits;
        rep.put(ex, "stage-2 aborts handled", exits);
        rep.put(ex, "MMIO exits (reads / writes)", st.mmioExits.sum() + " (" + mmioR + " / " + mmioW + ")");
        rep.put(ex, "MMIO exits without syndrome (ARM_NISV)", st.nisvExits.sum());
        rep.put(ex, "aborts injected into the guest", st.injectedAborts.sum());
        rep.put(ex, "exits per guest page-table update", String.format("%.4f  (%d exits in %d updates: nested paging does not trap table writes)",
                k.descriptorWrites == 0 ? 0.0 : (double) k.exitsOnDescriptorWrites / k.descriptorWrites, k.exitsOnDescriptorWrites, k.descriptorWrites));

        // The same keys as the shadow-paging engine's report, so `simulate --arch all` lines them up.
        String cmp = SimulationReport.COMPARISON;
        rep.put(cmp, "table reads per TLB miss", String.format("%.3f", misses == 0 ? 0.0 : (double) (s1Reads + s2Reads) / misses));
        rep.put(cmp, "exits per guest page-table update", String.format("%.3f", k.descriptorWrites == 0 ? 0.0
                : (double) k.exitsOnDescriptorWrites / k.descriptorWrites));
        rep.put(cmp, "hidden faults per guest page-table update", "0 (no shadow tables to fill)");
        rep.put(cmp, "exits per context switch", "0 (a TTBR0/ASID write, no trap)");
        rep.put(cmp, "exits per 1000 guest accesses", String.format("%.3f", translations == 0 ? 0.0 : 1000.0 * exits / translations));
        rep.put(cmp, "TLB misses", misses);
        rep.put(cmp, "guest page-table updates", k.descriptorWrites);

        String d = "Dirty logging";
        rep.put(d, "pages dirtied (first write after arming)", st.pagesDirtied.sum());
        rep.put(d, "harvests / pages harvested", harvests + " / " + harvested);
        rep.put(d, "pages write-protected", st.writeProtected.sum());

        String sp = "Speed";
        rep.put(sp, "guest translations (loads, stores, fetches)", translations);
        rep.put(sp, "wall time", String.format("%.3f s", elapsedNanos / 1e9));
        rep.put(sp, "translations per second", String.format("%.0f", translations / (elapsedNanos / 1e9)));
    }
}
