package jvisor.fuzz;

import static jvisor.fuzz.ArmFuzzVm.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import jvisor.hw.arm.AccessInfo;
import jvisor.hw.arm.Mmu;
import jvisor.kvm.AccessOutcome;
import jvisor.kvm.Kvm;
import jvisor.kvm.arm.ArmVcpu;
import jvisor.kvm.arm.KvmArm;
import jvisor.memory.HostAddressSpace;
import jvisor.memory.MemorySlot;
import jvisor.memory.PageSizes;
import jvisor.memory.PhysicalMemory;
import jvisor.memory.UserMemoryRegion;

/**
 * The ARM campaign: a population of a few hundred small VMs on a host with two physical CPUs and
 * 8-bit VMIDs, so that running them in turn rolls the VMID generation over again and again while
 * VMs are created and destroyed. One thread per physical CPU picks a VM and runs its vCPU on that
 * CPU: loads, stores and fetches through hostile stage-1 tables (which the guest keeps rewriting),
 * accesses that abort (no memory, read-only memory, MMIO with and without a syndrome, beyond the
 * IPA space), TLB maintenance, and the oracle checks of {@link ArmFuzzVm}. This thread is the
 * host: VM churn, memslot changes under load (dirty logging switched on and off and harvested,
 * the RAM slot deleted and added back), and MMU-notifier events on the VMs' memory.
 */
public final class ArmFuzzer implements FuzzEngine {
    private static final int CPUS = 2, VMID_BITS = 8;
    private static final int MIN_VMS = 200, MAX_VMS = 300;

    @Override
    public String name() {
        return "arm";
    }

    @Override
    public long defaultOps() {
        return 10_000_000;
    }

    private final Map<Long, Integer> signatures = new ConcurrentHashMap<>();
    private volatile ArmFuzzVm[] live = new ArmFuzzVm[0];
    private final AtomicLong created = new AtomicLong();

    @Override
    public void run(long ops, long seed, Tally tally) {
        PhysicalMemory pm = new PhysicalMemory(8L << 30);
        tally.watch(pm);
        HostAddressSpace mm = new HostAddressSpace(pm);
        Kvm kvm = new Kvm(pm, mm);
        KvmArm arm = new KvmArm(pm, CPUS, VMID_BITS);
        long baseline = pm.framesInUse();
        SplittableRandom r = new SplittableRandom(seed);
        List<ArmFuzzVm> vms = new ArrayList<>();
        while (vms.size() < (MIN_VMS + MAX_VMS) / 2) vms.add(create(kvm, arm, r, tally));
        live = vms.toArray(new ArmFuzzVm[0]);

        Workers workers = new Workers(tally, "arm");
        for (int c = 0; c < CPUS; c++) {
            int cpu = c;
            SplittableRandom cr = r.split();
            workers.start("arm-cpu-" + c, () -> cpuLoop(cpu, cr, ops, tally));
        }
        while (tally.ops() < ops && !workers.allDone()) {
            try {
                host(kvm, arm, r, vms, tally);
            } catch (Throwable t) {
                tally.hostException("arm host thread", t);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000);
        }
        boolean joined = workers.join(60_000, () -> { });
        tally.count("vms", created.get());
        tally.count("vmid-rollovers", arm.vmids().rollovers());
        if (!joined) return;
        for (ArmFuzzVm v : vms) {
            if (v.vm.arch().brokenTablesAtDestroy() != 0) tally.finding("arm VM " + v.index + ": stage-2 refcounts broken");
            v.destroy();
        }
        mm.destroy();
        tally.leakedFrames(pm.framesInUse() - baseline);
    }

    private ArmFuzzVm create(Kvm kvm, KvmArm arm, SplittableRandom r, Tally tally) {
        long sig;
        do {
            sig = r.nextLong() | 1L << 62;
        } while (signatures.containsKey(sig));
        int index = (int) created.getAndIncrement();
        signatures.put(sig, index);
        ArmFuzzVm v = new ArmFuzzVm(kvm, arm, index, sig, r);
        if (!v.sign(0)) tally.finding("arm VM " + index + ": could not write its signature");
        tally.ops(1);
        return v;
    }

    // ------------------------------------------------------------------ a physical CPU

    private void cpuLoop(int cpu, SplittableRandom r, long ops, Tally tally) {
        long[] results = new long[3];
        try {
            cpuLoop(cpu, r, ops, tally, results);
        } finally {
            tally.count("accesses-done", results[AccessOutcome.DONE.ordinal()]);
            tally.count("accesses-faulted-to-guest", results[AccessOutcome.GUEST_EXCEPTION.ordinal()]);
            tally.count("accesses-exited", results[AccessOutcome.EXIT.ordinal()]);
        }
    }

    private void cpuLoop(int cpu, SplittableRandom r, long ops, Tally tally, long[] results) {
        while (tally.ops() < ops) {
            ArmFuzzVm[] vms = live;
            ArmFuzzVm v = vms[r.nextInt(vms.length)];
            if (!v.lock.readLock().tryLock()) continue;
            try {
                if (v.destroyed) continue;
                int burst = 1 + r.nextInt(40);
                for (int i = 0; i < burst; i++) op(v, cpu, r, tally, results);
                tally.ops(burst);
            } finally {
                v.lock.readLock().unlock();
            }
        }
    }

    private void op(ArmFuzzVm v, int cpu, SplittableRandom r, Tally tally, long[] results) {
        ArmVcpu vcpu = v.vcpus[cpu];
        int k = r.nextInt(100);
        if (k < 8) {
            checkSignature(v, cpu, tally);
        } else if (k < 14) {
            checkCounter(v, cpu, r, tally);
        } else if (k < 27) {
            v.writeTables(cpu, r, 1);
        } else if (k < 30) {
            v.saneTables(cpu, r, 1 + r.nextInt(16));
        } else if (k < 36) {
            long asid = (long) r.nextInt(1 << 16) << 48;
            if (r.nextBoolean()) {
                vcpu.setStage1(true, SANE_ROOT | asid, 32);
            } else {
                long root = TABLES + (r.nextLong(TABLES_END - TABLES) & ~0xFFFL);
                vcpu.setStage1(r.nextInt(6) != 0, r.nextInt(8) == 0 ? r.nextLong() : root | asid,
                        r.nextInt(8) == 0 ? r.nextInt(64) : 16 + r.nextInt(24));
            }
        } else if (k < 80) {
            int kind = switch (r.nextInt(5)) {
                case 0, 1 -> Mmu.LOAD;
                case 2, 3 -> Mmu.STORE;
                default -> Mmu.FETCH;
            };
            int info = kind == Mmu.FETCH ? AccessInfo.FETCH
                    : r.nextInt(6) == 0 ? AccessInfo.noSyndrome(r.nextInt(4))
                    : AccessInfo.single(r.nextInt(4), r.nextInt(32), r.nextBoolean(), r.nextBoolean());
            long va = switch (r.nextInt(5)) {
                case 0 -> r.nextLong(1L << 32);
                case 1 -> r.nextLong();
                case 2 -> r.nextLong(RAM * 4);
                default -> r.nextLong(RAM); // what the sane tables map
            };
            AccessOutcome res = vcpu.access(va, kind, r.nextBoolean(), info, r.nextLong());
            results[res.ordinal()]++;
            if (res == AccessOutcome.EXIT) exit(vcpu, r, tally);
        } else if (k < 88) {
            long ipa = ipa(r);
            AccessOutcome res = vcpu.accessPhysical(ipa, r.nextBoolean() ? Mmu.LOAD : Mmu.STORE,
                    AccessInfo.single(r.nextInt(4), r.nextInt(31), r.nextBoolean(), true), r.nextLong());
            if (res == AccessOutcome.EXIT) exit(vcpu, r, tally);
        } else {
            switch (r.nextInt(3)) {
                case 0 -> vcpu.tlbiAsid(r.nextInt(1 << 16));
                case 1 -> vcpu.tlbiVa(r.nextInt(1 << 16), r.nextLong(1L << 48));
                default -> vcpu.tlbiVaAllAsids(r.nextLong(1L << 48));
            }
        }
    }

    private static void exit(ArmVcpu vcpu, SplittableRandom r, Tally tally) {
        tally.count("exits-" + vcpu.lastExit().getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT), 1);
        finishExit(vcpu, r);
    }

    /** The signature page must hold this VM's signature; another VM's is an outside access. */
    private void checkSignature(ArmFuzzVm v, int cpu, Tally tally) {
        ArmVcpu vcpu = v.vcpus[cpu];
        if (vcpu.accessPhysical(ORACLE, Mmu.LOAD, LDR, 0) != AccessOutcome.DONE) {
            tally.finding("arm VM " + v.index + ": its signature page did not load: " + vcpu.lastExit());
            return;
        }
        long got = vcpu.x[1];
        tally.count("oracle-checks", 1);
        if (got == v.signature) return;
        Integer other = signatures.get(got);
        if (other != null) {
            tally.outsideAccess(String.format("arm VM %d on CPU %d read VM %d's signature (VMID %d)", v.index, cpu, other,
                    v.vm.arch().currentVmid()));
        } else {
            tally.finding(String.format("arm VM %d: signature page reads 0x%x, wrote 0x%x", v.index, got, v.signature));
        }
        v.sign(cpu);
    }

    /** This CPU's oracle page holds what this CPU stored last, whatever the host did to the page meanwhile. */
    private void checkCounter(ArmFuzzVm v, int cpu, SplittableRandom r, Tally tally) {
        ArmVcpu vcpu = v.vcpus[cpu];
        long at = ORACLE + 4096L * (1 + cpu);
        if (vcpu.accessPhysical(at, Mmu.LOAD, LDR, 0) != AccessOutcome.DONE) return;
        long got = vcpu.x[1];
        tally.count("oracle-checks", 1);
        if (got != v.counters[cpu]) {
            Integer other = signatures.get(got);
            if (other != null) tally.outsideAccess("arm VM " + v.index + " read VM " + other + "'s signature in its own page");
            else tally.finding(String.format("arm VM %d CPU %d: a store was lost: read 0x%x, stored 0x%x", v.index, cpu, got,
                    v.counters[cpu]));
        }
        long next = r.nextLong() & ~(1L << 62);
        if (vcpu.accessPhysical(at, Mmu.STORE, STR, next) == AccessOutcome.DONE) v.counters[cpu] = next;
    }

    // ------------------------------------------------------------------ the host

    private void host(Kvm kvm, KvmArm arm, SplittableRandom r, List<ArmFuzzVm> vms, Tally tally) {
        int k = r.nextInt(100);
        ArmFuzzVm v = vms.get(r.nextInt(vms.size()));
        if (k < 10) {
            // Churn: a VM goes, another comes (the population wanders between the bounds).
            boolean grow = vms.size() < MIN_VMS || (vms.size() < MAX_VMS && r.nextBoolean());
            if (!grow && v.lock.writeLock().tryLock()) {
                try {
                    vms.remove(v);
                    live = vms.toArray(new ArmFuzzVm[0]);
                    v.destroy();
                    tally.count("vms-destroyed", 1);
                } finally {
                    v.lock.writeLock().unlock();
                }
            } else if (grow) {
                vms.add(create(kvm, arm, r, tally));
                live = vms.toArray(new ArmFuzzVm[0]);
            }
            tally.ops(1);
        } else if (k < 30) {
            memslotChange(v, r, tally);
        } else {
            storm(kvm.addressSpace(), v, r, tally);
        }
    }

    /** Memslot changes while the vCPUs run: dirty logging on and off, harvests, the RAM slot out and back. */
    private static void memslotChange(ArmFuzzVm v, SplittableRandom r, Tally tally) {
        switch (r.nextInt(4)) {
            case 0 -> {
                int flags = v.ramFlags ^ MemorySlot.LOG_DIRTY_PAGES;
                v.vm.setUserMemoryRegion(new UserMemoryRegion(RAM_SLOT, flags, 0, RAM, v.ramHva));
                v.ramFlags = flags;
            }
            case 1 -> {
                if ((v.ramFlags & MemorySlot.LOG_DIRTY_PAGES) != 0) v.vm.getDirtyLog(RAM_SLOT);
            }
            case 2 -> {
                v.vm.setUserMemoryRegion(new UserMemoryRegion(RAM_SLOT, v.ramFlags, 0, 0, v.ramHva));
                v.vm.setUserMemoryRegion(new UserMemoryRegion(RAM_SLOT, v.ramFlags, 0, RAM, v.ramHva));
            }
            default -> {
                v.vm.setUserMemoryRegion(new UserMemoryRegion(READ_ONLY_SLOT, 0, READ_ONLY, 0, v.readOnlyHva));
                v.vm.setUserMemoryRegion(new UserMemoryRegion(READ_ONLY_SLOT, MemorySlot.READONLY, READ_ONLY,
                        READ_ONLY_SIZE, v.readOnlyHva));
            }
        }
        tally.count("memslot-changes", 1);
        tally.ops(1);
    }

    /** One MMU-notifier event on a VM's memory (the oracle slot's contents survive all but none of them). */
    private static void storm(HostAddressSpace mm, ArmFuzzVm v, SplittableRandom r, Tally tally) {
        boolean oracle = r.nextInt(4) == 0;
        long base = oracle ? v.oracleHva : v.ramHva, size = oracle ? ORACLE_SIZE : RAM;
        long len = Math.min(size, PageSizes.SIZE_4K << r.nextInt(6));
        long at = base + (r.nextLong(size - len + 1) & ~(PageSizes.SIZE_4K - 1));
        switch (r.nextInt(oracle ? 4 : 5)) {
            case 0 -> mm.reclaim(at, len);
            case 1 -> mm.migrate(at, Math.min(len, 8 * PageSizes.SIZE_4K));
            case 2 -> mm.clearYoung(at, len);
            case 3 -> mm.testYoung(at);
            default -> {
                if (mm.findVma(at).pageShift() == PageSizes.SHIFT_4K) {
                    mm.munmap(at, len);
                    mm.mmapFixed(at, len, 0);
                }
            }
        }
        tally.count("notifier-events", 1);
        tally.ops(1);
    }
}
