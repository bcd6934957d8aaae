package jvisor.hw.power.cpu;

import static java.lang.constant.ConstantDescs.CD_boolean;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_long;
import static jvisor.hw.power.cpu.Op.B;
import static jvisor.hw.power.cpu.RegionCompiler.*;

import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.instruction.SwitchCase;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the run method of one region {@link RegionCompiler} found: the bytecode over the
 * registers kept in locals, the calls to instruction bodies and the ways out; the fixed-point
 * instructions are {@link RegionFixedPoint}'s, the inline loads and stores {@link RegionMemory}'s.
 * The emitter runs
 * twice: the first pass (with every register assumed cached) finds out what the region touches,
 * the second emits the method with exactly those registers in locals.
 */
final class RegionEmitter {
    private final CodeBuilder code;
    private final Region r;
    private final int generation;
    private final boolean littleEndian;
    /** The address mask of the mode the region is translated for (and only entered in). */
    private final long mask;
    /** Decides what is loaded, written back and reloaded (the previous pass's findings). */
    private final Usage sync;
    /** What this pass's direct instructions touch. */
    final Usage seen = new Usage();
    private final Label[] labels = new Label[SPAN];
    /** The generations of the pages before the region's own and after it, as its code was read from them. */
    private final int lowerGeneration, upperGeneration;
    private Label exitDirty, exitSynced, resolve;
    /** The fixed-point instructions, and the GPRs, CR, SO and CA as the region's code holds them. */
    private final RegionFixedPoint fx;
    /** The loads and stores written inline, with the pages a whole region's loops last touched. */
    private final RegionMemory mem;

    RegionEmitter(CodeBuilder code, Region r, int generation, boolean littleEndian, long mask, Usage sync) {
        this(code, r, generation, 0, 0, littleEndian, mask, sync);
    }

    RegionEmitter(CodeBuilder code, Region r, int generation, int lowerGeneration, int upperGeneration, boolean littleEndian,
                  long mask, Usage sync) {
        this.code = code;
        this.lowerGeneration = lowerGeneration;
        this.upperGeneration = upperGeneration;
        this.mask = mask;
        this.r = r;
        this.generation = generation;
        this.littleEndian = littleEndian;
        this.sync = sync;
        this.fx = new RegionFixedPoint(code, seen, mask);
        this.mem = new RegionMemory(code, r, fx, littleEndian);
    }

    void emit() {
        exitDirty = code.newLabel();
        exitSynced = code.newLabel();
        for (int g : r.blocks()) {
            labels[g] = code.newLabel();
        }
        // base = effective address of the page: the region may be mapped anywhere.
        code.aload(CORE_ARG).getfield(CORE, "pc", CD_long).ldc(~0xFFFL).land().lstore(BASE);
        code.iconst_0().istore(RESULT);
        code.lconst_0().lstore(EA);
        code.lconst_0().lstore(VALUE);
        code.aload(CORE_ARG).getfield(CORE, "lsu", LSU).astore(UNIT);
        code.aload(CORE_ARG).getfield(CORE, "gpr", LONGS).astore(GPRS);
        reload();
        mem.forgetPages();
        Label notEntered = code.newLabel();
        List<SwitchCase> cases = new ArrayList<>();
        Label[] entered = new Label[SLOTS];
        for (int s : r.entries()) {
            entered[s] = code.newLabel();
            cases.add(SwitchCase.of(s, entered[s]));
        }
        code.iload(SLOT_ARG).lookupswitch(notEntered, cases);
        // Entered with less allowance than the region has instructions: nothing runs, and pc is
        // still the entry's. The dispatcher never does that (it interprets instead); the
        // background translator's warm-up calls do, to go round the entries without running anything.
        for (int s : r.entries()) {
            code.labelBinding(entered[s]);
            code.lload(LEFT).ldc((long) r.instructions()).lcmp().iflt(notEntered);
            code.goto_(labels[ORIGIN + s]);
        }
        code.labelBinding(notEntered);
        leave(0);
        for (int g : r.blocks()) {
            block(g);
        }
        if (resolve != null) {
            resolve();
        }
        code.labelBinding(exitDirty);
        writeBack();
        code.labelBinding(exitSynced);
        code.aload(CORE_ARG).lload(LEFT).putfield(CORE, "jitLeft", CD_long);
        code.iload(RESULT).ireturn();
    }

    private void block(int s) {
        int length = r.blockLength(s);
        code.labelBinding(labels[s]);
        if (r.loopHead()[s]) {
            // Every cycle passes a loop head, so between two of these checks (or from the entry)
            // no path runs more instructions than the region has: with that much allowance
            // left, no block needs a check of its own. The allowance is also all that bounds a
            // loop: the core's attention flag is not read here (see RegionCompiler).
            Label go = code.newLabel(), stop = code.newLabel();
            code.lload(LEFT).ldc((long) r.instructions()).lcmp().iflt(stop);
            code.goto_(go);
            code.labelBinding(stop);
            setPc(s);
            leave(0);
            code.labelBinding(go);
        }
        code.lload(LEFT).ldc((long) length).lsub().lstore(LEFT);
        for (int i = 0; i < length; i++) {
            instruction(s + i, length - 1 - i);
        }
        int last = s + length - 1;
        int op = r.op(last);
        if (!endsRegion(op, r.word(last))) {
            // Falls through to the next slot: either the next block or the end of the region.
            next(last);
        }
    }

    /** One instruction; {@code after} instructions of its block follow it. */
    private void instruction(int s, int after) {
        int op = r.op(s), w = r.word(s);
        if (isNoOp(op)) {
            return;
        }
        if (spec(op).body() instanceof BodyCall barrier && barrier.owner().equals(BodyCall.MEMORY_BARRIER)) {
            // The fences themselves: they order memory accesses, so the guest registers held
            // in locals stay where they are.
            MemoryBarrier.emit(code, barrier.name(), w);
            if (endsRegion(op, w)) {
                // Context synchronizing: the dispatcher looks at everything before going on.
                setPc(s + 1);
                leave(after);
            }
            return;
        }
        if (!direct(s, op, w, after)) {
            call(s, op, w, after);
        }
    }

    /** The instruction as a call to its interpreter body, with the cached state synchronized around it. */
    private void call(int s, int op, int w, int after) {
        InstructionSpec fp = spec(op);
        if (fp.flow() == Flow.FLOATING && !(fp.body() instanceof BodyCall)) {
            floatingPointCall(s, op, w, after, fp);
            return;
        }
        boolean pure = isPure(op);
        writeBack();
        if (!pure) {
            setCia(s);
            setPc(s + 1);
        }
        InstructionSpec spec = spec(op);
        if (spec.body() == null) {
            // Declared only: the dispatcher knows what such an operation does.
            code.aload(CORE_ARG).ldc(op).ldc(w).invokestatic(EXECUTOR, "execute", EXECUTE);
        } else {
            // The facility's MSR bit tested here, as the dispatcher would, then the body called
            // directly (a vector load's or store's went through three dispatch methods a call).
            Label called = code.newLabel();
            if (spec.facility() != Facility.NONE) {
                Label enabled = code.newLabel();
                BodyCall.ifFacilityEnabled(code, CORE_ARG, spec.facility(), enabled);
                code.aload(CORE_ARG).ldc(spec.facility().unavailableVector).invokestatic(EXECUTOR, "unavailable", UNAVAILABLE)
                        .goto_(called);
                code.labelBinding(enabled);
            }
            if (spec.body() instanceof BodyCall body) {
                code.aload(CORE_ARG).ldc(w);
                for (Object k : body.constants()) {
                    code.ldc(k instanceof Boolean b ? (b ? 1 : 0) : (Integer) k);
                }
                code.invokestatic(body.owner(), body.name(), body.type());
            } else {
                BodyCall.loadClassDataBody(code, bodyConstant(spec.body()));
                code.aload(CORE_ARG).ldc(w).invokeinterface(BodyCall.BODY, "execute", BodyCall.BODY_EXECUTE);
            }
            code.labelBinding(called);
        }
        if (pure) {
            code.pop();
            reload();
            return;
        }
        code.istore(RESULT);
        Label ok = code.newLabel();
        code.iload(RESULT).ifeq(ok);
        // The body set up the interrupt or exit; the core's own state is the truth now.
        addLeft(after);
        code.goto_(exitSynced);
        code.labelBinding(ok);
        reload();
        if (mayStore(op)) {
            storeCheck(s, after);
        }
        if (endsRegion(op, w)) {
            leave(after); // the body has set pc
        }
    }

    /**
     * A floating-point instruction that touches no GPR ({@link Flow#FLOATING}): MSR[FP] tested inline, then its body
     * called directly on a constant of the region's class data (HotSpot inlines it), with only CR
     * synchronized around it (Rc=1, the compares and mcrfs write it); the GPRs are in the core
     * anyway. With MSR[FP]=0 the dispatcher
     * runs it, which raises the facility-unavailable interrupt. (Through the dispatcher with
     * every register written back and reloaded, these calls were a tenth of fpcalc's time.)
     */
    private void floatingPointCall(int s, int op, int w, int after, InstructionSpec spec) {
        if (sync.crWritten) {
            code.aload(CORE_ARG).iload(CR).putfield(CORE, "cr", CD_int);
        }
        setCia(s);
        setPc(s + 1);
        Label enabled = code.newLabel(), done = code.newLabel();
        BodyCall.ifFacilityEnabled(code, CORE_ARG, spec.facility(), enabled);
        code.aload(CORE_ARG).ldc(op).ldc(w).invokestatic(EXECUTOR, "execute", EXECUTE).goto_(done);
        code.labelBinding(enabled);
        BodyCall.loadClassDataBody(code, bodyConstant(spec.body()));
        code.aload(CORE_ARG).ldc(w).invokeinterface(BodyCall.BODY, "execute", BodyCall.BODY_EXECUTE);
        code.labelBinding(done);
        code.istore(RESULT);
        if (sync.cr()) {
            code.aload(CORE_ARG).getfield(CORE, "cr", CD_int).istore(CR);
        }
        Label ok = code.newLabel();
        code.iload(RESULT).ifeq(ok);
        // The body set up the interrupt; the GPRs are in the core already.
        addLeft(after);
        code.goto_(exitDirty);
        code.labelBinding(ok);
        if (endsRegion(op, w)) {
            leave(after);
        }
    }

    /** The bodies the region calls on constants: its class data, in the order of their indexes. */
    final List<InstructionSpec.Body> constants = new ArrayList<>();

    private int bodyConstant(InstructionSpec.Body body) {
        for (int i = 0; i < constants.size(); i++) {
            if (constants.get(i) == body) {
                return i;
            }
        }
        constants.add(body);
        return constants.size() - 1;
    }

    // ---- instructions emitted as bytecode over the cached registers ----

    /** Emits the instruction directly if it is one of the common simple ones; false otherwise. */
    private boolean direct(int s, int op, int w, int after) {
        int rt = FixedPoint.rt(w);
        InstructionSpec spec = spec(op);
        if (spec.facility() != Facility.NONE) {
            return false;
        }
        String m = spec.mnemonic();
        if (fx.emit(m, w)) {
            return true;
        }
        switch (m) {
            case "mfspr", "mtspr" -> {
                int n = ((w >>> 16) & 31) | (((w >>> 11) & 31) << 5);
                if (n != Spr.LR && n != Spr.CTR) {
                    return false;
                }
                // LR and CTR are user-level registers: the move never faults.
                if (m.equals("mfspr")) {
                    if (n == Spr.LR) {
                        code.aload(CORE_ARG).getfield(CORE, "lr", CD_long);
                    } else {
                        seen.ctr = true;
                        code.lload(CTR);
                    }
                    fx.put(rt);
                } else if (n == Spr.LR) {
                    code.aload(CORE_ARG);
                    fx.get(rt);
                    code.putfield(CORE, "lr", CD_long);
                } else {
                    fx.get(rt);
                    seen.ctr = true;
                    code.lstore(CTR);
                }
            }
            case "b" -> {
                linkIfLk(s, w);
                taken(s, w, op);
            }
            case "bc" -> bc(s, w);
            case "dcbz" -> {
                Label slow = code.newLabel(), done = code.newLabel();
                mem.zeroBlock(w, slow, done);
                missed(s, after, slow, done);
            }
            case "bclr", "bcctr" -> {
                if (!r.whole() || (m.equals("bcctr") && (((w >>> 21) & 4) == 0))) {
                    // A first translation leaves through the body; bcctr decrementing the CTR it
                    // branches to is an invalid form the body executes.
                    return false;
                }
                toRegister(s, w, m.equals("bclr"));
            }
            default -> {
                LoadStoreForm f = RegionMemory.inlineForm(op);
                if (f == null) {
                    return false;
                }
                Label slow = code.newLabel(), done = code.newLabel();
                mem.access(s, f, w, slow, done);
                missed(s, after, slow, done);
                mem.accessed(f, w);
            }
        }
        return true;
    }

    /**
     * An access's miss at {@code slow}, then {@code done} where it hit: the region stops before the
     * access at slot s and the interpreter performs it (it translates, fills the cache or raises
     * the fault), so translated code never calls into the translation and keeps its registers
     * across the access.
     */
    private void missed(int s, int after, Label slow, Label done) {
        code.labelBinding(slow);
        setPc(s);
        code.aload(CORE_ARG).iconst_1().putfield(CORE, "stepOnce", CD_boolean);
        leave(after + 1);
        code.labelBinding(done);
    }

    /**
     * The BO/BI test of a conditional branch on the cached CTR (decremented when BO[2]=0, and
     * compared 32 bits wide in 32-bit mode) and CR: jumps to {@code notTaken} where it fails.
     */
    private void condition(int bo, int bi, Label notTaken) {
        if ((bo & 4) == 0) {
            seen.ctr = true;
            code.lload(CTR).lconst_1().lsub().dup2().lstore(CTR);
            fx.andMask();
            code.lconst_0().lcmp();
            if ((bo & 2) != 0) {
                code.ifne(notTaken);
            } else {
                code.ifeq(notTaken);
            }
        }
        if ((bo & 0x10) == 0) {
            fx.readCr();
            code.ldc(1 << (31 - bi)).iand();
            if (((bo >>> 3) & 1) != 0) {
                code.ifeq(notTaken);
            } else {
                code.ifne(notTaken);
            }
        }
    }

    /** bc: CTR and CR tested on the cached values; targets inside the region are jumps. */
    private void bc(int s, int w) {
        int bo = (w >>> 21) & 31, bi = (w >>> 16) & 31;
        linkIfLk(s, w);
        Label notTaken = code.newLabel();
        condition(bo, bi, notTaken);
        taken(s, w, Op.BC);
        code.labelBinding(notTaken);
        next(s);
    }

    /**
     * bclr and bcctr on the cached CTR and CR, in a whole region: the target is read before LK=1
     * writes LR, and a taken branch goes on inside the region when the target is one of its
     * entries ({@link #indirect}).
     */
    private void toRegister(int s, int w, boolean lr) {
        int bo = (w >>> 21) & 31, bi = (w >>> 16) & 31;
        if (lr) {
            code.aload(CORE_ARG).getfield(CORE, "lr", CD_long);
        } else {
            seen.ctr = true;
            code.lload(CTR);
        }
        code.ldc(-4L).land();
        fx.andMask();
        code.lstore(VALUE);
        linkIfLk(s, w);
        Label notTaken = code.newLabel();
        condition(bo, bi, notTaken);
        seen.cfar = true;
        address(s);
        code.lstore(CFAR);
        indirect();
        code.labelBinding(notTaken);
        next(s);
    }

    /**
     * A taken branch to the address in VALUE: to the block it enters if that is one of the
     * region's (a return to a call in the region, a call through a pointer to a function in it),
     * else back to the dispatcher ({@link #resolve}). A jump through a register can close a cycle
     * no loop head is on, so it checks the allowance as a loop head does; where it says stop, the
     * dispatcher takes over at the target.
     */
    private void indirect() {
        if (resolve == null) {
            resolve = code.newLabel();
        }
        code.goto_(resolve);
    }

    /**
     * The region's one resolution of an indirect branch's target (VALUE): a block of its own page,
     * or of a neighbouring page whose code it holds (after the check {@link #jump} makes), after
     * the allowance check of a loop head; anything else returns to the dispatcher at the target.
     */
    private void resolve() {
        code.labelBinding(resolve);
        Label out = code.newLabel();
        code.lload(LEFT).ldc((long) r.instructions()).lcmp().iflt(out);
        for (int page : new int[] {1, 0, 2}) {
            List<SwitchCase> cases = new ArrayList<>();
            for (int g : r.blocks()) {
                if (g / SLOTS == page) {
                    cases.add(SwitchCase.of(g % SLOTS, labels[g]));
                }
            }
            if (cases.isEmpty()) {
                continue;
            }
            Label other = code.newLabel();
            code.lload(VALUE).ldc(~0xFFFL).land().lload(BASE);
            if (page != 1) {
                code.ldc((page - 1) * 4096L).ladd();
                fx.andMask();
            }
            code.lcmp().ifne(other);
            if (page != 1) {
                ifNeighbourGone(page, out);
            }
            code.lload(VALUE).l2i().ldc(0xFFF).iand().iconst_2().iushr().lookupswitch(out, cases);
            code.labelBinding(other);
        }
        code.labelBinding(out);
        code.aload(CORE_ARG).lload(VALUE).putfield(CORE, "pc", CD_long);
        leave(0);
    }

    /** LK=1: LR = the next instruction's address, taken or not. */
    private void linkIfLk(int s, int w) {
        if ((w & 1) != 0) {
            code.aload(CORE_ARG);
            address(s + 1);
            code.putfield(CORE, "lr", CD_long);
        }
    }

    /** A taken direct branch: CFAR records it; a target inside the region is a jump. */
    private void taken(int s, int w, int op) {
        seen.cfar = true;
        address(s);
        code.lstore(CFAR);
        long disp = op == B ? ((w & 0x03FF_FFFC) << 6) >> 6 : (short) (w & 0xFFFC);
        if ((w & 2) != 0) {
            code.aload(CORE_ARG).ldc(disp & mask).putfield(CORE, "pc", CD_long);
            leave(0);
            return;
        }
        int t = spanTarget(s, op, w);
        if (t >= 0 && r.in()[t]) {
            jump(s, t);
            return;
        }
        code.aload(CORE_ARG).lload(BASE).ldc(4L * (s - ORIGIN) + disp).ladd();
        fx.andMask();
        code.putfield(CORE, "pc", CD_long);
        leave(0);
    }

    /** Control continues at slot s + 1: into the region if it is there, else back to the dispatcher. */
    private void next(int s) {
        int n = s + 1;
        if (n < SPAN && r.in()[n]) {
            jump(s, n);
        } else {
            setPc(n);
            leave(0);
        }
    }

    /**
     * After a store: if it hit this very page, the rest of the translation is stale. Code from a
     * neighbouring page checks that page too; the region's own page is checked always, as its
     * code is entered from anywhere in the region without a check (a neighbour's is checked
     * where control enters it: {@link #jump}).
     */
    private void staleCheck(int next, int after) {
        Label same = code.newLabel(), stale = code.newLabel();
        int page = (next - 1) / SLOTS;
        if (page != 1) {
            ifNeighbourChanged(page, stale);
        }
        code.aload(THIS).getfield(REGION, "page", PAGE).getfield(PAGE, "stamp", CD_int).ldc(generation).if_icmpeq(same);
        code.labelBinding(stale);
        setPc(next);
        leave(after);
        code.labelBinding(same);
    }

    /** Pushes the region's decoded page for the neighbouring page {@code page} of the span (0: before, 2: after). */
    private void neighbour(int page) {
        code.aload(THIS).getfield(REGION, page == 0 ? "lower" : "upper", PAGE);
    }

    /** Goes to {@code changed} if the neighbouring page's code changed since the region read it. */
    private void ifNeighbourChanged(int page, Label changed) {
        neighbour(page);
        code.getfield(PAGE, "stamp", CD_int).ldc(page == 0 ? lowerGeneration : upperGeneration).if_icmpne(changed);
    }

    /**
     * Goes to {@code gone} unless the core still fetches the neighbouring page's addresses from the
     * decoded page the region read, unchanged: the check on every way into a neighbour's code.
     */
    private void ifNeighbourGone(int page, Label gone) {
        code.aload(CORE_ARG).lload(BASE).ldc((page - 1) * 4096L).ladd();
        fx.andMask();
        code.invokevirtual(CORE, "fetchedPage", FETCHED_PAGE);
        neighbour(page);
        code.if_acmpne(gone);
        ifNeighbourChanged(page, gone);
    }

    /**
     * A jump from index {@code from} of the span to block {@code to}: plain where both are in one
     * page or the target is in the region's own; into a neighbouring page only while the core
     * still fetches that page from the same decoded page, unchanged since the region was made
     * (its translation or its contents may have changed since), and back to the dispatcher otherwise.
     */
    private void jump(int from, int to) {
        int page = to / SLOTS;
        if (page == from / SLOTS || page == 1) {
            code.goto_(labels[to]);
            return;
        }
        Label fail = code.newLabel();
        ifNeighbourGone(page, fail);
        code.goto_(labels[to]);
        code.labelBinding(fail);
        setPc(to);
        leave(0);
    }

    private void storeCheck(int s, int after) {
        staleCheck(s + 1, after); // pc is already s + 1; setting it again is harmless
    }

    // ---- synchronizing the cached state with the core ----

    /** Loads every cached register from the core (on entry and after a body ran). */
    private void reload() {
        if (sync.cr()) {
            code.aload(CORE_ARG).getfield(CORE, "cr", CD_int).istore(CR);
        }
        if (sync.ctr) {
            code.aload(CORE_ARG).getfield(CORE, "ctr", CD_long).lstore(CTR);
        }
        if (sync.so) {
            code.aload(CORE_ARG).getfield(CORE, "so", CD_int).istore(SO);
        }
        if (sync.cfar) {
            code.aload(CORE_ARG).getfield(CORE, "sprs", LONGS).ldc(Spr.CFAR).laload().lstore(CFAR);
        }
        if (sync.ca) {
            code.aload(CORE_ARG).getfield(CORE, "ca", CD_int).istore(CA);
            code.aload(CORE_ARG).getfield(CORE, "ca32", CD_int).istore(CA32);
        }
    }

    /** Stores every register the region may have changed back into the core (the GPRs are there already: {@link #put}). */
    private void writeBack() {
        if (sync.crWritten) {
            code.aload(CORE_ARG).iload(CR).putfield(CORE, "cr", CD_int);
        }
        if (sync.ctr) {
            code.aload(CORE_ARG).lload(CTR).putfield(CORE, "ctr", CD_long);
        }
        if (sync.cfar) {
            code.aload(CORE_ARG).getfield(CORE, "sprs", LONGS).ldc(Spr.CFAR).lload(CFAR).lastore();
        }
        if (sync.ca) {
            code.aload(CORE_ARG).iload(CA).putfield(CORE, "ca", CD_int);
            code.aload(CORE_ARG).iload(CA32).putfield(CORE, "ca32", CD_int);
        }
    }

    // ---- leaving ----

    private void setCia(int s) {
        code.aload(CORE_ARG);
        address(s);
        code.putfield(CORE, "cia", CD_long);
    }

    /**
     * Pushes the effective address of span index s: the region's page plus its offset, truncated
     * in 32-bit mode where it leaves the page (a neighbour's code, or one past the page), as the
     * interpreter's next-instruction addresses are.
     */
    private void address(int s) {
        code.lload(BASE).ldc(4L * (s - ORIGIN)).ladd();
        if (s < ORIGIN || s >= ORIGIN + SLOTS) {
            fx.andMask();
        }
    }

    /** pc = the address of span index s. */
    private void setPc(int s) {
        code.aload(CORE_ARG);
        address(s);
        code.putfield(CORE, "pc", CD_long);
    }

    private void addLeft(int unrun) {
        if (unrun != 0) {
            code.lload(LEFT).ldc((long) unrun).ladd().lstore(LEFT);
        }
    }

    /** Returns OK to the dispatcher, giving back the charge for {@code unrun} instructions not executed. */
    private void leave(int unrun) {
        addLeft(unrun);
        code.iconst_0().istore(RESULT);
        code.goto_(exitDirty);
    }
}
