package jvisor.fuzz;

import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import jvisor.hw.arm.AccessInfo;
import jvisor.hw.arm.Descriptor;
import jvisor.hw.arm.Mmu;
import jvisor.hw.arm.Stage1Descriptor;
import jvisor.kvm.AccessOutcome;
import jvisor.kvm.Kvm;
import jvisor.kvm.RunExit;
import jvisor.kvm.Vm;
import jvisor.kvm.arm.ArmVcpu;
import jvisor.kvm.arm.KvmArm;
import jvisor.kvm.arm.Stage2Mmu;
import jvisor.memory.HostAddressSpace;
import jvisor.memory.MemorySlot;
import jvisor.memory.UserMemoryRegion;

/**
 * One VM of the ARM campaign: RAM at IPA 0 whose low pages hold the guest's stage-1 tables
 * (rewritten at random by the guest's own stores), a small read-only slot, and an oracle slot far
 * up the IPA space that only the fuzzer's checks touch: a signature page with a value no other
 * VM has, and a page per physical CPU where its vCPU stores a counter and reads it back. A read
 * of another VM's signature there is an access outside the VM's memory (a TLB entry of another
 * VMID used after a rollover, say); any other wrong value is a lost write.
 *
 * <p>Operations hold the read side of {@link #lock} (the vCPUs of one VM run on both physical
 * CPUs at once); teardown takes the write side, as a VMM stops its vCPUs before destroying a VM.
 */
final class ArmFuzzVm {
    static final long RAM = 2L << 20, TABLES = 0x1000, TABLES_END = 0x40000;
    static final long READ_ONLY = 0x1000_0000L, READ_ONLY_SIZE = 1L << 20;
    static final long ORACLE = 0x77_0000_0000L, ORACLE_SIZE = 64L << 10;
    static final long MMIO = 0x0900_0000L;
    /** Slot numbers. */
    static final int RAM_SLOT = 0, READ_ONLY_SLOT = 1, ORACLE_SLOT = 2;

    final int index;
    final long signature;
    final Vm<Stage2Mmu> vm;
    final ArmVcpu[] vcpus;
    final long ramHva, readOnlyHva, oracleHva;
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** What each physical CPU's vCPU last stored in its oracle page (guarded by that CPU's thread). */
    final long[] counters;
    volatile int ramFlags;
    /** Set under the write lock; a CPU thread that picked the VM from an old list sees it under the read lock. */
    volatile boolean destroyed;
    private final HostAddressSpace mm;

    ArmFuzzVm(Kvm kvm, KvmArm arm, int index, long signature, SplittableRandom r) {
        this.index = index;
        this.signature = signature;
        this.mm = kvm.addressSpace();
        vm = kvm.createVm(arm.vmType());
        ramHva = mm.mmap(RAM, r.nextInt(4) == 0 ? HostAddressSpace.MAP_HUGE_2M : 0);
        ramFlags = r.nextInt(3) == 0 ? MemorySlot.LOG_DIRTY_PAGES : 0;
        vm.setUserMemoryRegion(new UserMemoryRegion(RAM_SLOT, ramFlags, 0, RAM, ramHva));
        readOnlyHva = mm.mmap(READ_ONLY_SIZE, 0);
        vm.setUserMemoryRegion(new UserMemoryRegion(READ_ONLY_SLOT, MemorySlot.READONLY, READ_ONLY, READ_ONLY_SIZE, readOnlyHva));
        oracleHva = mm.mmap(ORACLE_SIZE, 0);
        vm.setUserMemoryRegion(new UserMemoryRegion(ORACLE_SLOT, 0, ORACLE, ORACLE_SIZE, oracleHva));
        vcpus = new ArmVcpu[arm.cpuCount()];
        counters = new long[vcpus.length];
        for (int c = 0; c < vcpus.length; c++) vcpus[c] = vm.arch().createVcpu(c, c);
    }

    /** Writes the signature (through the vCPU of CPU {@code cpu}, which the caller runs on). */
    boolean sign(int cpu) {
        return vcpus[cpu].accessPhysical(ORACLE, Mmu.STORE, STR, signature) == AccessOutcome.DONE;
    }

    static final int LDR = AccessInfo.single(3, 1, false, true), STR = AccessInfo.single(3, 2, false, true);

    /** Random stage-1 tables in the table area: some sane, most hostile. Returns the writes made. */
    int writeTables(int cpu, SplittableRandom r, int count) {
        ArmVcpu v = vcpus[cpu];
        int n = 0;
        for (int i = 0; i < count; i++) {
            long slot = TABLES + (r.nextLong(TABLES_END - TABLES) & ~7L);
            if (v.accessPhysical(slot, Mmu.STORE, STR, descriptor(r)) == AccessOutcome.DONE) n++;
            else finishExit(v, r);
        }
        return n;
    }

    /** The root of the sane tables {@link #saneTables} writes (for T0SZ 32: a walk from level 1). */
    static final long SANE_ROOT = TABLES, SANE_L2 = TABLES + 0x1000, SANE_L3 = TABLES + 0x2000;

    /**
     * A sane corner of the table area, as a guest kernel keeps it: root, level 2 and level 3
     * tables mapping the first 2 MiB of virtual addresses, {@code count} pages of it to data pages
     * of the guest's RAM with random permissions. Returns the writes made.
     */
    int saneTables(int cpu, SplittableRandom r, int count) {
        ArmVcpu v = vcpus[cpu];
        int n = 0;
        if (v.accessPhysical(SANE_ROOT, Mmu.STORE, STR, Descriptor.table(SANE_L2)) == AccessOutcome.DONE) n++;
        if (v.accessPhysical(SANE_L2, Mmu.STORE, STR, Descriptor.table(SANE_L3)) == AccessOutcome.DONE) n++;
        for (int i = 0; i < count; i++) {
            long page = TABLES_END + (r.nextLong(RAM - TABLES_END) & ~0xFFFL);
            long d = Stage1Descriptor.leaf(page, 3, 0, r.nextBoolean(), r.nextInt(4) != 0, r.nextBoolean(), r.nextBoolean());
            if (v.accessPhysical(SANE_L3 + 8L * r.nextInt(512), Mmu.STORE, STR, d) == AccessOutcome.DONE) n++;
        }
        return n;
    }

    /** A stage-1 descriptor a hostile guest might write. */
    static long descriptor(SplittableRandom r) {
        int level = r.nextInt(4);
        return switch (r.nextInt(6)) {
            case 0 -> r.nextLong();
            case 1 -> Descriptor.table(TABLES + (r.nextLong(TABLES_END - TABLES) & ~0xFFFL));
            case 2 -> Descriptor.table(ipa(r) & ~0xFFFL);
            case 3 -> Stage1Descriptor.leaf(ipa(r), level, r.nextInt(2), r.nextBoolean(), r.nextBoolean(), r.nextBoolean(),
                    r.nextBoolean()) | (r.nextInt(4) == 0 ? r.nextLong() & 0x00F0_0000_0000_0F00L : 0);
            case 4 -> Stage1Descriptor.leaf(TABLES_END + (r.nextLong(RAM - TABLES_END) & ~0xFFFL), 3, 0, true, true, true, false);
            default -> 0;
        };
    }

    /** An intermediate physical address a guest might name: its RAM, its read-only slot, MMIO, nothing, beyond 40 bits. */
    static long ipa(SplittableRandom r) {
        return switch (r.nextInt(8)) {
            case 0, 1, 2 -> r.nextLong(RAM);
            case 3 -> READ_ONLY + r.nextLong(READ_ONLY_SIZE);
            case 4 -> MMIO + r.nextLong(0x10000);
            case 5 -> r.nextLong(1L << Stage2Mmu.IPA_BITS);
            case 6 -> RAM + r.nextLong(1L << 30);
            default -> r.nextLong() >>> r.nextInt(24);
        };
    }

    /** Answers whatever exit the last access left, and runs on to complete it: MMIO gets random data. */
    static void finishExit(ArmVcpu v, SplittableRandom r) {
        if (v.lastExit() instanceof RunExit.Mmio m && !m.isWrite()) m.setValueLittleEndian(r.nextLong());
        v.run();
    }

    /** Tears the VM down (the caller holds the write lock) and returns its host memory. */
    void destroy() {
        destroyed = true;
        vm.destroy();
        mm.munmap(ramHva, RAM);
        mm.munmap(readOnlyHva, READ_ONLY_SIZE);
        mm.munmap(oracleHva, ORACLE_SIZE);
    }
}
