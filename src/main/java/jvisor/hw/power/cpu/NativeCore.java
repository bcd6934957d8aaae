package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.NativeTier.BUDGET;
import static jvisor.hw.power.cpu.NativeTier.CA;
import static jvisor.hw.power.cpu.NativeTier.CA32;
import static jvisor.hw.power.cpu.NativeTier.CFAR;
import static jvisor.hw.power.cpu.NativeTier.CODE_EPOCH;
import static jvisor.hw.power.cpu.NativeTier.COUNT;
import static jvisor.hw.power.cpu.NativeTier.CR;
import static jvisor.hw.power.cpu.NativeTier.CTR;
import static jvisor.hw.power.cpu.NativeTier.EA;
import static jvisor.hw.power.cpu.NativeTier.EXIT;
import static jvisor.hw.power.cpu.NativeTier.JUMPS;
import static jvisor.hw.power.cpu.NativeTier.JUMP_EPOCH;
import static jvisor.hw.power.cpu.NativeTier.LR;
import static jvisor.hw.power.cpu.NativeTier.MODE;
import static jvisor.hw.power.cpu.NativeTier.RESERVED;
import static jvisor.hw.power.cpu.NativeTier.SO;

import java.lang.foreign.MemorySegment;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jvisor.hw.power.Msr;

/**
 * One core's side of the native tier ({@link NativeTier}): whether it runs blocks, the call into
 * them from its run loop (the state copied into the GPR array's tail and back), its jump cache's
 * page filter, and its counts. The run loop asks {@link #step} where it would interpret a branch
 * target; everything else here is off that path.
 */
public final class NativeCore {
    private final Core core;
    /** Whether warm branch targets become native blocks; only with translation on. */
    boolean on;
    /** Why the last call returned ({@link NativeTier#BRANCHED}, {@link NativeTier#BAILED}, {@link NativeTier#HOT}). */
    int exit;
    /** The last call bailed: the interpreter is at the instruction the block stopped before. */
    boolean afterBail;
    /** Instructions blocks ran, and calls into them. */
    long ran, calls;
    /**
     * The MSR bits that decide which block a guest address leads to (IR, PR, HV, SF, LE), as a
     * number below 2^{@link #MODE_BITS}: a jump-cache entry holds the epoch and this mode it was
     * made in, and serves only in both. A change of mode (every system call and interrupt from
     * problem state, and the return) used to move the epoch, which emptied every core's jump
     * cache; entries of the mode a core comes back to now serve again.
     */
    private long mode;
    private static final int MODE_BITS = 5;

    /** The core's MSR is now {@code msr}. */
    void modeChanged(long msr) {
        mode = ((msr & Msr.IR) != 0 ? 1 : 0) | ((msr & Msr.PR) != 0 ? 2 : 0) | ((msr & Msr.HV) != 0 ? 4 : 0)
                | ((msr & Msr.SF) != 0 ? 8 : 0) | ((msr & Msr.LE) != 0 ? 16 : 0);
    }

    /** The pages of guest addresses in the jump cache ({@link #forgetJumps}), and of which epoch. */
    private final long[] jumpPages = new long[NativeTier.JUMP_PAGE_BITS / 64];
    private long jumpPagesEpoch;
    /** The GPR array and the data cache's entries as the call takes them (made once, not per call). */
    private MemorySegment gprs, cache;
    private static boolean warned;

    NativeCore(Core core) {
        this.core = core;
        synchronized (CORES) {
            CORES.removeIf(r -> r.get() == null);
            CORES.add(new WeakReference<>(this));
        }
    }

    /** Every core's (of every machine in this JVM), for the code area's turns ({@link NativeTier}). */
    private static final List<WeakReference<NativeCore>> CORES = new ArrayList<>();

    static List<NativeCore> all() {
        synchronized (CORES) {
            List<NativeCore> live = new ArrayList<>(CORES.size());
            for (WeakReference<NativeCore> r : CORES) {
                NativeCore c = r.get();
                if (c != null) {
                    live.add(c);
                }
            }
            return live;
        }
    }

    /** {@link #inside} while the core is not in its run loop. */
    static final int OUTSIDE = -1;
    /**
     * The code area's generation when the core last entered its run loop, or {@link #OUTSIDE}:
     * a core in its run loop may be running blocks of that generation or a later one, no older.
     * Written at each entry and exit of the run loop (once a slice), read by the core that turns
     * the area ({@link NativeTier}).
     */
    volatile int inside = OUTSIDE;

    /** The run loop begins a slice. */
    void enter() {
        inside = NativeTier.generation();
    }

    /** The run loop ended its slice: no block of this core runs until the next {@link #enter}. */
    void leave() {
        inside = OUTSIDE;
    }

    /** The tier on where the system property jvisor.native (true by default) and the host allow. */
    void enableByDefault() {
        if (!NativeTier.DEFAULT) {
            return;
        }
        if (NativeTier.HOST_PROBLEM == null) {
            enable();
            return;
        }
        synchronized (NativeCore.class) {
            if (NativeTier.ASKED && !warned) {
                warned = true;
                System.err.println("jvisor: " + NativeTier.HOST_PROBLEM + "; interpreting instead");
            }
        }
    }

    /** Blocks on: the GPR array grows to hold the tier's state; the code area is made at the first block. */
    void enable() {
        if (core.gpr.length < NativeTier.STATE_LENGTH) {
            core.gpr = Arrays.copyOf(core.gpr, NativeTier.STATE_LENGTH);
        }
        gprs = MemorySegment.ofArray(core.gpr);
        cache = MemorySegment.ofArray(core.lsu.readArray());
        on = true;
        core.tiering().setNativeHeat(NativeTier.HEAT);
    }

    void disable() {
        on = false;
        core.tiering().setNativeHeat(0);
    }

    /**
     * Turns the tier on or off for this core (default: the system property jvisor.native).
     * Throws UnsupportedOperationException, with the reason, on a host the tier cannot run on.
     */
    public void setEnabled(boolean enabled) {
        if (!enabled) {
            disable();
            return;
        }
        String problem = NativeTier.problem();
        if (problem != null) {
            throw new UnsupportedOperationException(problem);
        }
        enable();
    }

    /** Guest instructions this core ran in native blocks. */
    public long instructions() {
        return ran;
    }

    /** Times the run loop called native code (each call runs one block or a chain of them). */
    public long entries() {
        return calls;
    }

    /**
     * Runs the block at slot s of the page (guest address at) and those it goes on to, within the
     * run loop's {@code budget} and, but for the last block's overshoot of at most
     * {@link NativeBlockWriter#MAX_INSTRUCTIONS}, its countdown to the next event poll; -1 if the
     * slot has no block (yet). Otherwise the count run, the core's pc the next instruction's, and
     * {@link #exit} and {@link #afterBail} why it returned.
     */
    int step(DecodePage page, int s, long at, long budget, int poll) {
        // The epoch is read before the block is looked up: the call then reaches blocks of the
        // generation in the epoch or a later one, and its own goes into the jump cache under it.
        // If it moved meanwhile (this core turned the code area while writing the block, or any
        // other unchain), the interpreter goes on this time: a call never runs under an epoch
        // older than a turn this core made, which is why the turning core needs no check of its own.
        long epoch = NativeTier.epoch();
        long code = NativeTier.blockAt(core, page, s);
        if (code <= NativeTier.WANTED || NativeTier.epoch() != epoch) {
            return -1;
        }
        long allowed = Math.min(Math.min(budget, Math.max((long) poll + 1, NativeBlockWriter.MAX_INSTRUCTIONS)), NativeTier.MAX_RUN);
        int n = run(code, at, allowed, epoch);
        ran += n;
        calls++;
        if (exit == NativeTier.HOT) {
            reportHeat();
        }
        afterBail = exit == NativeTier.BAILED;
        return n;
    }

    private int run(long code, long ea, long budget, long epoch) {
        Core c = core;
        long[] g = c.gpr;
        g[32 + CR] = c.cr & 0xFFFF_FFFFL;
        g[32 + CTR] = c.ctr;
        g[32 + LR] = c.lr;
        g[32 + SO] = c.so;
        g[32 + CA] = c.ca;
        g[32 + CA32] = c.ca32;
        g[32 + CFAR] = c.sprs[Spr.CFAR];
        g[32 + MODE] = c.lsu.modeBits();
        g[32 + CODE_EPOCH] = c.decodeCache.codeEpoch();
        g[32 + RESERVED] = c.reservations.storeMayBreakAReservation() ? 1 : 0;
        g[32 + EA] = ea;
        g[32 + COUNT] = 0;
        g[32 + BUDGET] = budget;
        long key = epoch << MODE_BITS | mode;
        g[32 + JUMP_EPOCH] = key;
        if (jumpPagesEpoch != epoch) {
            Arrays.fill(jumpPages, 0L);
            jumpPagesEpoch = epoch;
        }
        int h = NativeTier.pageHash(ea >>> 12);
        jumpPages[h >>> 6] |= 1L << h;
        int j = 32 + JUMPS + 3 * NativeTier.jumpIndex(ea);
        g[j] = ea;
        g[j + 1] = key;
        g[j + 2] = code;
        c.pc = NativeTier.call(gprs, cache, code);
        c.cr = (int) g[32 + CR];
        c.ctr = g[32 + CTR];
        c.lr = g[32 + LR];
        c.ca = (int) g[32 + CA];
        c.ca32 = (int) g[32 + CA32];
        c.sprs[Spr.CFAR] = g[32 + CFAR];
        exit = (int) g[32 + EXIT];
        return (int) g[32 + COUNT];
    }

    /** A block at pc reached its heat report: the region tiers count it. */
    private void reportHeat() {
        DecodePage page = core.fetchedPage(core.pc);
        if (page != null) {
            core.tiering().heat(page, (int) (core.pc & 0xFFF) >>> 2, NativeTier.HOT_WEIGHT, core.addrMask);
        }
    }

    /**
     * A tlbie of the page of {@code 1 << pageShift} bytes at {@code ea} (the kernel's most common
     * form, some 100,000 in a Linux boot): the jump caches forget everything only if this core's
     * may hold a block in that page. The filter has a bit per hash of the 4 KiB pages of the guest
     * addresses the jump cache took since the epoch last moved, never cleared otherwise, so it may
     * say yes wrongly but never no; the kernel's tlbies are nearly all of data pages.
     */
    void forgetJumps(long ea, int pageShift) {
        if (!on || jumpPagesEpoch != NativeTier.epoch()) {
            return; // nothing this core's jump cache holds is of the current epoch
        }
        int pages = pageShift <= 12 ? 1 : pageShift >= 24 ? -1 : 1 << (pageShift - 12);
        if (pages < 0) {
            NativeTier.unchain();
            return;
        }
        long first = (ea >>> pageShift) << (pageShift - 12);
        for (int k = 0; k < pages; k++) {
            int h = NativeTier.pageHash(first + k);
            if ((jumpPages[h >>> 6] & (1L << h)) != 0) {
                NativeTier.unchain();
                return;
            }
        }
    }
}
