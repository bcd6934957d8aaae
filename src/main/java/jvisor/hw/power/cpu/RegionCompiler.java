package jvisor.hw.power.cpu;

import static java.lang.constant.ConstantDescs.CD_boolean;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_long;
import static java.lang.constant.ConstantDescs.CD_void;
import static jvisor.hw.power.cpu.Op.*;

import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.instruction.SwitchCase;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
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
 * direct relative branches, up to {@link #MAX_INSTRUCTIONS}. Every instruction is a call to the
 * body the interpreter runs for it ({@link BodyCall}) with the instruction word as a constant, so
 * HotSpot inlines the body and folds the field extraction away; control flow between the region's
 * basic blocks is plain bytecode jumps. What leaves the region (indirect branches, branches out of
 * the page, instructions that change the MSR, translation or SPR context, a store that hits the
 * page itself) returns to the core's dispatcher.
 *
 * <p>Instruction accounting matches the interpreter: each basic block of length L is entered only
 * with at least L instructions of allowance left and charges L up front; an instruction that
 * faults hands back the charge for the ones after it. Blocks that are targets of backward branches
 * also look at the core's attention flag, so an exit request or an interrupt is never held off by
 * a loop, and the allowance itself (the smaller of budget and event-poll interval) bounds the time
 * between the dispatcher's event checks.
 */
final class RegionCompiler {
    /** Bounds the generated method well below HotSpot's limit for compiling a method at all. */
    static final int MAX_INSTRUCTIONS = 96;

    private static final int SLOTS = DecodePage.SLOTS;
    private static final ClassDesc CORE = ClassDesc.of("jvisor.hw.power.cpu.Core");
    private static final ClassDesc PAGE = ClassDesc.of("jvisor.hw.power.cpu.DecodePage");
    private static final ClassDesc REGION = ClassDesc.of("jvisor.hw.power.cpu.CompiledRegion");
    private static final ClassDesc EXECUTOR = ClassDesc.of("jvisor.hw.power.cpu.Executor");
    private static final ClassDesc GENERATED = ClassDesc.of("jvisor.hw.power.cpu.GuestRegion");
    private static final MethodTypeDesc INIT = MethodTypeDesc.of(CD_void, PAGE, CD_int);
    private static final MethodTypeDesc RUN = MethodTypeDesc.of(CD_int, CORE, CD_int, CD_long);
    private static final MethodTypeDesc EXECUTE = MethodTypeDesc.of(CD_int, CORE, CD_int, CD_int);
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

    // Local variable slots of the generated run method.
    private static final int THIS = 0, CORE_ARG = 1, SLOT_ARG = 2, LEFT = 3, BASE = 5, RESULT = 7;

    private RegionCompiler() {
    }

    /** A translated region and the slots it can be entered at. */
    record Translation(CompiledRegion region, int[] entries) {
    }

    /**
     * Translates the region entered at {@code entry}; null if the page changed meanwhile or the
     * class could not be defined (the interpreter then simply keeps running the code).
     */
    static Translation translate(DecodePage page, int entry, RealMemory memory) {
        int generation = page.generation;
        Region r = Region.discover(page, entry, memory);
        byte[] bytes = ClassFile.of().build(GENERATED, cb -> {
            cb.withFlags(AccessFlag.FINAL, AccessFlag.SYNTHETIC);
            cb.withSuperclass(REGION);
            cb.withMethodBody(ConstantDescs.INIT_NAME, INIT, 0, code -> code
                    .aload(0).aload(1).iload(2).invokespecial(REGION, ConstantDescs.INIT_NAME, INIT).return_());
            cb.withMethodBody("run", RUN, ClassFile.ACC_FINAL, code -> new Emitter(code, r, generation).emit());
        });
        try {
            MethodHandles.Lookup hidden = LOOKUP.defineHiddenClass(bytes, true);
            CompiledRegion region = (CompiledRegion) hidden
                    .findConstructor(hidden.lookupClass(), MethodType.methodType(void.class, DecodePage.class, int.class))
                    .invoke(page, generation);
            return new Translation(region, r.entries());
        } catch (Throwable t) {
            // Not expected; the interpreter stays correct without the translation.
            return null;
        }
    }

    /** Operations after which control returns to the dispatcher. */
    static boolean endsRegion(int op, int w) {
        return switch (op) {
            case B, BC, BCLR, BCCTR, BCTAR, SC, RFID, MTMSR, MTMSRD, TLBIE, TLBIEL, TLBSYNC, SLBIA, SLB_OTHER,
                 ICBI, ISYNC, HYP_ONLY, FP, VMX, VSX, UNIMPLEMENTED, ILLEGAL -> true;
            // LR, CTR and XER are plain registers; any other SPR may change context, the
            // decrementer or the translation, which the dispatcher must see at once.
            case MTSPR -> {
                int n = ((w >>> 16) & 31) | (((w >>> 11) & 31) << 5);
                yield n != 1 && n != 8 && n != 9;
            }
            default -> BodyCall.of(op) == null && !isNoOp(op);
        };
    }

    /** Operations that never fault and read neither the instruction address nor the next one. */
    static boolean isPure(int op) {
        return switch (op) {
            case ADDI, ADDIS, ADDIC, ADDIC_RC, SUBFIC, MULLI, ADD, ADDC, ADDE, ADDME, ADDZE, SUBF, SUBFC, SUBFE,
                 SUBFME, SUBFZE, NEG, MULLW, MULLD, MULHW, MULHWU, MULHD, MULHDU, MADDHD, MADDHDU, MADDLD, DIVW,
                 DIVWU, DIVD, DIVDU, DIVWE, DIVWEU, DIVDE, DIVDEU, MODSW, MODUW, MODSD, MODUD, CMP, CMPL, CMPI,
                 CMPLI, CMPRB, CMPEQB, ORI, ORIS, XORI, XORIS, ANDI, ANDIS, AND, ANDC, OR, ORC, XOR, NAND, NOR, EQV,
                 CMPB, EXTSB, EXTSH, EXTSW, CNTLZW, CNTLZD, CNTTZW, CNTTZD, POPCNTB, POPCNTW, POPCNTD, PRTYW,
                 PRTYD, BPERMD, RLWIMI, RLWINM, RLWNM, RLDICL, RLDICR, RLDIC, RLDIMI, RLDCL, RLDCR, SLW, SRW, SRAW,
                 SRAWI, SLD, SRD, SRAD, SRADI, EXTSWSLI, ISEL, SETB, MCRXRX, DARN, CRAND, CRANDC, CREQV, CRNAND,
                 CRNOR, CROR, CRORC, CRXOR, MCRF, MFCR, MFOCRF, MTCRF, MTOCRF -> true;
            default -> false;
        };
    }

    /** Operations that may write memory, and so the page being executed. */
    static boolean mayStore(int op) {
        return switch (op) {
            case STB, STBU, STH, STHU, STW, STWU, STD, STDU, STQ, STMW, STBX, STBUX, STHX, STHUX, STWX, STWUX,
                 STDX, STDUX, STHBRX, STWBRX, STDBRX, STSWI, STSWX, STBCX, STHCX, STWCX, STDCX, STQCX, DCBZ -> true;
            default -> false;
        };
    }

    /** Operations {@link Executor} completes without a body. */
    static boolean isNoOp(int op) {
        return op == SYNC || op == EIEIO || op == CACHE_HINT || op == WAIT;
    }

    /** Slot of a direct relative branch's target if it lies in the same page, else -1. */
    static int directTarget(int slot, int op, int w) {
        if ((w & 2) != 0) {
            return -1; // absolute: the target's page depends on where the page is mapped
        }
        long disp = op == B ? ((w & 0x03FF_FFFC) << 6) >> 6 : (short) (w & 0xFFFC);
        long t = slot + (disp >> 2);
        return t >= 0 && t < SLOTS ? (int) t : -1;
    }

    /** The instructions of a region and its basic-block structure. */
    private record Region(long[] entry, boolean[] in, boolean[] leader, boolean[] loopHead, int[] entries) {
        static Region discover(DecodePage page, int start, RealMemory memory) {
            long[] entry = new long[SLOTS];
            boolean[] in = new boolean[SLOTS], leader = new boolean[SLOTS], loopHead = new boolean[SLOTS];
            ArrayDeque<Integer> work = new ArrayDeque<>();
            work.push(start);
            leader[start] = true;
            int count = 0;
            while (!work.isEmpty() && count < MAX_INSTRUCTIONS) {
                int s = work.pop();
                while (!in[s] && count < MAX_INSTRUCTIONS) {
                    long e = page.entries[s];
                    if (e == 0) {
                        e = page.decode(s, memory);
                    }
                    entry[s] = e;
                    in[s] = true;
                    count++;
                    int op = (int) (e >>> 32), w = (int) e;
                    if (op == B || op == BC) {
                        int t = directTarget(s, op, w);
                        if (t >= 0) {
                            leader[t] = true;
                            loopHead[t] |= t <= s;
                            work.push(t);
                        }
                        if (op == BC && s + 1 < SLOTS) {
                            leader[s + 1] = true;
                            work.push(s + 1);
                        }
                        break;
                    }
                    if (endsRegion(op, w) || s + 1 == SLOTS) {
                        break;
                    }
                    s++;
                    if (in[s]) {
                        leader[s] = true; // falls into code already in the region
                    }
                }
            }
            List<Integer> entries = new ArrayList<>();
            for (int s = 0; s < SLOTS; s++) {
                if (in[s] && leader[s]) {
                    entries.add(s);
                }
            }
            return new Region(entry, in, leader, loopHead, entries.stream().mapToInt(Integer::intValue).toArray());
        }

        int op(int s) {
            return (int) (entry[s] >>> 32);
        }

        int word(int s) {
            return (int) entry[s];
        }

        /** Whether control can continue from slot s to s+1 inside the same basic block. */
        boolean continuesTo(int s) {
            int op = op(s);
            return s + 1 < SLOTS && in[s + 1] && !leader[s + 1] && op != B && op != BC && !endsRegion(op, word(s));
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

    /** Writes the run method of one region. */
    private static final class Emitter {
        private final CodeBuilder code;
        private final Region r;
        private final int generation;
        private final Label[] labels = new Label[SLOTS];

        Emitter(CodeBuilder code, Region r, int generation) {
            this.code = code;
            this.r = r;
            this.generation = generation;
        }

        void emit() {
            for (int s : r.entries()) {
                labels[s] = code.newLabel();
            }
            // base = effective address of the page: the region may be mapped anywhere.
            code.aload(CORE_ARG).getfield(CORE, "pc", CD_long).ldc(~0xFFFL).land().lstore(BASE);
            code.iconst_0().istore(RESULT);
            Label notEntered = code.newLabel();
            List<SwitchCase> cases = new ArrayList<>();
            for (int s : r.entries()) {
                cases.add(SwitchCase.of(s, labels[s]));
            }
            code.iload(SLOT_ARG).lookupswitch(notEntered, cases);
            code.labelBinding(notEntered);
            leave(0);
            for (int s : r.entries()) {
                block(s);
            }
        }

        private void block(int s) {
            int length = r.blockLength(s);
            code.labelBinding(labels[s]);
            Label go = code.newLabel(), stop = code.newLabel();
            code.lload(LEFT).ldc((long) length).lcmp().iflt(stop);
            if (r.loopHead()[s]) {
                code.aload(CORE_ARG).getfield(CORE, "attention", CD_boolean).ifne(stop);
            }
            code.goto_(go);
            code.labelBinding(stop);
            setPc(s);
            leave(0);
            code.labelBinding(go);
            code.lload(LEFT).ldc((long) length).lsub().lstore(LEFT);
            for (int i = 0; i < length; i++) {
                instruction(s + i, length - 1 - i);
            }
            int last = s + length - 1;
            int op = r.op(last);
            if (op != B && op != BC && !endsRegion(op, r.word(last))) {
                // Falls through to the next slot: either the next block or the end of the region.
                int next = last + 1;
                if (next < SLOTS && r.in()[next]) {
                    code.goto_(labels[next]);
                } else {
                    setPc(next);
                    leave(0);
                }
            }
        }

        /** One instruction; {@code after} instructions of its block follow it. */
        private void instruction(int s, int after) {
            int op = r.op(s), w = r.word(s);
            if (isNoOp(op)) {
                return;
            }
            if (op == ISYNC) {
                setPc(s + 1);
                leave(after);
                return;
            }
            boolean pure = isPure(op);
            if (!pure) {
                code.aload(CORE_ARG).lload(BASE).ldc(4L * s).ladd().putfield(CORE, "cia", CD_long);
                setPc(s + 1);
            }
            BodyCall body = BodyCall.of(op);
            code.aload(CORE_ARG).ldc(w);
            if (body == null) {
                code.ldc(op);
                code.swap();
                code.invokestatic(EXECUTOR, "execute", EXECUTE);
            } else {
                for (Object k : body.constants()) {
                    code.ldc(k instanceof Boolean b ? (b ? 1 : 0) : (Integer) k);
                }
                code.invokestatic(body.owner(), body.name(), body.type());
            }
            if (pure) {
                code.pop();
                return;
            }
            code.istore(RESULT);
            Label ok = code.newLabel();
            code.iload(RESULT).ifeq(ok);
            leaveWith(after);
            code.labelBinding(ok);
            if (op == B || op == BC) {
                branch(s, op, w);
                return;
            }
            if (mayStore(op)) {
                // A store into this very page makes the rest of the translation stale.
                Label same = code.newLabel();
                code.aload(THIS).getfield(REGION, "page", PAGE).getfield(PAGE, "stamp", CD_int)
                        .ldc(generation).if_icmpeq(same);
                leave(after);
                code.labelBinding(same);
            }
            if (endsRegion(op, w)) {
                leave(after); // the body has set pc
            }
        }

        /** After the branch body ran (pc is its target or the next instruction): follow it inside the region. */
        private void branch(int s, int op, int w) {
            int t = directTarget(s, op, w);
            if (t >= 0 && r.in()[t]) {
                if (op == B) {
                    code.goto_(labels[t]);
                    return;
                }
                pcEquals(t, labels[t]);
            }
            if (op == BC && s + 1 < SLOTS && r.in()[s + 1]) {
                pcEquals(s + 1, labels[s + 1]);
            }
            leave(0);
        }

        private void pcEquals(int slot, Label target) {
            code.aload(CORE_ARG).getfield(CORE, "pc", CD_long).lload(BASE).ldc(4L * slot).ladd().lcmp().ifeq(target);
        }

        /** pc = the address of slot s of this page (s may be one past the page: wraps in 32-bit mode). */
        private void setPc(int s) {
            code.aload(CORE_ARG).lload(BASE).ldc(4L * s).ladd();
            if (s == SLOTS) {
                code.aload(CORE_ARG).getfield(CORE, "addrMask", CD_long).land();
            }
            code.putfield(CORE, "pc", CD_long);
        }

        /** Returns OK, giving back the charge for {@code unrun} instructions not executed. */
        private void leave(int unrun) {
            storeLeft(unrun);
            code.iconst_0().ireturn();
        }

        private void leaveWith(int unrun) {
            storeLeft(unrun);
            code.iload(RESULT).ireturn();
        }

        private void storeLeft(int unrun) {
            code.aload(CORE_ARG).lload(LEFT);
            if (unrun != 0) {
                code.ldc((long) unrun).ladd();
            }
            code.putfield(CORE, "jitLeft", CD_long);
        }
    }
}
