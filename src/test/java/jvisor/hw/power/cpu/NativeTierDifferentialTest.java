package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import jvisor.hw.power.Msr;
import jvisor.hw.power.cpu.CompiledCodeDifferentialTest.Mix;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Random instruction sequences run interpreted and with the native tier (blocks written after one
 * run, going on to each other; with and without the region tiers beside them) end in the same
 * architected state: registers, CR, XER, LR, CTR, CFAR, pc, MSR, the interrupt registers, the
 * instruction count and memory. The sequences are {@link CompiledCodeDifferentialTest}'s, with
 * byte-reversed and carrying forms added.
 */
class NativeTierDifferentialTest {
    static final long C = TestMachine.CODE;

    @BeforeAll
    static void hostCanRunIt() {
        assumeTrue(NativeTier.problem() == null, NativeTier.problem());
    }

    private static int instruction(SplittableRandom rnd, Mix mix, int slot, int length) {
        if (mix != Mix.FIXED_POINT && rnd.nextInt(10) == 0) {
            // byte-reversed loads and stores, and dcbz, addressing r1 (the data) through RB
            int[] xos = {534, 532, 790, 662, 660, 918, 1014};
            return (31 << 26) | ((2 + rnd.nextInt(30)) << 21) | (1 << 11) | (xos[rnd.nextInt(xos.length)] << 1);
        }
        if (rnd.nextInt(12) == 0) {
            // shifts, counts, divides, high multiplies, the extends, the CR moves
            int[] xos = {27, 24, 539, 536, 794, 792, 26, 58, 457, 459, 489, 491, 9, 73, 954, 922, 986, 19, 144};
            int xo = xos[rnd.nextInt(xos.length)];
            int rt = 2 + rnd.nextInt(30), ra = 2 + rnd.nextInt(30), rb = rnd.nextInt(32);
            if (xo == 19 || xo == 144) {
                // mfcr / mfocrf (one field), mtcrf / mtocrf
                int fxm = xo == 19 && rnd.nextBoolean() ? 0 : 1 << rnd.nextInt(8);
                int one = fxm != 0 && rnd.nextBoolean() ? 1 << 20 : 0;
                return (31 << 26) | (rt << 21) | one | (fxm << 12) | (xo << 1);
            }
            return (31 << 26) | (rt << 21) | (ra << 16) | (rb << 11) | (xo << 1) | rnd.nextInt(2);
        }
        if (rnd.nextInt(16) == 0) {
            // maddld, isel, mulhw, mulhwu
            int rt = 2 + rnd.nextInt(30), ra = rnd.nextInt(32), rb = rnd.nextInt(32), rc = rnd.nextInt(32);
            return switch (rnd.nextInt(4)) {
                case 0 -> (4 << 26) | (rt << 21) | (ra << 16) | (rb << 11) | (rc << 6) | 51;
                case 1 -> (31 << 26) | (rt << 21) | (ra << 16) | (rb << 11) | (rc << 6) | (15 << 1);
                case 2 -> (31 << 26) | (rt << 21) | (ra << 16) | (rb << 11) | (75 << 1) | rnd.nextInt(2);
                default -> (31 << 26) | (rt << 21) | (ra << 16) | (rb << 11) | (11 << 1) | rnd.nextInt(2);
            };
        }
        if (rnd.nextInt(24) == 0) {
            // cmpb (RB sometimes RS itself; small values agree in their high bytes), eieio, isync
            int rs = 2 + rnd.nextInt(30), ra = 2 + rnd.nextInt(30), rb = rnd.nextInt(32);
            return switch (rnd.nextInt(4)) {
                case 0 -> (31 << 26) | (rs << 21) | (ra << 16) | (rs << 11) | (508 << 1);
                case 1 -> (31 << 26) | (rs << 21) | (ra << 16) | (rb << 11) | (508 << 1);
                case 2 -> 0x7C00_06AC | (rnd.nextInt(2) << 25);
                default -> 0x4C00_012C;
            };
        }
        if (rnd.nextInt(16) == 0) {
            // rotates by a register: rlwnm, rldcl, rldcr
            int rs = 2 + rnd.nextInt(30), ra = 2 + rnd.nextInt(30), rb = rnd.nextInt(32);
            return switch (rnd.nextInt(3)) {
                case 0 -> (23 << 26) | (rs << 21) | (ra << 16) | (rb << 11) | (rnd.nextInt(32) << 6) | (rnd.nextInt(32) << 1)
                        | rnd.nextInt(2);
                default -> (30 << 26) | (rs << 21) | (ra << 16) | (rb << 11) | (rnd.nextInt(64) << 5)
                        | ((8 + rnd.nextInt(2)) << 1) | rnd.nextInt(2);
            };
        }
        if (rnd.nextInt(16) == 0) {
            // sradi, tdi / twi with a condition rarely true
            return switch (rnd.nextInt(3)) {
                case 0 -> (31 << 26) | ((2 + rnd.nextInt(30)) << 21) | ((2 + rnd.nextInt(30)) << 16)
                        | (rnd.nextInt(32) << 11) | (413 << 2) | (rnd.nextInt(2) << 1) | rnd.nextInt(2);
                case 1 -> (2 << 26) | (new int[] {4, 0}[rnd.nextInt(2)] << 21) | ((2 + rnd.nextInt(30)) << 16)
                        | (rnd.nextInt() & 0xFFFF);
                default -> (3 << 26) | (new int[] {4, 0}[rnd.nextInt(2)] << 21) | ((2 + rnd.nextInt(30)) << 16)
                        | (rnd.nextInt() & 0xFFFF);
            };
        }
        // Mostly instructions with a template: runs of them make blocks.
        for (int tries = 0; ; tries++) {
            int w = CompiledCodeDifferentialTest.randomInstruction(rnd, mix, slot, length);
            if (tries == 3 || NativeBlockWriter.hasTemplate(Decoder.decode(w), w)) {
                return w;
            }
        }
    }

    private static void compare(Mix mix, int seeds, long[] modes, boolean regionsToo) {
        int nativeSomewhere = 0;
        long nativeInstructions = 0, instructions = 0;
        for (int seed = 1; seed <= seeds; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed * 104729L + mix.ordinal());
            int length = 8 + rnd.nextInt(40);
            int[] code = new int[length + 1];
            for (int i = 0; i < length; i++) {
                code[i] = instruction(rnd, mix, i, length);
            }
            code[length] = 0x4200_0000 | ((-length * 4) & 0xFFFC); // bdnz back to the start
            long msr = modes[seed % modes.length];
            TestMachine interpreted = CompiledCodeDifferentialTest.machine(seed, msr, code, false);
            TestMachine blocks = CompiledCodeDifferentialTest.machine(seed, msr, code, true);
            // More turns of the loop than the other test's six: most of them run as blocks.
            interpreted.core.setCtr(40);
            blocks.core.setCtr(40);
            blocks.core.natives().setEnabled(true);
            blocks.core.tiering().setNativeHeat(1);
            blocks.core.tiering().setThreshold(regionsToo ? 3 : DecodePage.MAX_HEAT);
            for (int run = 0; run < 8; run++) {
                // Budgets short and long: blocks refused for want of budget, and chains cut by it.
                long budget = 1 + (run % 2 == 0 ? rnd.nextInt(3 * length) : rnd.nextInt(400));
                int ea = interpreted.core.run(budget), eb = blocks.core.run(budget);
                String what = "mix " + mix + " seed " + seed + " run " + run + (regionsToo ? " with regions" : "");
                assertEquals(ea, eb, what + ": exit code");
                CompiledCodeDifferentialTest.assertSameState(what, interpreted, blocks);
                if (ea != Exit.INSTRUCTION_LIMIT && ea != Exit.HYPERCALL) {
                    interpreted.core.setPc(interpreted.core.pc() + 4);
                    blocks.core.setPc(blocks.core.pc() + 4);
                }
            }
            if (blocks.core.natives().instructions() > 0) {
                nativeSomewhere++;
            }
            nativeInstructions += blocks.core.natives().instructions();
            instructions += blocks.core.instructions();
        }
        // Little-endian 64-bit code is three in five of the seeds; some sequences end in an
        // interrupt early (a trap, a wild access) or start with an instruction with no template.
        // (Beside regions made after three runs, blocks run only where no region is.)
        assertTrue(nativeSomewhere > seeds / (regionsToo ? 10 : 5), "native blocks ran in only " + nativeSomewhere + " of " + seeds);
        assertTrue(nativeInstructions > instructions / (regionsToo ? 40 : 20), "native blocks ran only " + nativeInstructions + " of " + instructions);
        System.out.printf("native tier, %s%s: blocks ran in %d of %d sequences, %d of %d instructions%n", mix,
                regionsToo ? " with regions" : "", nativeSomewhere, seeds, nativeInstructions, instructions);
    }

    /** Mostly the mode blocks run in (64-bit little-endian), and the others, where they must not. */
    private static final long[] MODES = {Msr.SF | Msr.ME | Msr.LE, Msr.SF | Msr.ME | Msr.LE, Msr.SF | Msr.ME | Msr.LE,
        Msr.SF | Msr.ME, Msr.ME | Msr.LE};

    @Test
    void fixedPointSequencesAgree() {
        compare(Mix.FIXED_POINT, 400, MODES, false);
    }

    @Test
    void sequencesWithLoadsAndStoresAgree() {
        compare(Mix.WITH_MEMORY, 400, MODES, false);
    }

    @Test
    void sequencesWithBranchesAgree() {
        compare(Mix.WITH_BRANCHES, 400, MODES, false);
    }

    @Test
    void sequencesWithAnythingAgree() {
        compare(Mix.ANYTHING, 300, new long[] {Msr.SF | Msr.ME | Msr.LE, Msr.SF | Msr.ME | Msr.PR | Msr.EE | Msr.LE}, false);
    }

    @Test
    void blocksAgreeWhileTheCodeAreaTurnsFromHalfToHalf() {
        long turns = NativeTier.areaTurns(), written = NativeTier.blocksWritten();
        // Halves that take a few blocks each, then one: the area turns every few blocks, then at
        // every block, each time writing over the blocks of two turns ago while the sequences
        // go on running (and their cores' jump caches held those blocks).
        try {
            NativeTier.limitHalves(8 << 10);
            compare(Mix.WITH_BRANCHES, 150, MODES, false);
            compare(Mix.WITH_MEMORY, 150, MODES, false);
            NativeTier.limitHalves(1);
            compare(Mix.WITH_BRANCHES, 150, MODES, false);
        } finally {
            NativeTier.limitHalves(0);
        }
        long turned = NativeTier.areaTurns() - turns, blocks = NativeTier.blocksWritten() - written;
        assertTrue(turned >= 100, "the code area turned " + turned + " times");
        // Blocks went on being written after the turns, far more than two halves hold.
        assertTrue(blocks >= turned, blocks + " blocks written over " + turned + " turns");
    }

    /** Runs sequences with blocks (written at once), as {@link #compare} does, without comparing them. */
    private static void runWithBlocks(int seeds) {
        for (int seed = 1; seed <= seeds; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int length = 8 + rnd.nextInt(40);
            int[] code = new int[length + 1];
            for (int i = 0; i < length; i++) {
                code[i] = instruction(rnd, Mix.FIXED_POINT, i, length);
            }
            code[length] = 0x4200_0000 | ((-length * 4) & 0xFFFC);
            TestMachine m = CompiledCodeDifferentialTest.machine(seed, MODES[0], code, true);
            m.core.setCtr(40);
            m.core.natives().setEnabled(true);
            m.core.tiering().setNativeHeat(1);
            m.core.tiering().setThreshold(DecodePage.MAX_HEAT);
            m.core.run(2000);
        }
    }

    @Test
    void theAreaIsNotWrittenOverWhileACoreMayStillRunItsBlocks() {
        TestMachine other = CompiledCodeDifferentialTest.machine(1, MODES[0], new int[] {0x4800_0000}, true);
        NativeCore waiting = other.core.natives();
        try {
            NativeTier.limitHalves(1); // a turn at every block, if it may
            runWithBlocks(20);
            // A core in its run loop since this generation began may run its blocks, which stay
            // in this half after one turn: a second turn would write over them, and waits.
            waiting.enter();
            long turns = NativeTier.areaTurns();
            runWithBlocks(20);
            assertTrue(NativeTier.areaTurns() - turns <= 1, "turned " + (NativeTier.areaTurns() - turns) + " times");
            // Once it left its run loop, the turns go on.
            waiting.leave();
            turns = NativeTier.areaTurns();
            runWithBlocks(20);
            assertTrue(NativeTier.areaTurns() - turns >= 10, "turned " + (NativeTier.areaTurns() - turns) + " times");
        } finally {
            waiting.leave();
            NativeTier.limitHalves(0);
        }
    }

    @Test
    void blocksBesideRegionsAgree() {
        compare(Mix.WITH_BRANCHES, 300, MODES, true);
        compare(Mix.WITH_MEMORY, 300, MODES, true);
    }
}
