package jvisor.hw.power.cpu;

import static java.lang.constant.ConstantDescs.CD_boolean;
import static jvisor.hw.power.cpu.RegionCompiler.*;

import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.util.Arrays;

/**
 * The loads, stores and dcbz a region's bytecode performs itself (the rest of {@link
 * RegionEmitter}'s instructions are calls, fixed-point code or control flow): the effective
 * address, the data cache's lookup and the access, and, in a whole region's short loops, the page
 * each access touched last (its memo). A miss jumps to a label the emitter gives, where the region
 * leaves for the interpreter to perform the access.
 */
final class RegionMemory {
    private final CodeBuilder code;
    private final Region r;
    private final RegionFixedPoint fx;
    private final boolean littleEndian;
    /**
     * The slots of a whole region that load or store inside one of its loops ({@link #memoSlots}),
     * in the order of their locals of the page each touched last ({@link #memoLocals}).
     */
    private final int[] remembering;

    RegionMemory(CodeBuilder code, Region r, RegionFixedPoint fx, boolean littleEndian) {
        this.code = code;
        this.r = r;
        this.fx = fx;
        this.littleEndian = littleEndian;
        remembering = r.whole() && MEMOS ? memoSlots(r) : new int[0];
    }

    /** At the region's entry: no memo holds a page yet (no offset is below Long.MIN_VALUE). */
    void forgetPages() {
        for (int k = 0; k < remembering.length; k++) {
            int m = memoLocalsOf(k);
            code.lconst_0().lstore(m + MEMO_PAGE).lconst_0().lstore(m + MEMO_ADDEND)
                    .ldc(Long.MIN_VALUE).lstore(m + MEMO_SPAN);
        }
    }

    /** The first of the locals of slot s's memo ({@link #remembered}), or 0 if it has none. */
    private int memoLocals(int s) {
        for (int k = 0; k < remembering.length; k++) {
            if (remembering[k] == s) {
                return memoLocalsOf(k);
            }
        }
        return 0;
    }

    /** The first local of the k-th memo. */
    private static int memoLocalsOf(int k) {
        return MEMO_BASE + k * MEMO_LOCALS;
    }

    /**
     * The form of a load or store the region emits inline ({@link #access}): one of one to eight
     * bytes into or from a GPR, in the D, DS or X form, plain or with update, not byte-reversed;
     * null for any other operation (which is a call to its body).
     */
    static LoadStoreForm inlineForm(int op) {
        LoadStoreForm f = LoadStoreForm.ofOp(op);
        return f == null || f.floatingPoint() || f.byteReversed() || spec(op).facility() != Facility.NONE ? null : f;
    }

    /**
     * A load or store of the inline form {@code f} (word w, at span index s): its effective address
     * into EA, then the access, going to {@code slow} where the data cache misses (the emitter's
     * way out to the interpreter) and to {@code done} where it hit, a load's value in VALUE.
     */
    void access(int s, LoadStoreForm f, int w, Label slow, Label done) {
        boolean store = f.store();
        int len = f.length();
        int rt = FixedPoint.rt(w), ra = FixedPoint.ra(w);
        fx.raOrZero(ra);
        switch (f.addressing()) {
            case D -> code.ldc((long) (short) w);
            case DS -> code.ldc((long) (short) (w & 0xFFFC));
            case X -> fx.get(FixedPoint.rb(w));
        }
        code.ladd();
        fx.andMask();
        code.lstore(EA);
        String access = switch (len) {
            case 1 -> "Byte";
            case 2 -> littleEndian ? "HalfLE" : "HalfBE";
            case 4 -> littleEndian ? "WordLE" : "WordBE";
            default -> littleEndian ? "DoubleLE" : "DoubleBE";
        };
        if (!r.whole()) {
            quickMemory(store, f.update(), access, rt, ra, slow, done);
        } else {
            wholeMemory(s, store, f.update(), access, len, rt, ra, slow, done);
        }
    }

    /** After an access's hit ({@link #access}): a load's value into RT, sign-extended where algebraic, and RA updated. */
    void accessed(LoadStoreForm f, int w) {
        if (f.store()) {
            return;
        }
        code.lload(VALUE);
        if (f.algebraic()) {
            code.l2i();
            if (f.length() == 2) {
                code.i2s();
            }
            code.i2l();
        }
        fx.put(FixedPoint.rt(w));
        if (f.update()) {
            code.lload(EA);
            fx.put(FixedPoint.ra(w));
        }
    }

    /**
     * dcbz on a block of a page the data cache holds for writing, as a store is: the sixteen
     * doublewords zeroed in place (C2 inlines them in a whole region; a quick one makes one call of
     * {@link QuickAccess#zeroBlock}); a miss goes to {@code slow}, where the region leaves for the
     * interpreter, whose body translates, fills the cache or faults. Called as a body, each dcbz
     * wrote the region's registers back and loaded them again around the call.
     */
    void zeroBlock(int w, Label slow, Label done) {
        fx.raOrZero(FixedPoint.ra(w));
        fx.get(FixedPoint.rb(w));
        code.ladd();
        fx.andMask();
        code.ldc(-128L).land().lstore(EA);
        if (!r.whole()) {
            code.aload(UNIT).lload(EA).invokestatic(QUICK_ACCESS, "zeroBlock", QUICK_ZERO).ifeq(slow).goto_(done);
        } else {
            cachedHost(true, 128, slow);
            code.invokestatic(LSU, "zeroBlock", ZERO_BLOCK);
            storedCached(128);
            code.goto_(done);
        }
    }

    /** A quick region's access at EA: one call of {@link QuickAccess}, to {@code slow} on a miss, else to {@code done}. */
    private void quickMemory(boolean store, boolean update, String access, int rt, int ra, Label slow, Label done) {
        code.aload(UNIT).lload(EA);
        if (store) {
            fx.get(rt);
            code.invokestatic(QUICK_ACCESS, "store" + access, QUICK_STORE).ifeq(slow);
            if (update) {
                code.lload(EA);
                fx.put(ra);
            }
            code.goto_(done);
        } else {
            code.invokestatic(QUICK_ACCESS, "load" + access, QUICK_LOAD).lstore(VALUE)
                    .aload(UNIT).getfield(LSU, "quickMiss", CD_boolean).ifeq(done)
                    .aload(UNIT).iconst_0().putfield(LSU, "quickMiss", CD_boolean).goto_(slow);
        }
    }

    /**
     * A whole region's access at EA: the data cache's lookup, the access and a store's report,
     * each a call that C2 inlines; to {@code slow} on a miss, else to {@code done}.
     */
    private void wholeMemory(int s, boolean store, boolean update, String access, int len, int rt, int ra, Label slow, Label done) {
        int m = memoLocals(s);
        if (m != 0) {
            remembered(m, store, len, slow);
        } else {
            // The hit: the core's cache tag check and one access to the page's bytes, inline.
            cachedHost(store, len, slow);
        }
        if (store) {
            fx.get(rt);
            code.invokestatic(LSU, "put" + access, PUT);
            if (update) {
                // The store is done: RA takes the address before the region may stop below.
                code.lload(EA);
                fx.put(ra);
            }
            // A store the cache holds writes no decoded page, so not this region's own.
            storedCached(len);
        } else {
            code.invokestatic(LSU, "get" + access, GET).lstore(VALUE);
        }
        code.goto_(done);
    }

    // ---- the pages a whole region's loops last touched ----

    /**
     * Locals of a memory slot's memo, from its first: Long.MIN_VALUE minus the effective address
     * of the page it last touched; the host address of that page minus its effective address
     * (QEMU's "addend"); and Long.MIN_VALUE plus the number of offsets an access of its length
     * may start at inside the page (4097 - length), or Long.MIN_VALUE alone while there is no
     * page to remember.
     */
    static final int MEMO_PAGE = 0, MEMO_ADDEND = 2, MEMO_SPAN = 4, MEMO_LOCALS = 6;
    /** Whether whole regions get memos (default: the system property jvisor.jit.memo, true). */
    static final boolean MEMOS = Boolean.parseBoolean(System.getProperty("jvisor.jit.memo", "true"));
    /** The most memory slots of one region that get a memo (each takes six local slots). */
    static final int MAX_MEMOS = 8;
    /** The longest loop (in slots from its head to its backward branch) whose accesses get memos. */
    static final int MEMO_LOOP_SLOTS = 64;

    /**
     * The span indexes of a whole region's loads and stores that get a memo: those of its loops
     * that a conditional branch closes backwards (bc, bdnz: a compiled loop's bottom test; a
     * backward b is as often a tail call to a function placed before the caller) within
     * {@link #MEMO_LOOP_SLOTS} slots and that call nothing, in address order, at most {@link #MAX_MEMOS}.
     * Each memo is three longs live across the loop: in the bench's calls guest, whose regions
     * hold many small functions that branch to each other backwards, memos for every access
     * under a backward branch took its run from 1.1 to 1.6 s (C2 spilled them around everything);
     * a memo pays in a loop that runs many times an entry without leaving for a body.
     */
    static int[] memoSlots(Region r) {
        boolean[] inLoop = new boolean[SPAN];
        for (int b = 0; b < SPAN; b++) {
            if (!r.in()[b] || r.op(b) != Op.BC || (r.word(b) & 1) != 0) {
                continue;
            }
            int t = spanTarget(b, r.op(b), r.word(b));
            if (t >= 0 && t <= b && r.in()[t] && b - t < MEMO_LOOP_SLOTS && !calls(r, t, b)) {
                for (int k = t; k <= b; k++) {
                    inLoop[k] = true;
                }
            }
        }
        int[] slots = new int[MAX_MEMOS];
        int n = 0;
        for (int g = 0; g < SPAN && n < MAX_MEMOS; g++) {
            if (inLoop[g] && r.in()[g] && inlineForm(r.op(g)) != null) {
                slots[n++] = g;
            }
        }
        return Arrays.copyOf(slots, n);
    }

    /** Whether slots t to b of the region's span hold a call (a branch that sets LR). */
    private static boolean calls(Region r, int t, int b) {
        for (int k = t; k <= b; k++) {
            int op = r.op(k);
            if (r.in()[k] && (isDirectBranch(op) || op == Op.BCLR || op == Op.BCCTR) && (r.word(k) & 1) != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * A whole region's access in a loop: the host address of the {@code len} bytes at EA pushed,
     * through the page the same instruction touched last while all of them lie in it (one add
     * and one compare), else through the data cache ({@link #cachedHost}, to {@code slow} on a
     * miss), whose page it then remembers. A remembered page is one the core's data cache still
     * holds: the cache changes only on the core's own thread, between runs of the region (other
     * threads' flushes wait for the run loop) or through an instruction that changes translations
     * or the MSR, and every such instruction ends the region ({@link Flow#ENDS}, {@link
     * Flow#SPR_CONTEXT}); the memos start empty at each entry. (A store through a remembered
     * page is not checked against code another core decoded meanwhile: as with a store racing
     * with the first decode of its page, such code is only certain to be seen after the icbi the
     * writer must issue.) In mpihelp_submul_1's loop, two loads and a store a limb, a C2-compiled
     * access took some 24 host instructions through the cache, with two array bounds checks.
     */
    private void remembered(int m, boolean store, int len, Label slow) {
        Label refill = code.newLabel(), found = code.newLabel();
        code.lload(EA).lload(m + MEMO_PAGE).ladd().lload(m + MEMO_SPAN).lcmp().ifge(refill);
        code.lload(EA).lload(m + MEMO_ADDEND).ladd().goto_(found);
        code.labelBinding(refill);
        cachedHost(store, len, slow);
        code.dup2().lload(EA).lsub().lstore(m + MEMO_ADDEND);
        code.ldc(Long.MIN_VALUE).lload(EA).ldc(~0xFFFL).land().lsub().lstore(m + MEMO_PAGE);
        code.ldc(Long.MIN_VALUE + 4097 - len).lstore(m + MEMO_SPAN);
        code.labelBinding(found);
    }

    /**
     * A whole region's look at the data cache for the {@code len} bytes at EA: to {@code slow}
     * unless it holds their page for reading ({@code store} false) or writing, else the host
     * address of the bytes pushed.
     */
    private void cachedHost(boolean store, int len, Label slow) {
        code.aload(UNIT).lload(EA).ldc(len)
                .invokevirtual(LSU, store ? "writeMiss" : "readMiss", HOST_LOOKUP).lconst_0().lcmp().ifne(slow);
        code.aload(UNIT).lload(EA).invokevirtual(LSU, store ? "writeAddress" : "readAddress", GET);
    }

    /** A whole region's store of {@code len} bytes at EA through the data cache, told to the cache. */
    private void storedCached(int len) {
        code.aload(UNIT).lload(EA).ldc(len).invokevirtual(LSU, "storedCached", STORED);
    }
}
