package jvisor.kvm.arm;

import static jvisor.kvm.arm.ArmVmFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import jvisor.hw.arm.Descriptor;
import jvisor.hw.arm.Stage2Descriptor;
import jvisor.kvm.AccessOutcome;
import jvisor.kvm.MemoryCache;
import jvisor.kvm.Vm;
import jvisor.memory.PhysicalMemory;
import jvisor.memory.UserMemoryRegion;
import org.junit.jupiter.api.Test;

class Stage2RefcountTest {

    /** Checks 1 + valid entries == refcount for every table below {@code table}; returns tables seen. */
    static int checkInvariant(PhysicalMemory pm, long table, int level, int entries) {
        int valid = 0, tables = 1;
        for (int i = 0; i < entries; i++) {
            long d = pm.readLongLE(table + 8L * i);
            if (!Descriptor.valid(d)) continue;
            if (i < 512 || entries == 512) valid++;
            if (Descriptor.isTable(d, level)) tables += checkInvariant(pm, Descriptor.outputAddress(d), level + 1, 512);
        }
        if (entries == 512) {
            assertEquals(1 + valid, pm.refCount(table >>> 12), String.format("table 0x%x at level %d", table, level));
        }
        return tables;
    }

    private static void checkRoot(PhysicalMemory pm, Stage2PageTable pgt) {
        for (int page = 0; page < pgt.rootTables(); page++) {
            long root = pgt.rootPa() + 4096L * page;
            checkInvariant(pm, root, pgt.startLevel(), 512);
        }
    }

    @Test
    void tableRefcountsFollowTheInvariantAndEveryTableIsFreedAfterUnmappingEverything() {
        ArmVmFixture f = new ArmVmFixture(1, 16);
        long before = f.pm.framesInUse();
        Vm<Stage2Mmu> vm = f.vm();
        f.addRam(vm, 0, 0, 512 * MIB, 0, 0);
        ArmVcpu v = vm.arch().createVcpu(0, 0);
        long withVm = f.pm.framesInUse();
        Random rnd = new Random(5);
        for (int i = 0; i < 3000; i++) {
            long ipa = (rnd.nextLong(512 * MIB)) & ~7L;
            assertEquals(AccessOutcome.DONE, store(v, ipa, i));
        }
        Stage2PageTable pgt = vm.arch().pageTable();
        checkRoot(f.pm, pgt);
        assertTrue(pgt.tablesInUse() > 100, "many level-3 tables: " + pgt.tablesInUse());
        for (int page = 0; page < 2; page++) assertTrue(f.pm.refCount((pgt.rootPa() >>> 12) + page) >= 1);

        vm.mmuLock().lock();
        try {
            pgt.unmap(0, 1L << 40);
        } finally {
            vm.mmuLock().unlock();
        }
        assertEquals(1, f.pm.refCount(pgt.rootPa() >>> 12), "root back to 1");
        assertEquals(1, f.pm.refCount((pgt.rootPa() >>> 12) + 1), "second concatenated root page back to 1");
        assertEquals(2, pgt.tablesInUse(), "only the two root pages remain");
        long guestPages = f.mm.residentPages();
        assertEquals(withVm + guestPages, f.pm.framesInUse() - v.memoryCache().size(),
                "every table page freed: only the guest's RAM, the roots and the state pages remain");
        vm.destroy();
        f.mm.destroy();
        assertEquals(before, f.pm.framesInUse());
        assertEquals(0, vm.arch().brokenTablesAtDestroy());
    }

    @Test
    void aBlockReplacingATableAndATableReplacingABlockKeepTheInvariant() {
        ArmVmFixture f = new ArmVmFixture(1, 16);
        Vm<Stage2Mmu> vm = f.vm();
        Stage2PageTable pgt = vm.arch().pageTable();
        MemoryCache cache = new MemoryCache(f.pm, 8);
        long frame2m = f.pm.allocate(9) << 12;
        long attrs = Stage2Descriptor.attributes(Stage2Descriptor.PROT_R | Stage2Descriptor.PROT_W);
        vm.mmuLock().lock();
        try {
            for (int i = 0; i < 16; i++) {
                assertTrue(cache.topUp(2));
                assertEquals(Stage2PageTable.OK, pgt.map(0x20_0000L + 4096L * i, 4096, frame2m + 4096L * i, 12, attrs, cache, 0));
            }
            checkRoot(f.pm, pgt);
            long bbm = pgt.breakBeforeMake.sum();
            assertEquals(Stage2PageTable.OK, pgt.map(0x20_0000L, 0x20_0000L, frame2m, 21, attrs, cache, 0));
            assertTrue(pgt.breakBeforeMake.sum() > bbm, "the table was broken before the block was made");
            assertEquals(2, Descriptor.levelOf(21));
            pgt.lookup(0x20_5000L);
            assertEquals(2, pgt.lastLevel);
            checkRoot(f.pm, pgt);
            assertTrue(cache.topUp(2));
            assertEquals(Stage2PageTable.OK, pgt.map(0x20_3000L, 4096, frame2m + 0x3000, 12, attrs, cache, 0));
            pgt.lookup(0x20_3000L);
            assertEquals(3, pgt.lastLevel, "the block became a table");
            checkRoot(f.pm, pgt);
            pgt.unmap(0, 1L << 40);
            assertEquals(2, pgt.tablesInUse());
        } finally {
            vm.mmuLock().unlock();
        }
        cache.free();
        f.pm.put(frame2m >>> 12);
        vm.destroy();
        assertEquals(1, f.pm.framesInUse(), "only the EL2 root is left");
    }

    @Test
    void theInsertNeverAllocatesUnderTheLockAndAnEmptyCacheMeansRetry() {
        ArmVmFixture f = new ArmVmFixture(1, 16);
        Vm<Stage2Mmu> vm = f.vm();
        Stage2PageTable pgt = vm.arch().pageTable();
        MemoryCache empty = new MemoryCache(f.pm, 4);
        long frames = f.pm.framesInUse();
        vm.mmuLock().lock();
        try {
            assertEquals(Stage2PageTable.NO_MEMORY, pgt.map(0x1000, 4096, 0x1000, 12, 0, empty, 0));
        } finally {
            vm.mmuLock().unlock();
        }
        assertEquals(frames, f.pm.framesInUse(), "nothing was allocated under the lock");
        vm.destroy();
    }

    @Test
    void deletingASlotUnmapsItAndFreesItsTables() {
        ArmVmFixture f = new ArmVmFixture(1, 16);
        Vm<Stage2Mmu> vm = f.vm();
        long hva = f.addRam(vm, 3, 1 * GIB, 64 * MIB, 0, 0);
        ArmVcpu v = vm.arch().createVcpu(0, 0);
        for (long a = 0; a < 64 * MIB; a += 64 * 4096) assertEquals(AccessOutcome.DONE, store(v, 1 * GIB + a, 1));
        vm.setUserMemoryRegion(new UserMemoryRegion(3, 0, 1 * GIB, 0, hva));
        assertEquals(2, vm.arch().pageTable().tablesInUse());
        assertEquals(AccessOutcome.EXIT, load(v, 1 * GIB), "now MMIO");
        vm.destroy();
    }
}
