package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jvisor.hw.power.MmuRegisters;
import jvisor.hw.power.Msr;
import jvisor.hw.power.TlbControl;

/** A core on 1 MiB of identity-mapped memory, 64-bit big-endian privileged, with a hand-driven timebase. */
final class TestMachine {
    static final long CODE = 0x10000;
    static final int MEMORY = 1 << 20;

    final ByteMemory memory;
    final IdentityMmu mmu;
    final MmuRegisters regs = new MmuRegisters();
    final ReservationMonitor monitor;
    final DecodeCache cache;
    long now = 1000;
    final Core core;
    TlbControl tlb = TlbControl.NONE;

    TestMachine() {
        this(new ByteMemory(MEMORY), new ReservationMonitor(4), null);
    }

    /** A core on the given memory. */
    TestMachine(ByteMemory memory) {
        this(memory, new ReservationMonitor(4), null);
    }

    /** A second core on the same memory, monitor and decode cache as {@code other}. */
    TestMachine(TestMachine other) {
        this(other.memory, other.monitor, other.cache);
    }

    private TestMachine(ByteMemory memory, ReservationMonitor monitor, DecodeCache cache) {
        this.memory = memory;
        this.monitor = monitor;
        this.cache = cache != null ? cache : new DecodeCache(memory.size());
        this.mmu = new IdentityMmu(memory);
        TlbControl forward = new TlbControl() {
            @Override
            public int tlbie(long rb, long rs, int ric, int prs, int r, boolean local) {
                return tlb.tlbie(rb, rs, ric, prs, r, local);
            }

            @Override
            public void slbia(int ih) {
                tlb.slbia(ih);
            }
        };
        core = new Core(memory, mmu, regs, forward, () -> now, monitor, this.cache, 0);
        core.setMsr(Msr.SF | Msr.ME);
        core.setPc(CODE);
    }

    /** A machine that translates code on its translator thread once it ran twice. */
    static TestMachine translatedInTheBackground() {
        TestMachine t = new TestMachine();
        t.cache.setBackgroundTranslation(true);
        t.core.setJit(true);
        t.core.tiering().setThreshold(2);
        return t;
    }

    /**
     * A machine in mode {@code msr} that interprets ({@code jit} false) or translates hot code: a
     * quick region once code ran twice, its whole successor after 300 instructions.
     */
    static TestMachine upgrading(boolean jit, long msr) {
        TestMachine t = new TestMachine().msr(msr);
        t.core.setJit(jit);
        t.core.tiering().setThreshold(2);
        t.core.tiering().setUpgradeThreshold(300);
        return t;
    }

    TestMachine msr(long v) {
        core.setMsr(v);
        return this;
    }

    TestMachine gpr(int n, long v) {
        core.setGpr(n, v);
        return this;
    }

    /** Writes instruction words at {@code at} in the byte order of the current MSR[LE]. */
    TestMachine code(long at, int... words) {
        boolean le = (core.msr() & Msr.LE) != 0;
        for (int i = 0; i < words.length; i++) {
            if (le) {
                memory.writeIntLE(at + 4L * i, words[i]);
            } else {
                memory.writeIntBE(at + 4L * i, words[i]);
            }
        }
        cache.invalidateRange(at, 4L * words.length);
        return this;
    }

    /** Places the words at CODE, starts there, runs exactly that many instructions. */
    TestMachine exec(int... words) {
        code(CODE, words);
        core.setPc(CODE);
        int exit = core.run(words.length);
        assertEquals(Exit.INSTRUCTION_LIMIT, exit, () -> "exit " + Exit.name(exit) + " " + core.exitMessage());
        return this;
    }

    /** Places the words at CODE, starts there and runs up to {@code limit} instructions; returns the exit. */
    int runAt(long at, long limit, int... words) {
        code(at, words);
        core.setPc(at);
        return core.run(limit);
    }

    /** The decoded page holding {@code at}, in the byte order of the core's MSR (identity-mapped code). */
    DecodePage decodedPage(long at) {
        return cache.page(at >>> 12, (core.msr() & Msr.LE) != 0);
    }

    long r(int n) {
        return core.gpr(n);
    }

    int crField(int n) {
        return (core.cr() >>> (28 - 4 * n)) & 0xF;
    }

    long xer() {
        return core.xer();
    }
}
