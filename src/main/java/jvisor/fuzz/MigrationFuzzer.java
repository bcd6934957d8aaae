package jvisor.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import jvisor.hw.power.ProcessTableEntry;
import jvisor.hw.power.RadixEntry;
import jvisor.hw.power.RadixTreeBuilder;
import jvisor.hw.power.Msr;
import jvisor.hw.power.cpu.Spr;
import jvisor.kvm.Kvm;
import jvisor.kvm.Vm;
import jvisor.kvm.power.PartitionScopedMmu;
import jvisor.kvm.power.PowerVcpu;
import jvisor.memory.HostAddressSpace;
import jvisor.memory.MemorySlot;
import jvisor.memory.PageSizes;
import jvisor.memory.UserMemoryRegion;

/**
 * Randomized pre-copy live migration of POWER guests over the dirty log, each checked byte for
 * byte, as KVM's dirty_log_test checks its guest. Per migration: a VM of 4 to 16 MiB (4K or 2M
 * host pages) with dirty logging, one or two vCPUs running {@link MigrationWriter} loops (with
 * translation off, or on through a guest radix tree whose R and C bits the hardware sets), the
 * VMM writing guest memory too now and then (as a device would), and the host reclaiming,
 * migrating and aging the guest's pages meanwhile. The migration copies all of memory, then
 * one to seven rounds of what the log names, harvested at random points (at once, after a
 * random amount of guest work, or twice back to back), stops the vCPUs, copies the last dirty
 * pages and compares the copy with the source. One operation is one migration.
 */
public final class MigrationFuzzer implements FuzzEngine {
    private static final long CODE = 0x10000, TABLES = 0x100000, TABLES_END = 0x200000, DATA = 0x200000;
    private static final long PROCESS_TABLE = TABLES;
    private static final int PID = 1;

    /** Leaves out the stop-and-copy harvest: a broken migration, for the test that the check can fail. */
    private final boolean skipLastHarvest;

    public MigrationFuzzer() {
        this(false);
    }

    MigrationFuzzer(boolean skipLastHarvest) {
        this.skipLastHarvest = skipLastHarvest;
    }

    @Override
    public String name() {
        return "migrate";
    }

    @Override
    public long defaultOps() {
        return 1000;
    }

    @Override
    public void run(long migrations, long seed, Tally tally) {
        PowerFuzzHost host = new PowerFuzzHost(tally);
        Kvm kvm = host.kvm;
        SplittableRandom seeds = new SplittableRandom(seed);
        for (long m = 0; m < migrations; m++) {
            long s = seeds.nextLong();
            String where = String.format("migration %d (seed %d)", m, s);
            try {
                boolean same = migrate(kvm, new SplittableRandom(s), tally, where);
                tally.count("verified", same ? 1 : 0);
                tally.count("mismatched", same ? 0 : 1);
            } catch (Throwable t) {
                tally.hostException(where, t);
            }
            tally.ops(1);
        }
        host.close();
    }

    /** One migration; false if the copy differs from the source. */
    private boolean migrate(Kvm kvm, SplittableRandom r, Tally tally, String where) throws InterruptedException {
        HostAddressSpace mm = kvm.addressSpace();
        long size = (4L << r.nextInt(3)) << 20;
        boolean huge = r.nextInt(4) == 0;
        Vm<PartitionScopedMmu> vm = kvm.createVm(PartitionScopedMmu.HV_RADIX);
        long hva = mm.mmap(size, huge ? HostAddressSpace.MAP_HUGE_2M : 0);
        vm.setUserMemoryRegion(new UserMemoryRegion(0, MemorySlot.LOG_DIRTY_PAGES, 0, size, hva));
        boolean translate = r.nextBoolean();
        byte[] vectors = PowerVectors.bytes(PowerVectors.words(), false);
        vm.guestMemory().write(0, vectors, 0, vectors.length);
        if (translate) buildTree(vm, r, size);

        int maxBits = 63 - Long.numberOfLeadingZeros((size - DATA) / 4096 - 1);
        List<PowerVcpu> vcpus = new ArrayList<>();
        int n = 1 + r.nextInt(2);
        for (int i = 0; i < n; i++) {
            int[] loop = MigrationWriter.program(r, 1 + r.nextInt(maxBits));
            byte[] code = PowerVectors.bytes(loop, false);
            vm.guestMemory().write(CODE + 0x1000L * i, code, 0, code.length);
            PowerVcpu v = PowerVcpu.create(vm, i);
            v.start(CODE + 0x1000L * i, 0, Msr.SF | Msr.ME | (translate ? Msr.DR : 0));
            v.core().setGpr(4, DATA);
            v.core().setGpr(5, r.nextLong());
            if (translate) v.core().writeSpr(Spr.PIDR, PID);
            vcpus.add(v);
        }

        AtomicBoolean stop = new AtomicBoolean(), stopHost = new AtomicBoolean();
        Workers workers = new Workers(tally, where);
        for (PowerVcpu v : vcpus) {
            workers.start("migrate-vcpu-" + v.id(), () -> {
                while (!stop.get()) {
                    v.setRunLimit(20_000);
                    v.run();
                }
            });
        }
        SplittableRandom hr = r.split();
        long[] events = new long[1];
        workers.start("migrate-host", () -> {
            while (!stopHost.get()) {
                long len = PageSizes.SIZE_4K << hr.nextInt(5);
                long at = hva + (hr.nextLong(size - len) & ~(PageSizes.SIZE_4K - 1));
                switch (hr.nextInt(4)) {
                    case 0 -> mm.reclaim(at, len);
                    case 1 -> mm.migrate(at, Math.min(len, 4 * PageSizes.SIZE_4K));
                    case 2 -> mm.clearYoung(at, len);
                    default -> mm.testYoung(at);
                }
                events[0]++;
                // Often enough to land inside faults and harvests, not so often that every fault retries.
                java.util.concurrent.locks.LockSupport.parkNanos(200_000 + hr.nextInt(800_000));
            }
        });

        byte[] target = new byte[(int) size];
        vm.getDirtyLog(0);
        vm.guestMemory().read(0, target, 0, target.length);
        long copied = size / 4096;
        int rounds = 1 + r.nextInt(7);
        for (int round = 0; round < rounds; round++) {
            // The guest always gets to write in the first round; later rounds harvest at random points.
            switch (round == 0 ? 2 : r.nextInt(4)) {
                case 0 -> { }                                   // harvest at once
                case 1 -> copied += copyDirty(vm, target);      // twice back to back
                default -> awaitGuest(vcpus, 2_000 + r.nextInt(100_000));
            }
            if (r.nextInt(3) == 0) hostWrite(vm, r, size);
            copied += copyDirty(vm, target);
        }
        stop.set(true);
        for (PowerVcpu v : vcpus) v.kick();
        if (r.nextBoolean()) hostWrite(vm, r, size);          // the VMM's last writes, after the guest stopped
        // Stop-and-copy: the vCPUs are out (the host keeps going until the copy is done).
        while (!vcpusStopped(workers, vcpus)) {
            for (PowerVcpu v : vcpus) v.kick();
            Thread.sleep(0, 100_000);
        }
        if (!skipLastHarvest) copied += copyDirty(vm, target);
        stopHost.set(true);
        // A hang is reported by the workers as a host exception; the VM is left as it is.
        if (!workers.join(30_000, () -> vcpus.forEach(PowerVcpu::kick))) return true;

        byte[] source = new byte[(int) size];
        vm.guestMemory().read(0, source, 0, source.length);
        long instructions = 0;
        for (PowerVcpu v : vcpus) instructions += v.core().instructions();
        boolean same = java.util.Arrays.equals(source, target);
        if (!same) {
            int i = java.util.Arrays.mismatch(source, target);
            tally.finding(String.format("%s: byte 0x%x (page %d) differs after the migration (%s, %s): the dirty log missed a write",
                    where, i, i / 4096, huge ? "2M host pages" : "4K host pages", translate ? "translation on" : "real mode"));
        }
        tally.count("rounds", rounds + 1L);
        tally.count("pages-copied", copied);
        tally.count("guest-instructions", instructions);
        tally.count("notifier-events", events[0]);
        for (PowerVcpu v : vcpus) v.destroy();
        vm.destroy();
        mm.munmap(hva, size);
        return same;
    }

    /** Whether every vCPU thread has left its loop (the last run returned); the host thread may still run. */
    private static boolean vcpusStopped(Workers workers, List<PowerVcpu> vcpus) {
        return workers.finished() >= vcpus.size();
    }

    /** Waits until the vCPUs together ran {@code instructions} more (or 200 ms passed: a loaded machine). */
    private static void awaitGuest(List<PowerVcpu> vcpus, long instructions) {
        long start = 0;
        for (PowerVcpu v : vcpus) start += v.core().instructions();
        long deadline = System.nanoTime() + 200_000_000L;
        while (System.nanoTime() < deadline) {
            long now = 0;
            for (PowerVcpu v : vcpus) now += v.core().instructions();
            if (now - start >= instructions) return;
            java.util.concurrent.locks.LockSupport.parkNanos(20_000); // the cores are the vCPUs'
        }
    }

    /** A write by the VMM into guest memory (a device's DMA): it must be in the log too. */
    private static void hostWrite(Vm<PartitionScopedMmu> vm, SplittableRandom r, long size) {
        byte[] b = new byte[1 + r.nextInt(64)];
        r.nextBytes(b);
        vm.guestMemory().write(DATA + r.nextLong(size - DATA - b.length), b, 0, b.length);
    }

    /** Harvests the dirty log and copies the pages it names; returns how many. */
    private static long copyDirty(Vm<PartitionScopedMmu> vm, byte[] target) {
        long[] log = vm.getDirtyLog(0);
        long n = 0;
        for (int w = 0; w < log.length; w++) {
            for (long bits = log[w]; bits != 0; bits &= bits - 1) {
                long page = 64L * w + Long.numberOfTrailingZeros(bits);
                vm.guestMemory().read(page * 4096, target, (int) (page * 4096), 4096);
                n++;
            }
        }
        return n;
    }

    /**
     * A process table and a radix tree for PID 1 mapping the guest's memory one to one, with R
     * and C clear in most leaves: the hardware sets them as the writer runs, and those writes to
     * guest memory must reach the dirty log like the guest's own.
     */
    private static void buildTree(Vm<PartitionScopedMmu> vm, SplittableRandom r, long size) {
        ImageMemory image = new ImageMemory(TABLES, (int) (TABLES_END - TABLES));
        long[] next = {TABLES + 0x1000};
        RadixTreeBuilder b = new RadixTreeBuilder(image, bytes -> {
            long at = (next[0] + bytes - 1) & -bytes;
            if (at + bytes > TABLES_END) return -1;
            next[0] = at + bytes;
            return at;
        }, 9);
        long root = b.newRoot();
        int shift = r.nextInt(4) == 0 ? 21 : 12;
        for (long a = 0; a < size; a += 1L << shift) {
            long bits = RadixEntry.READ | RadixEntry.READ_WRITE | RadixEntry.EXECUTE
                    | (r.nextInt(4) == 0 ? RadixEntry.REFERENCE | RadixEntry.CHANGE : 0);
            b.map(root, a, shift, RadixEntry.pte(a, bits));
        }
        new ProcessTableEntry(root, 0).writeTo(image, PROCESS_TABLE + 16L * PID);
        vm.guestMemory().write(TABLES, image.bytes, 0, image.bytes.length);
        vm.arch().configureV3Mmu(PartitionScopedMmu.MMUV3_RADIX, PROCESS_TABLE);
    }
}
