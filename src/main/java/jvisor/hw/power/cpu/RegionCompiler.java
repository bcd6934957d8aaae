package jvisor.hw.power.cpu;

import static java.lang.constant.ConstantDescs.CD_boolean;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_long;
import static java.lang.constant.ConstantDescs.CD_void;
import static jvisor.hw.power.cpu.Op.B;

import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.instruction.SwitchCase;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.AccessFlag;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import jvisor.memory.RealMemory;

/**
 * Translates hot guest code of one decoded page into a {@link CompiledRegion}: JVM bytecode that
 * HotSpot compiles to native code.
 *
 * <p>The region is what is reachable from the entry slot inside the page through fall-through and
 * direct relative branches, up to {@link #MAX_INSTRUCTIONS}, short of the entries of regions the
 * page already has for the mode: where the code reaches one, the region leaves for it through the
 * dispatcher instead of holding a copy (see {@link Region#discover}; a whole region, below, holds one). The common simple instructions are
 * bytecode over the core's GPR array (whose elements HotSpot keeps in machine registers along
 * the code) and JVM locals for CR, CTR, CFAR, XER[SO] and XER[CA, CA32] (loaded on entry, written back before any
 * body call and on every way out); the rest are calls to the body the interpreter runs for them (its
 * declaration's {@link BodyCall}) with the instruction word as a constant. Which instructions end
 * a region, never fault or store comes from the declaration's {@link Flow}. Loads and stores test
 * the core's data translation cache (a whole region's code through calls C2 inlines, a quick
 * region's through one call of {@link QuickAccess}) and, on a miss, leave the region at the access
 * for the interpreter to perform it, so translated code never calls into the MMU; sync, lwsync, eieio and isync are the fences of
 * {@link MemoryBarrier} inline. Control flow between the region's basic blocks is plain
 * bytecode jumps. What leaves the region (indirect branches, branches out of the page,
 * instructions that change the MSR, translation or SPR context, a store that hits the page
 * itself) returns to the core's dispatcher.
 *
 * <p>A region is translated twice when it runs hot. First as a quick region (a class named
 * GuestRegionQuick, which the launcher's compiler directives keep from HotSpot's C2: C1 compiles
 * it in a few milliseconds); once it has run {@link Tiering#setUpgradeThreshold some 4M}
 * instructions, again as a GuestRegion, which C2 compiles, and that takes the quick one's place.
 * C2 spent some 20 ms on each region of a Linux boot, and only a sixth of them ever ran that
 * much; on a host with two cores the compiler's time is taken from the guest's.
 *
 * <p>The second translation is a whole region: code that ran that much is worth a larger
 * translation, so its walk does not stop at the entries of the page's other regions (it holds a
 * copy of their code, which they keep running when the dispatcher enters them), it takes in the
 * return point of every call (the slot after a branch with LK=1) and the slot after a conditional
 * bclr or bcctr, and it translates bclr and bcctr itself: a taken one whose target is one of its
 * entries in the same page jumps there (after the allowance check a loop head makes) instead of
 * leaving. A call to a function on the page and its return, or a call through a pointer to one,
 * then stay inside the region. Quick regions keep the narrower walk: C1's time grows with the code,
 * and a walk like this one doubled C1's time in a cold Linux boot. The bench's calls guest (jvisor
 * in the bench's JVM, best of 3): 1.63 -> 1.28 s, its run loop entries 120 M -> 90 M; a cold Linux
 * boot, whose upgraded regions are few: level (8 pairs: wall 1.001 +- 0.012, CPU 0.987 +- 0.013).
 *
 * <p>A whole region's walk also goes on into the pages just before and after its own in effective
 * addresses, as the core fetched them when the quick region was found hot (the decoded pages its
 * fetch cache held for them: {@link CompiledRegion#neighbours}): a call to a function on the next
 * page and the return from it stay inside too. Code is indexed over the three pages
 * ({@link #SPAN}, the region's own from {@link #ORIGIN}); only the region's own page has entries.
 * Control enters a neighbour's code only through a check that the core still fetches that address
 * from the same decoded page, unchanged since the region was made (the mapping, the MSR or the
 * code may have changed since); where the check fails the region leaves for the dispatcher. The
 * region's own page needs no such check: it was entered through it, and anything that changes
 * its translation ends the region. A store a body makes from a neighbour's code checks both
 * pages. The calls guest: run loop entries 90 M -> 43 M, the vCPU thread's time some 20% lower,
 * C2's about doubled (the regions are larger); in the bench's JVM 1.26-1.27 -> 1.16-1.25 s; cold
 * Linux level (8 pairs: wall 1.002 +- 0.008). Where a call's target is an ELFv2 function's local
 * entry, the global entry two instructions before it (addis r2 and addi r2,r2: the TOC set-up)
 * is an entry too, for calls through a pointer (bctrl) land there: the calls guest's run loop
 * entries 37-43 M -> 27 M, in the bench's JVM 1.01-1.13 s; cold Linux level (6 pairs: wall 0.992
 * +- 0.005). A taken bclr or bcctr resolves its target among the blocks of all three pages (a
 * neighbour's after the same check as a jump into it), in one block the region's indirect
 * branches share: the calls guest 0.92-0.96 s in the bench's JVM (ratio to QEMU 1.51-1.55);
 * cold Linux level (6 pairs: wall 1.007 +- 0.015, CPU 0.995 +- 0.015).
 *
 * <p>Instruction accounting matches the interpreter: a region is entered only with at least as
 * much allowance as it has instructions, and every cycle in it passes a block that is the target
 * of a backward branch (a loop head), so the allowance is checked only there, for that much
 * again; each basic block of length L charges L up front, and an instruction that faults hands
 * back the charge for the ones after it. (A check at every block was a branch the guest takes
 * only at the end of a time slice: HotSpot compiled it as never taken and, the first time it was,
 * threw the region's native code away and compiled it again: some 20 times in a Linux boot.)
 * The allowance itself (the smaller of the budget and the dispatcher's compiled slice, 4096
 * instructions) bounds the time between the dispatcher's event checks, so a region reads nothing
 * another thread writes to know when to stop: it once read the core's volatile attention flag at
 * every loop head, and a volatile read is a barrier HotSpot does not move memory accesses across,
 * so every guest register the loop used was loaded from the core's array again at each iteration.
 * Without it (bench guests in the bench's JVM, best of 3): alu 0.820 -> 0.768 s, sieve 0.507 ->
 * 0.465 s. A request from another thread now waits for the end of the slice, microseconds.
 */
final class RegionCompiler {
    /** Bounds the generated method well below HotSpot's limit for compiling a method at all. */
    static final int MAX_INSTRUCTIONS = 96;

    static final int SLOTS = DecodePage.SLOTS;
    /**
     * A region's code is indexed over three pages of effective addresses: the page before its
     * own, its own (from ORIGIN) and the one after; only a whole region holds code outside its own.
     */
    static final int ORIGIN = SLOTS, SPAN = 3 * SLOTS;
    static final ClassDesc CORE = ClassDesc.of("jvisor.hw.power.cpu.Core");
    static final ClassDesc LONG_CLASS = ConstantDescs.CD_Long;
    static final ClassDesc LSU = ClassDesc.of("jvisor.hw.power.cpu.LoadStoreUnit");
    static final ClassDesc QUICK_ACCESS = ClassDesc.of("jvisor.hw.power.cpu.QuickAccess");
    static final ClassDesc CONDITION_REGISTER = ClassDesc.of("jvisor.hw.power.cpu.ConditionRegister");
    static final ClassDesc PAGE = ClassDesc.of("jvisor.hw.power.cpu.DecodePage");
    static final ClassDesc REGION = ClassDesc.of("jvisor.hw.power.cpu.CompiledRegion");
    static final ClassDesc EXECUTOR = ClassDesc.of("jvisor.hw.power.cpu.Executor");
    static final ClassDesc GENERATED = ClassDesc.of("jvisor.hw.power.cpu.GuestRegion"),
            GENERATED_QUICK = ClassDesc.of("jvisor.hw.power.cpu.GuestRegionQuick");
    static final ClassDesc MAKING = ClassDesc.of("jvisor.hw.power.cpu.CompiledRegion$Making");
    static final MethodTypeDesc INIT = MethodTypeDesc.of(CD_void, MAKING),
            SUPER_INIT = MethodTypeDesc.of(CD_void, MAKING, CD_int, CD_int, CD_boolean),
            CLASS_DATA = MethodTypeDesc.of(ConstantDescs.CD_Object, ConstantDescs.CD_MethodHandles_Lookup,
                    ConstantDescs.CD_String, ConstantDescs.CD_Class),
            LIST_GET = MethodTypeDesc.of(ConstantDescs.CD_Object, CD_int),
            LOOKUP_OF_CALLER = MethodTypeDesc.of(ConstantDescs.CD_MethodHandles_Lookup);
    static final MethodTypeDesc FETCHED_PAGE = MethodTypeDesc.of(PAGE, CD_long);
    static final MethodTypeDesc RUN = MethodTypeDesc.of(CD_int, CORE, CD_int, CD_long);
    static final MethodTypeDesc EXECUTE = MethodTypeDesc.of(CD_int, CORE, CD_int, CD_int),
            UNAVAILABLE = MethodTypeDesc.of(CD_int, CORE, CD_int);
    static final MethodTypeDesc LONG_INT = MethodTypeDesc.of(CD_long, CD_long, CD_int),
            LONG_LONG = MethodTypeDesc.of(CD_long, CD_long, CD_long),
            CARRIES = MethodTypeDesc.of(CD_long, CD_long, CD_long, CD_long),
            COMPARE = MethodTypeDesc.of(CD_int, CD_long, CD_long, CD_int),
            COMPARE_IMMEDIATE = MethodTypeDesc.of(CD_int, CD_long, CD_int),
            CR_FIELD = MethodTypeDesc.of(CD_int, CD_int, CD_int, CD_int),
            CR0 = MethodTypeDesc.of(CD_int, CD_int, CD_long, CD_long, CD_int),
            HOST_LOOKUP = MethodTypeDesc.of(CD_long, CD_long, CD_int),
            GET = MethodTypeDesc.of(CD_long, CD_long),
            PUT = MethodTypeDesc.of(CD_void, CD_long, CD_long),
            STORED = MethodTypeDesc.of(CD_void, CD_long, CD_int),
            QUICK_LOAD = MethodTypeDesc.of(CD_long, LSU, CD_long),
            QUICK_STORE = MethodTypeDesc.of(CD_boolean, LSU, CD_long, CD_long),
            QUICK_ZERO = MethodTypeDesc.of(CD_boolean, LSU, CD_long),
            ZERO_BLOCK = MethodTypeDesc.of(CD_void, CD_long),
            LOAD_SLOW = MethodTypeDesc.of(CD_long, CD_long, CD_int),
            STORE_SLOW = MethodTypeDesc.of(CD_void, CD_long, CD_int, CD_long);
    static final ClassDesc LONGS = CD_long.arrayType();
    static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

    // Local variable slots of the generated run method: the arguments, the allowance left, the
    // page's effective address, the result code, the address mask of the mode, then the guest
    // state kept in locals (CR, CTR, CFAR), two scratch longs, XER[SO] (read only), the core's
    // load/store unit, the core's GPR array, a scratch long, XER[CA] and XER[CA32], and the sum of
    // a carrying add.
    static final int THIS = 0, CORE_ARG = 1, SLOT_ARG = 2, LEFT = 3, BASE = 5, RESULT = 7, UNIT = 8, GPRS = 9,
            CR = 10, CTR = 11, CFAR = 13, EA = 15, VALUE = 17, SO = 19, SCRATCH = 22,
            CA = 24, CA32 = 25, SUM = 26, MEMO_BASE = 28;
    /** Bytecode size past which HotSpot would not compile the method (DontCompileHugeMethods: 8000). */
    static final int MAX_CODE_BYTES = 7600;

    private RegionCompiler() {
    }

    /** A translated region and the slots it can be entered at. */
    record Translation(CompiledRegion region, int[] entries, boolean loops) {
        /** Whether the translation can be entered at {@code slot}. */
        boolean entersAt(int slot) {
            for (int entry : entries) {
                if (entry == slot) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Translates the region entered at {@code entry}, as a quick region, or to take the place of
     * {@code replacing} (a quick region that ran hot) as one C2 may compile; null if the page
     * changed meanwhile or the class could not be defined (the interpreter then simply keeps
     * running the code, or the quick region stays).
     */
    static Translation translate(DecodePage page, int entry, RealMemory memory, long addrMask, CompiledRegion replacing) {
        // The pages' frames are held while the translation reads them: on the translator thread,
        // a page the guest gave up meanwhile may already be free, or another guest's. A whole
        // region also reads the pages around its own that the core fetched from when its quick
        // region was found hot ({@link CompiledRegion#neighbours}); one that cannot be held, or
        // is of the other byte order, is left out.
        DecodePage[] pages = {null, page, null};
        if (replacing != null && replacing.neighbours != null) {
            for (int k : new int[] {0, 2}) {
                DecodePage n = replacing.neighbours[k];
                if (n != null && n != page && n.littleEndian == page.littleEndian && memory.pinPage(n.realBase)) {
                    pages[k] = n;
                }
            }
        }
        try {
            if (!memory.pinPage(page.realBase)) {
                return null;
            }
            try {
                return translatePinned(pages.clone(), entry, memory, addrMask, replacing);
            } finally {
                memory.unpinPage(page.realBase);
            }
        } finally {
            for (int k : new int[] {0, 2}) {
                if (pages[k] != null) {
                    memory.unpinPage(pages[k].realBase);
                }
            }
        }
    }

    private static Translation translatePinned(DecodePage[] pages, int entry, RealMemory memory, long addrMask,
                                               CompiledRegion replacing) {
        DecodePage page = pages[1];
        int generation = page.generation;
        int[] generations = {pages[0] == null ? 0 : pages[0].generation, generation, pages[2] == null ? 0 : pages[2].generation};
        for (int k : new int[] {0, 2}) {
            // A retired page is never invalidated again, so its generation could not tell that its
            // memory changed: its code is left out. (Read after the generation: a page retired
            // later has another one, and the region's check at the entry to its code fails.)
            if (pages[k] != null && pages[k].retired) {
                pages[k] = null;
            }
        }
        boolean quick = replacing == null;
        Region r = null;
        Emitted emitted = null;
        for (int limit = MAX_INSTRUCTIONS; emitted == null; limit /= 2) {
            r = Region.discover(pages, entry, memory, limit, addrMask, replacing);
            Usage usage = emit(r, generations, page.littleEndian, addrMask, Usage.everything(), entry, quick, true).usage();
            Emitted e = emit(r, generations, page.littleEndian, addrMask, usage, entry, quick, false);
            if (e.codeBytes() <= MAX_CODE_BYTES || limit < 8) {
                emitted = e;
            }
        }
        try {
            CompiledRegion.Making making = new CompiledRegion.Making(page, generation, addrMask, pages[0], pages[2]);
            // The class data: the run method's constants, then the making (one copy of each list).
            Object[] data = emitted.constants().toArray(new Object[emitted.constants().size() + 1]);
            data[data.length - 1] = making;
            LOOKUP.defineHiddenClassWithClassData(emitted.bytes(), List.of(data), true);
            return new Translation(making.made, r.entries(), r.loops());
        } catch (Throwable t) {
            // Not expected; the interpreter stays correct without the translation.
            return null;
        }
    }

    private record Emitted(byte[] bytes, Usage usage, int codeBytes, List<InstructionSpec.Body> constants) {
    }

    /**
     * The class-file library for a region's class, and for the first pass over it that only finds
     * which guest state the code uses: that pass's bytes are thrown away, so it computes no stack
     * map frames (their flow analysis was half of writing a class, and the translator thread's
     * largest cost after HotSpot's compiles).
     */
    private static final ClassFile CLASS_FILE = ClassFile.of(),
            SURVEY = ClassFile.of(ClassFile.StackMapsOption.DROP_STACK_MAPS);

    /**
     * Writes the region's class, keeping in locals what {@code sync} names; a survey (whose bytes
     * are not defined) only tells what the code uses, and its size is not measured.
     */
    private static Emitted emit(Region r, int[] generations, boolean littleEndian, long addrMask, Usage sync, int start,
                                boolean quick, boolean survey) {
        RegionEmitter[] emitter = new RegionEmitter[1];
        ClassDesc self = quick ? GENERATED_QUICK : GENERATED;
        byte[] bytes = (survey ? SURVEY : CLASS_FILE).build(self, cb -> {
            cb.withFlags(AccessFlag.FINAL, AccessFlag.SYNTHETIC);
            cb.withSuperclass(REGION);
            cb.withMethodBody(ConstantDescs.INIT_NAME, INIT, 0, code -> code
                    .aload(0).aload(1).ldc(r.instructions()).ldc(start).ldc(quick ? 1 : 0)
                    .invokespecial(REGION, ConstantDescs.INIT_NAME, SUPER_INIT).return_());
            cb.withMethodBody("run", RUN, ClassFile.ACC_FINAL, code -> {
                emitter[0] = new RegionEmitter(code, r, generations[1], generations[0], generations[2], littleEndian, addrMask, sync);
                emitter[0].emit();
            });
            // The initializer makes the one instance from the class data's last element (after
            // the run method's constants): see CompiledRegion.Making.
            int making = emitter[0].constants.size();
            cb.withMethodBody(ConstantDescs.CLASS_INIT_NAME, ConstantDescs.MTD_void, ClassFile.ACC_STATIC, code -> code
                    .invokestatic(ConstantDescs.CD_MethodHandles, "lookup", LOOKUP_OF_CALLER)
                    .ldc(ConstantDescs.DEFAULT_NAME).ldc(ConstantDescs.CD_List)
                    .invokestatic(ConstantDescs.CD_MethodHandles, "classData", CLASS_DATA)
                    .checkcast(ConstantDescs.CD_List).ldc(making).invokeinterface(ConstantDescs.CD_List, "get", LIST_GET)
                    .checkcast(MAKING).astore(0)
                    .aload(0).new_(self).dup().aload(0).invokespecial(self, ConstantDescs.INIT_NAME, INIT)
                    .putfield(MAKING, "made", REGION).return_());
        });
        if (survey) {
            return new Emitted(bytes, emitter[0].seen, 0, List.of());
        }
        int size = CLASS_FILE.parse(bytes).methods().stream()
                .filter(m -> m.methodName().equalsString("run"))
                .mapToInt(m -> m.findAttribute(java.lang.classfile.Attributes.code())
                        .map(java.lang.classfile.attribute.CodeAttribute::codeLength).orElse(0)).max().orElse(0);
        return new Emitted(bytes, emitter[0].seen, size, emitter[0].constants);
    }

    static InstructionSpec spec(int op) {
        return InstructionTable.POWER9.spec(op);
    }

    /** Operations after which control returns to the dispatcher. */
    static boolean endsRegion(int op, int w) {
        return spec(op).flow().endsRegion(w);
    }

    /** Operations that never fault and read neither the instruction address nor the next one. */
    static boolean isPure(int op) {
        return spec(op).flow() == Flow.PURE;
    }

    /** Operations that may write memory, and so the page being executed. */
    static boolean mayStore(int op) {
        return spec(op).flow() == Flow.STORE;
    }

    /** Operations with nothing to do (hints). */
    static boolean isNoOp(int op) {
        return spec(op).flow() == Flow.NOTHING;
    }

    /** b and bc: the branches translated code follows inside the page. */
    static boolean isDirectBranch(int op) {
        return spec(op).flow() == Flow.BRANCH;
    }

    /**
     * bclr and bcctr that may go on at the next slot: conditional ones, and calls (LK=1), whose
     * callee usually returns there.
     */
    static boolean goesOnAfter(int op, int w) {
        return (op == Op.BCLR || op == Op.BCCTR) && ((w & 1) != 0 || (((w >>> 21) & 0x14) != 0x14));
    }

    /**
     * Index in a region's span ({@link #SPAN}) of a direct relative branch's target from index g
     * (the region's page at {@link #ORIGIN}, the pages before and after it around it), or -1 if
     * it is absolute or outside the span.
     */
    static int spanTarget(int g, int op, int w) {
        if ((w & 2) != 0) {
            return -1; // absolute: the target's page depends on where the page is mapped
        }
        long disp = op == B ? ((w & 0x03FF_FFFC) << 6) >> 6 : (short) (w & 0xFFFC);
        long t = g + (disp >> 2);
        return t >= 0 && t < SPAN ? (int) t : -1;
    }

    /**
     * The instructions of a region and its basic-block structure; {@code instructions} is how
     * many slots it holds (no path from an entry or loop head to the next one runs more);
     * {@code whole}: a second translation, which resolves bclr and bcctr to its own entries.
     */
    record Region(long[] entry, boolean[] in, boolean[] leader, boolean[] loopHead, int[] entries, int instructions,
                  boolean whole) {
        /**
         * The region entered at {@code start}: the code reached from it, in the order a walk of
         * its fall-throughs and direct branches finds it, until {@code limit} instructions. The
         * walk stops at a slot where a region of the page for this mode can already be entered:
         * code found hot from one entry after another (a loop, then the function around it, then
         * its caller) was otherwise compiled again into each new region, and in a Linux boot 46% of
         * the instructions HotSpot compiled were such copies. Leaving for the other region costs
         * a return to the dispatcher where the copy would have jumped. The region a translation
         * is to replace ({@code replacing}, or null) is no such stop; a translation that replaces
         * one is a whole region ({@link Region#whole}), which stops at none and takes in the slots
         * calls return to. {@code pages} are the region's own page (index 1) and, for a whole
         * region, the pages before and after it in effective addresses as the core found them
         * (null where it had none): direct branches and fall-throughs go on into those.
         */
        static Region discover(DecodePage[] pages, int start, RealMemory memory, int limit, long addrMask, CompiledRegion replacing) {
            boolean whole = replacing != null;
            DecodePage page = pages[1];
            long[] entry = new long[SPAN];
            boolean[] in = new boolean[SPAN], leader = new boolean[SPAN], loopHead = new boolean[SPAN], called = new boolean[SPAN],
                    returnPoint = new boolean[SPAN];
            ArrayDeque<Integer> work = new ArrayDeque<>();
            int first = ORIGIN + start;
            work.push(first);
            leader[first] = true;
            int count = 0;
            while (!work.isEmpty() && count < limit) {
                int s = work.pop();
                while (!in[s] && count < limit) {
                    CompiledRegion there = s == first || whole ? null : page.translationAt(s - ORIGIN, addrMask);
                    if (there != null && there != replacing) {
                        break; // the region leaves for the one already here
                    }
                    long e = pages[s / SLOTS].entry(s % SLOTS, memory);
                    entry[s] = e;
                    in[s] = true;
                    count++;
                    int op = (int) (e >>> 32), w = (int) e;
                    boolean goesOn = holds(pages, s + 1);
                    if (isDirectBranch(op)) {
                        int t = spanTarget(s, op, w);
                        if (t >= 0 && holds(pages, t)) {
                            leader[t] = true;
                            loopHead[t] |= t <= s;
                            called[t] |= (w & 1) != 0;
                            work.push(t);
                            int global = t - 2;
                            if (whole && (w & 1) != 0 && globalEntry(pages, global, memory)) {
                                // The function's global entry, where calls through a pointer
                                // land: one of the region's entries too.
                                leader[global] = true;
                                loopHead[global] |= global <= s;
                                called[global] = true;
                                work.push(global);
                            }
                        }
                        if ((op != B || (whole && (w & 1) != 0)) && goesOn) {
                            // Not taken; or, in a whole region, where a call returns to.
                            leader[s + 1] = true;
                            returnPoint[s + 1] |= (w & 1) != 0;
                            work.push(s + 1);
                        }
                        break;
                    }
                    if (whole && goesOnAfter(op, w) && goesOn) {
                        leader[s + 1] = true;
                        returnPoint[s + 1] |= (w & 1) != 0;
                        work.push(s + 1);
                        break;
                    }
                    if (endsRegion(op, w) || !goesOn) {
                        break;
                    }
                    s++;
                    if (in[s] || s % SLOTS == 0) {
                        leader[s] = true; // falls into code already in the region, or into the next page
                    }
                }
            }
            // A whole region is entered where the dispatcher comes to it in the normal run of
            // things: its first slot, loop heads, calls' targets, and where calls return. Every
            // other entry (the join after an if, the way on past a conditional branch, a loop's
            // exit) is a second way into code the region already reaches, which the dispatcher
            // takes only after a miss in the data cache or an interrupt, and which costs the
            // compiled code on every path: each is an edge from the method's entry switch, and a
            // block inside a loop with one makes the loop irreducible (C2 then leaves the loop's
            // range checks in it, and its register allocation spills around the merges). The mpi
            // guest's limb loop, compiled by C2: 330 -> 291 host instructions an iteration, 74 ->
            // 34 moves to and from spill registers; the mpi bench guest cold 0.934 +- 0.039 of
            // the time (6 pairs), a cold Linux boot 0.982 +- 0.017 (10 pairs), measured while
            // such slots were left empty. The dispatcher that comes to one now runs the quick
            // region still there (DecodePage.install), or interprets on to the next branch.
            List<Integer> entries = new ArrayList<>();
            for (int s = ORIGIN; s < ORIGIN + SLOTS; s++) {
                boolean usual = !whole || s == first || loopHead[s] || called[s] || returnPoint[s];
                if (in[s] && leader[s] && usual) {
                    entries.add(s - ORIGIN);
                }
            }
            return new Region(entry, in, leader, loopHead, entries.stream().mapToInt(Integer::intValue).toArray(), count, whole);
        }

        /**
         * Whether index g of the span starts an ELFv2 function's global entry whose local entry
         * (g + 2) a direct call targets: the two instructions that set up the TOC pointer, addis
         * (or lis) r2 then addi r2,r2. Calls through a pointer (bctrl) come in there.
         */
        private static boolean globalEntry(DecodePage[] pages, int g, RealMemory memory) {
            if (!holds(pages, g) || (g + 1) / SLOTS != g / SLOTS) {
                return false;
            }
            DecodePage p = pages[g / SLOTS];
            long first = p.entry(g % SLOTS, memory), second = p.entry(g % SLOTS + 1, memory);
            int w1 = (int) first, w2 = (int) second;
            return spec((int) (first >>> 32)).mnemonic().equals("addis") && FixedPoint.rt(w1) == 2
                    && spec((int) (second >>> 32)).mnemonic().equals("addi") && FixedPoint.rt(w2) == 2 && FixedPoint.ra(w2) == 2;
        }

        /** Whether index g of the span lies in a page the walk may take code from. */
        private static boolean holds(DecodePage[] pages, int g) {
            return g >= 0 && g < SPAN && pages[g / SLOTS] != null;
        }

        /** Indexes in the span where a basic block starts: the entries, and the blocks outside the page. */
        int[] blocks() {
            List<Integer> blocks = new ArrayList<>();
            for (int s = 0; s < SPAN; s++) {
                if (in[s] && leader[s]) {
                    blocks.add(s);
                }
            }
            return blocks.stream().mapToInt(Integer::intValue).toArray();
        }

        int op(int s) {
            return (int) (entry[s] >>> 32);
        }

        int word(int s) {
            return (int) entry[s];
        }

        /**
         * Whether control can continue from index s to s+1 inside the same basic block (a block
         * ends at a page boundary: the next page is entered through a check).
         */
        boolean continuesTo(int s) {
            int op = op(s);
            return s + 1 < SPAN && (s + 1) % SLOTS != 0 && in[s + 1] && !leader[s + 1] && !endsRegion(op, word(s));
        }

        /** Whether a cycle can run inside the region: one of its slots is the target of a backward branch. */
        boolean loops() {
            for (int s = 0; s < SPAN; s++) {
                if (in[s] && loopHead[s]) {
                    return true;
                }
            }
            return false;
        }

        int blockLength(int s) {
            int n = 1;
            while (continuesTo(s)) {
                s++;
                n++;
            }
            return n;
        }
    }

    /**
     * Which of CR, CTR, CFAR, XER[SO] and XER[CA, CA32] the directly emitted instructions of a region read and
     * write: those live in JVM locals while the region runs, loaded on entry and after a call to
     * an instruction body, and written back before anything else may look at them (a call to an
     * instruction body, a return to the dispatcher). The GPRs are read and written in the core's
     * array itself.
     */
    static final class Usage {
        boolean crRead, crWritten, ctr, cfar, so, ca;

        static Usage everything() {
            Usage u = new Usage();
            u.crRead = u.crWritten = u.ctr = u.cfar = u.so = u.ca = true;
            return u;
        }

        boolean cr() {
            return crRead || crWritten;
        }
    }

}
