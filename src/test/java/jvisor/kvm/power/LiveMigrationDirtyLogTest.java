package jvisor.kvm.power;

import static jvisor.kvm.power.RadixVmFixture.MIB;
import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.atomic.AtomicReference;
import jvisor.hw.power.Msr;
import jvisor.kvm.RunExit;
import jvisor.memory.MemorySlot;
import org.junit.jupiter.api.Test;

/**
 * Pre-copy migration over the dirty log, in miniature: a vCPU keeps storing to 1024 pages while
 * the "migration" copies all of guest memory, then only what the dirty log names, round after
 * round, and a last round once the vCPU is stopped. The copy must equal the source byte for byte:
 * any store the dirty log missed (a C bit cleared while a core still wrote through an old
 * translation) shows up as a difference.
 */
class LiveMigrationDirtyLogTest {
    private static final long DATA = 0x100_0000L, PAGES = 1024;

    @Test
    void iterativePreCopyOverTheDirtyLogReproducesMemoryExactly() throws Exception {
        RadixVmFixture f = new RadixVmFixture(2 * RadixVmFixture.GIB);
        long size = 32 * MIB;
        f.addSlot(0, 0, size, 0, MemorySlot.LOG_DIRTY_PAGES);
        // loop: r5++; page = (r5 * 7919) & 1023; std r5, DATA + page*4096 (assembled with -mbig)
        int[] code = {0x38a50001, 0x1cc51eef, 0x78c605a0, 0x78c664e4, 0x7ce43214, 0xf8a70000, 0x4bffffe8};
        for (int i = 0; i < code.length; i++) f.vm.guestMemory().writeU32BE(0x400000 + 4L * i, code[i]);
        PowerVcpu v = PowerVcpu.create(f.vm, 0);
        v.start(0x400000, 0, Msr.SF | Msr.ME);
        v.core().setGpr(4, DATA);
        AtomicReference<RunExit> ended = new AtomicReference<>();
        Thread vcpu = new Thread(() -> ended.set(v.run()), "vcpu");
        vcpu.start();

        byte[] target = new byte[(int) size];
        f.vm.getDirtyLog(0); // the log starts now: everything is copied in round 0
        f.vm.guestMemory().read(0, target, 0, target.length);
        long copiedPages = size / 4096;
        for (int round = 1; round <= 6; round++) {
            Thread.sleep(20);
            copiedPages += copyDirty(f, target);
        }
        v.kick();
        vcpu.join(5000);
        assertInstanceOf(RunExit.Interrupted.class, ended.get());
        copiedPages += copyDirty(f, target); // stop-and-copy

        byte[] source = new byte[(int) size];
        f.vm.guestMemory().read(0, source, 0, source.length);
        long stores = v.core().gpr(5);
        assertTrue(stores > 10_000, "the vCPU really wrote while we copied: " + stores);
        for (int i = 0; i < source.length; i++) {
            if (source[i] != target[i]) {
                fail(String.format("byte 0x%x (page %d) differs after migration: the dirty log missed a store", i, i / 4096));
            }
        }
        assertTrue(copiedPages < 8 * size / 4096, "only dirty pages were copied after the first round: " + copiedPages);
    }

    private static long copyDirty(RadixVmFixture f, byte[] target) {
        long[] log = f.vm.getDirtyLog(0);
        long n = 0;
        for (int w = 0; w < log.length; w++) {
            for (long bits = log[w]; bits != 0; bits &= bits - 1) {
                long page = 64L * w + Long.numberOfTrailingZeros(bits);
                f.vm.guestMemory().read(page * 4096, target, (int) (page * 4096), 4096);
                n++;
            }
        }
        return n;
    }
}
