package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import jvisor.hw.power.Msr;

/**
 * Random instruction sequences run once interpreted and once translated from the same starting
 * state end in the same architected state: registers, CR, XER, LR, CTR, pc, MSR, the interrupt
 * registers, the instruction count and memory.
 */
class CompiledCodeDifferentialTest {
    static final long C = TestMachine.CODE, DATA = 0x40000;

    /** What a generated instruction may be. */
    enum Mix {
        FIXED_POINT, WITH_MEMORY, WITH_BRANCHES, ANYTHING
    }

    static int randomInstruction(SplittableRandom rnd, Mix mix, int slot, int length) {
        while (true) {
            int w = rnd.nextInt();
            int kind = rnd.nextInt(10);
            if (kind == 5 && rnd.nextBoolean()) {
                // The carrying adds and subtracts (translated inline), with random OE and Rc, and
                // addic/addic./subfic; never writing r1.
                int rt = 2 + rnd.nextInt(30), ra = rnd.nextInt(32), rb = rnd.nextInt(32);
                int[] xos = {10, 138, 202, 234, 8, 136, 200, 232, 266, 40, 104};
                int xo = xos[rnd.nextInt(xos.length + 3) % xos.length];
                if (rnd.nextInt(4) == 0) {
                    int primary = new int[] {12, 13, 8}[rnd.nextInt(3)];
                    return (primary << 26) | (rt << 21) | (ra << 16) | (rnd.nextInt() & 0xFFFF);
                }
                if (xo == 202 || xo == 234 || xo == 200 || xo == 232 || xo == 104) {
                    rb = 0;
                }
                return (31 << 26) | (rt << 21) | (ra << 16) | (rb << 11) | (rnd.nextInt(2) << 10) | (xo << 1)
                        | rnd.nextInt(2);
            }
            if (mix != Mix.FIXED_POINT && kind == 0) {
                // D-form load/store with RA = r1 (points at DATA) and a small displacement
                int[] primaries = {32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 58, 62};
                int p = primaries[rnd.nextInt(primaries.length)];
                int rt = 2 + rnd.nextInt(30);
                int d = rnd.nextInt(256) * 4 - 512;
                int ds = p == 58 ? rnd.nextInt(3) : p == 62 ? rnd.nextInt(2) : 0; // ld/ldu/lwa, std/stdu
                return (p << 26) | (rt << 21) | (1 << 16) | (d & 0xFFFC) | ds;
            } else if ((mix == Mix.WITH_BRANCHES || mix == Mix.ANYTHING) && kind == 1) {
                // bc with random BO/BI to a slot of the sequence (forward or backward)
                int target = rnd.nextInt(length + 2) - 1;
                int bo = new int[] {4, 12, 16, 18, 20, 0, 2, 8, 10}[rnd.nextInt(9)];
                w = (16 << 26) | (bo << 21) | (rnd.nextInt(32) << 16) | (((target - slot) * 4) & 0xFFFC)
                        | rnd.nextInt(2);
            } else if (mix == Mix.ANYTHING && kind == 2) {
                return w; // anything at all, illegal included
            } else if (mix != Mix.FIXED_POINT && kind == 3) {
                // X-form load/store addressing r1 (DATA) through RB, RA = 0 (invalid for the
                // update forms, which then write r0: still the same in both modes)
                int[] xos = {87, 119, 279, 311, 343, 375, 23, 55, 341, 373, 21, 53, 215, 247, 407, 439, 151, 183, 149, 181};
                return (31 << 26) | ((2 + rnd.nextInt(30)) << 21) | (1 << 11) | (xos[rnd.nextInt(xos.length)] << 1);
            } else if ((mix == Mix.WITH_BRANCHES || mix == Mix.ANYTHING) && kind == 4) {
                int target = rnd.nextInt(length + 2) - 1;
                return switch (rnd.nextInt(3)) {
                    // b / bl to a slot of the sequence
                    case 0 -> (18 << 26) | (((target - slot) * 4) & 0x03FF_FFFC) | rnd.nextInt(2);
                    // mfspr/mtspr of LR or CTR with a register other than r1
                    case 1 -> (31 << 26) | ((2 + rnd.nextInt(30)) << 21) | ((8 + rnd.nextInt(2)) << 16)
                            | ((rnd.nextBoolean() ? 339 : 467) << 1);
                    // bc to an absolute address or with the CTR decrement and LK forms
                    default -> (16 << 26) | (new int[] {0, 2, 8, 10, 16, 18, 20}[rnd.nextInt(7)] << 21)
                            | (rnd.nextInt(32) << 16) | (((target - slot) * 4) & 0xFFFC) | 1;
                };
            }
            int op = Decoder.decode(w);
            if (RegionCompiler.isPure(op) || (mix != Mix.FIXED_POINT && RegionCompiler.mayStore(op) && kind < 3)) {
                // keep r1 (the data pointer) intact so memory operations stay mostly in range
                if (RegionCompiler.isPure(op) && ((w >>> 21) & 31) == 1) {
                    continue;
                }
                return w;
            }
        }
    }

    static TestMachine machine(long seed, long msr, int[] code, boolean compiled) {
        TestMachine t = new TestMachine();
        t.msr(msr);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < 32; i++) {
            long v = switch (rnd.nextInt(4)) {
                case 0 -> rnd.nextLong();
                case 1 -> rnd.nextInt(256) - 128;
                case 2 -> rnd.nextInt() & 0xFFFF_FFFFL;
                default -> rnd.nextLong() >>> rnd.nextInt(64);
            };
            t.core.setGpr(i, v);
        }
        t.core.setGpr(1, DATA);
        t.core.setCr(rnd.nextInt());
        t.core.setXer(rnd.nextLong() & 0xE00C_007FL);
        t.core.setCtr(6);
        t.core.setLr(C + 8);
        for (long a = DATA - 1024; a < DATA + 1024; a += 8) {
            t.memory.writeLongBE(a, rnd.nextLong());
        }
        t.code(C, code);
        t.core.setPc(C);
        t.core.setJit(compiled);
        t.core.tiering().setThreshold(1);
        return t;
    }

    static void assertSameState(String what, TestMachine a, TestMachine b) {
        for (int i = 0; i < 32; i++) {
            assertEquals(a.r(i), b.r(i), what + ": r" + i);
        }
        assertEquals(a.core.cr(), b.core.cr(), what + ": cr");
        assertEquals(a.xer(), b.xer(), what + ": xer");
        assertEquals(a.core.lr(), b.core.lr(), what + ": lr");
        assertEquals(a.core.ctr(), b.core.ctr(), what + ": ctr");
        assertEquals(a.core.pc(), b.core.pc(), what + ": pc");
        assertEquals(a.core.msr(), b.core.msr(), what + ": msr");
        assertEquals(a.core.srr0(), b.core.srr0(), what + ": srr0");
        assertEquals(a.core.srr1(), b.core.srr1(), what + ": srr1");
        assertEquals(a.core.dar(), b.core.dar(), what + ": dar");
        assertEquals(a.core.dsisr(), b.core.dsisr(), what + ": dsisr");
        assertEquals(a.core.readSpr(Spr.CFAR), b.core.readSpr(Spr.CFAR), what + ": cfar");
        assertEquals(a.core.instructions(), b.core.instructions(), what + ": instructions");
        assertEquals(a.core.exitReason(), b.core.exitReason(), what + ": exit");
        byte[] ma = new byte[0x1000], mb = new byte[0x1000];
        for (int i = 0; i < ma.length; i++) {
            ma[i] = a.memory.readByte(DATA - 2048 + i);
            mb[i] = b.memory.readByte(DATA - 2048 + i);
        }
        assertArrayEquals(ma, mb, what + ": data memory");
        for (long x = C; x < C + 0x400; x += 4) {
            assertEquals(a.memory.readIntBE(x), b.memory.readIntBE(x), what + ": code memory");
        }
    }

    private static void compare(Mix mix, int seeds, long[] modes) {
        int compiledSomewhere = 0;
        for (int seed = 1; seed <= seeds; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed * 7919L + mix.ordinal());
            int length = 8 + rnd.nextInt(40);
            int[] code = new int[length + 1];
            for (int i = 0; i < length; i++) {
                code[i] = randomInstruction(rnd, mix, i, length);
            }
            code[length] = 0x4200_0000 | ((-length * 4) & 0xFFFC); // bdnz back to the start
            long msr = modes[seed % modes.length];
            TestMachine interpreted = machine(seed, msr, code, false);
            TestMachine compiled = machine(seed, msr, code, true);
            // Several runs with small budgets: entries at every kind of boundary, and the
            // budget cutting through compiled blocks.
            for (int run = 0; run < 6; run++) {
                long budget = 1 + rnd.nextInt(3 * length);
                int ea = interpreted.core.run(budget), eb = compiled.core.run(budget);
                String what = "mix " + mix + " seed " + seed + " run " + run;
                assertEquals(ea, eb, what + ": exit code");
                assertSameState(what, interpreted, compiled);
                if (ea != Exit.INSTRUCTION_LIMIT && ea != Exit.HYPERCALL) {
                    interpreted.core.setPc(interpreted.core.pc() + 4);
                    compiled.core.setPc(compiled.core.pc() + 4);
                }
                if (seed % 3 == 0) {
                    // The same code in the other address width: a translation is made for one mode
                    // and must not be entered in the other.
                    interpreted.core.setMsr(interpreted.core.msr() ^ Msr.SF);
                    compiled.core.setMsr(compiled.core.msr() ^ Msr.SF);
                }
            }
            if (compiled.cache.compiledRegions() > 0) {
                compiledSomewhere++;
            }
        }
        assertTrue(compiledSomewhere > seeds / 2, "translated only in " + compiledSomewhere + " of " + seeds);
    }

    private static final long[] MODES = {Msr.SF | Msr.ME, Msr.ME, Msr.SF | Msr.ME | Msr.LE, Msr.ME | Msr.LE};

    @Test
    void fixedPointSequencesAgree() {
        compare(Mix.FIXED_POINT, 300, MODES);
    }

    @Test
    void sequencesWithLoadsAndStoresAgree() {
        compare(Mix.WITH_MEMORY, 300, MODES);
    }

    @Test
    void sequencesWithConditionalBranchesAgree() {
        compare(Mix.WITH_BRANCHES, 300, MODES);
    }

    @Test
    void sequencesWithAnythingAgree() {
        compare(Mix.ANYTHING, 300, new long[] {Msr.SF | Msr.ME, Msr.SF | Msr.ME | Msr.PR | Msr.EE, Msr.ME | Msr.LE});
    }
}
