package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import jvisor.hw.power.Msr;

/** Whatever a guest executes, the host survives: an architected interrupt, an exit, or a clean stop. */
class RobustnessTest {
    static final long C = TestMachine.CODE;

    @Test
    void randomWordsNeverEscapeAsHostExceptions() {
        long total = 0;
        java.util.Set<Integer> seen = new java.util.TreeSet<>();
        for (int seed = 1; seed <= 40; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            TestMachine t = new TestMachine();
            long[] modes = {Msr.SF | Msr.ME, Msr.ME, Msr.SF | Msr.ME | Msr.LE, Msr.SF | Msr.ME | Msr.PR | Msr.EE,
                    Msr.SF | Msr.ME | Msr.FP | Msr.VEC | Msr.VSX | Msr.SE};
            t.msr(modes[seed % modes.length]);
            for (int i = 0; i < 32; i++) {
                t.core.setGpr(i, rnd.nextInt(4) == 0 ? rnd.nextLong() : rnd.nextLong(TestMachine.MEMORY));
            }
            // Random code in the first 64 KiB, vectors included, so interrupts land in garbage too.
            for (long a = 0; a < 0x10000 + 0x4000; a += 4) {
                t.memory.writeIntBE(a, rnd.nextInt());
            }
            t.core.setPc(C);
            // Play a lenient hypervisor: resume after every exit so the garbage keeps running.
            long budget = 20_000;
            while (budget > 0) {
                long before = t.core.instructions();
                int exit = t.core.run(budget);
                budget -= Math.max(1, t.core.instructions() - before);
                // What garbage may cause on this machine: no hypervisor faults (the MMU maps
                // everything or machine-checks), no interception (off), nobody asking to stop.
                String where = "seed " + seed + " at 0x" + Long.toHexString(t.core.pc()) + ": " + Exit.name(exit);
                assertTrue(exit == Exit.INSTRUCTION_LIMIT || exit == Exit.HYPERCALL || exit == Exit.STOPPED
                        || exit == Exit.HYPERVISOR_EMULATION_ASSIST || exit == Exit.ERROR, where);
                if (exit == Exit.ERROR) {
                    assertFalse(t.core.exitMessage().isBlank(), where + " without saying what is missing");
                }
                seen.add(exit);
                if (exit == Exit.STOPPED) {
                    t.core.setMsr(t.core.msr() | Msr.ME); // a checkstop: restart the machine
                    t.core.setPc(C);
                } else if (exit != Exit.HYPERCALL && exit != Exit.INSTRUCTION_LIMIT) {
                    t.core.setPc(t.core.pc() + 4);
                }
            }
            total += t.core.instructions();
        }
        assertTrue(total > 40 * 10_000L, "garbage ran for only " + total + " instructions");
        assertTrue(seen.contains(Exit.INSTRUCTION_LIMIT) && seen.contains(Exit.STOPPED),
                "the budget ran out and checkstops were restarted: " + seen);
    }

    @Test
    void jumpingOutsideMemoryIsAMachineCheckAtTheTarget() {
        TestMachine t = new TestMachine().gpr(3, 0x7FFF_0000L);
        t.exec(0x7c6903a6, 0x4e800420); // mtctr r3; bctr
        assertEquals(Exit.INSTRUCTION_LIMIT, t.core.run(1));
        assertEquals(0x200, t.core.pc());
        assertEquals(0x7FFF_0000L, t.core.srr0());
    }

    @Test
    void anEndlessLoopEndsAtTheInstructionLimit() {
        TestMachine t = new TestMachine();
        assertEquals(Exit.INSTRUCTION_LIMIT, t.runAt(C, 1000, 0x48000000)); // b .
        assertEquals(C, t.core.pc());
        assertEquals(1000, t.core.instructions());
    }

    @Test
    void anotherThreadCanMakeRunReturn() throws Exception {
        TestMachine t = new TestMachine();
        t.code(C, 0x48000000);
        t.core.setPc(C);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> f = pool.submit(() -> t.core.run(Long.MAX_VALUE));
            Thread.sleep(50);
            t.core.requestExit();
            assertEquals(Exit.INTERRUPTED, f.get(30, TimeUnit.SECONDS));
            assertEquals(C, t.core.pc());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void illegalInstructionsAtTheVectorsLoopWithoutHarm() {
        TestMachine t = new TestMachine();
        assertEquals(Exit.INSTRUCTION_LIMIT, t.runAt(C, 100, 0));
        assertEquals(0x700, t.core.pc());
        assertEquals(0x700, t.core.srr0());
    }
}
