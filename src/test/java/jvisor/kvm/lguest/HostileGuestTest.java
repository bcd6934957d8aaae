package jvisor.kvm.lguest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Garbage tables and garbage hypercalls: the guest may die, the host never throws or leaks. */
class HostileGuestTest {
    @Test
    void randomTablesAndHypercallsNeverHurtTheHost() {
        for (long seed = 0; seed < 40; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            LguestFixture f = new LguestFixture(1, seed);
            for (int i = 0; i < 200; i++) {
                long table = r.nextInt(16) * 4096L;
                f.mem.writeU32LE(table + 4L * r.nextInt(1024), r.nextInt());
            }
            for (int step = 0; step < 300 && !f.lg.dead(); step++) {
                long va = r.nextLong(1L << 32);
                switch (r.nextInt(6)) {
                    case 0 -> f.cpu().load(va, r.nextBoolean());
                    case 1 -> f.cpu().store(va, r.nextBoolean(), r.nextInt());
                    case 2 -> f.cpu().hypercall(Hypercalls.SET_PTE, r.nextLong(1L << 32), va, r.nextInt());
                    case 3 -> f.cpu().hypercall(Hypercalls.SET_PGD, r.nextInt(16) * 4096L, r.nextInt(-5, 1100), 0);
                    case 4 -> f.cpu().hypercall(Hypercalls.NEW_PGTABLE, r.nextInt(20) * 4096L, 0, 0);
                    default -> f.cpu().queueHypercall(r.nextInt(20), r.nextLong(), r.nextLong(), r.nextLong());
                }
            }
            f.lg.destroy();
            f.mm.destroy();
            f.switcher.free();
            assertEquals(0, f.phys.framesInUse(), "seed " + seed);
        }
    }
}
