package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.NativeTier.BUDGET;
import static jvisor.hw.power.cpu.NativeTier.COUNT;
import static jvisor.hw.power.cpu.NativeTier.CR;
import static jvisor.hw.power.cpu.NativeTier.CTR;
import static jvisor.hw.power.cpu.NativeTier.EA;
import static jvisor.hw.power.cpu.NativeTier.EXIT;
import static jvisor.hw.power.cpu.NativeTier.JUMPS;
import static jvisor.hw.power.cpu.NativeTier.JUMP_ENTRIES;
import static jvisor.hw.power.cpu.NativeTier.JUMP_EPOCH;
import static jvisor.hw.power.cpu.NativeTier.LR;
import static jvisor.hw.power.cpu.NativeTier.TARGET;
import static jvisor.hw.power.cpu.X86Assembler.E;
import static jvisor.hw.power.cpu.X86Assembler.L;
import static jvisor.hw.power.cpu.X86Assembler.NE;
import static jvisor.hw.power.cpu.X86Assembler.R8;
import static jvisor.hw.power.cpu.X86Assembler.R9;
import static jvisor.hw.power.cpu.X86Assembler.RAX;
import static jvisor.hw.power.cpu.X86Assembler.RCX;
import static jvisor.hw.power.cpu.X86Assembler.RDI;
import static jvisor.hw.power.cpu.X86Assembler.RSI;

import java.util.ArrayList;
import java.util.List;
import jvisor.hw.power.cpu.X86Assembler.Alu;

/**
 * Writes one native block: the straight-line guest instructions from a branch target as x86-64
 * templates, one after another, across conditional branches not taken, to the first branch
 * taken, an instruction with no template, or a block's most instructions.
 *
 * <p>The block is called as {@code long block(long[] gprs, long[] dataCache)} with the register
 * array's tail holding the rest of the state ({@link NativeTier}). In the block, RDI points at
 * the GPRs, RCX at the state, RSI at the data cache's entries (the write entries after the read
 * ones); RAX and R8-R11 are scratch, and RBX, RDX and R12-R15 hold GPRs ({@link NativeRegisters}).
 * Every template keeps the interpreter's semantics for 64-bit, little-endian code (the only mode
 * blocks are entered in): the branches, barriers and cache hints are here, the fixed-point
 * templates in {@link NativeFixedPoint}, the loads and stores in {@link NativeMemory}, all
 * writing into this block through its assembler and its GPR registers. Where a template cannot
 * finish here (a data-cache miss, a trap, a divide's undefined case, a store the reservations or
 * the code epoch care about) it <em>bails</em>: the block stops before that instruction, and the
 * interpreter performs it and the rest of its run.
 */
final class NativeBlockWriter {
    /** The most guest instructions in one block: the budget a block needs to be entered. */
    static final int MAX_INSTRUCTIONS = 64;

    private static final int G_REG = RDI;
    /** The registers pointing at the state and at the data cache's entries (the templates' bases). */
    static final int STATE = RCX, READS = RSI;

    /** A block's exits, each written after its body: how many ran, why, and the next address. */
    private record Exit(int patchAt, int count, int why, boolean taken, boolean toTarget, long offset, int[] spill) {
    }

    private final X86Assembler a = new X86Assembler();
    /** The GPRs in host registers, and what each exit must write back ({@link NativeRegisters}). */
    private final NativeRegisters regs = new NativeRegisters(a, G_REG);
    private final NativeFixedPoint fixedPoint = new NativeFixedPoint(this, a);
    private final List<Exit> exits = new ArrayList<>();
    /** The mnemonics of the instructions with no template, counted as blocks stop at them (null: not counted). */
    private final java.util.Map<String, Long> stops;

    private NativeBlockWriter(java.util.Map<String, Long> stops) {
        this.stops = stops;
    }

    /**
     * The code of the block starting at slot s of the page, or null if its first instruction has
     * no template. {@code counter} is the address of its entry counter (a dword kept away from
     * code: a store near code being run costs x86 a pipeline flush).
     */
    static byte[] write(DecodePage page, int s, jvisor.memory.RealMemory memory, long counter,
                        java.util.Map<String, Long> stops) {
        return new NativeBlockWriter(stops).block(page, s, memory, counter);
    }


    /** Whether instruction w (operation op) has a template here. */
    static boolean hasTemplate(int op, int w) {
        return new NativeBlockWriter(null).emit(NativeTier.mnemonic(op), w, 0) >= 0;
    }

    private byte[] block(DecodePage page, int s, jvisor.memory.RealMemory memory, long counter) {
        this.page = page;
        this.start = s;
        // Entry: the state's pointer, the hot counter, then the budget this block's every
        // instruction needs.
        a.lea(STATE, G_REG, 8L * 32);
        a.movImm(R8, counter);
        a.decrement32(R8);
        int hot = a.jcc(E);
        a.aluImmMem(Alu.CMP, STATE, 8L * BUDGET, MAX_INSTRUCTIONS);
        int needed = a.pos() - 4;
        exits.add(new Exit(a.jcc(L), 0, NativeTier.BAILED, false, false, 0, regs.dirty()));
        int k = 0;
        boolean ended = false;
        for (int slot = s; slot < DecodePage.SLOTS && k < MAX_INSTRUCTIONS; slot++) {
            long e = page.kept(slot);
            if (e == 0) {
                e = page.decode(slot, memory);
            }
            String m = NativeTier.mnemonic((int) (e >>> 32));
            int w = (int) e;
            int r = emit(m, w, k);
            if (r < 0) {
                if (stops != null) {
                    stops.merge(m + ((w & 1) != 0 ? "." : ""), 1L, Long::sum);
                }
                break;
            }
            k++;
            if (r == 1) {
                ended = true;
                break;
            }
        }
        if (k == 0) {
            return null;
        }
        a.putInt(needed, k);
        if (!ended) {
            // At a page's end or a block's most instructions, the next instruction starts a block
            // of its own; elsewhere the interpreter goes on from the instruction with no template.
            boolean full = s + k >= DecodePage.SLOTS || k == MAX_INSTRUCTIONS;
            epilogue(k, full ? NativeTier.BRANCHED : NativeTier.BAILED, false, false, 4L * k, regs.dirty());
        }
        // The exits: a bail's stub only says how many ran (one stub for the bails of one
        // instruction), a branch's sets CFAR and the next address; both then go to the block's
        // one copy of the code that leaves (or goes on to the next block).
        // (The bails of one instruction write back the same registers: nothing is written
        // between its tests. A stub is shared only where that holds.)
        int[] bailStubs = new int[MAX_INSTRUCTIONS + 1]; // by instruction; 0: none yet
        int[][] bailSpills = new int[MAX_INSTRUCTIONS + 1][];
        for (Exit x : exits) {
            if (x.why() == NativeTier.BAILED) {
                if (bailStubs[x.count()] != 0 && java.util.Arrays.equals(bailSpills[x.count()], x.spill())) {
                    a.patch(x.patchAt(), bailStubs[x.count()]);
                    continue;
                }
                bailStubs[x.count()] = a.pos();
                bailSpills[x.count()] = x.spill();
            }
            a.patch(x.patchAt(), a.pos());
            epilogue(x.count(), x.why(), x.taken(), x.toTarget(), x.offset(), x.spill());
        }
        a.patch(hot, a.pos());
        a.movImm(R8, counter);
        a.store32Imm(R8, NativeTier.HOT_ENTRIES);
        a.storeImm(STATE, 8L * EXIT, NativeTier.HOT);
        a.load(RAX, STATE, 8L * EA);
        a.ret();
        if (joinExits(toBail, NativeTier.BAILED)) {
            // The next address is the instruction after those run.
            a.load(RAX, STATE, 8L * EA);
            a.leaIndexed(RAX, RAX, R8, 2);
            a.ret();
        }
        if (joinExits(toChain, NativeTier.BRANCHED)) {
            // RAX: the next address.
            if (NativeTier.CHAIN) {
                chain();
            }
            a.ret();
        }
        return a.bytes();
    }

    /**
     * The one tail the exits of a kind share, if any jumps to it: adds the instructions run (R8)
     * to the count and says why the block returns; false (nothing written) if none does.
     */
    private boolean joinExits(List<Integer> jumps, int why) {
        if (jumps.isEmpty()) {
            return false;
        }
        int at = a.pos();
        jumps.forEach(j -> a.patch(j, at));
        a.aluToMem(Alu.ADD, STATE, 8L * COUNT, R8);
        a.storeImm(STATE, 8L * EXIT, why);
        return true;
    }

    /**
     * Leaves the block (or goes on to the next, see {@link #chain}) having run {@code count}
     * instructions: the next address is the target slot's or EA + offset.
     */
    private void epilogue(int count, int why, boolean taken, boolean toTarget, long offset, int[] spill) {
        regs.writeBack(spill);
        if (why == NativeTier.BAILED) {
            a.movImm(R8, count);
            toBail.add(a.jmp());
            return;
        }
        if (why == NativeTier.BRANCHED && taken) {
            // A branch taken: CFAR is its address.
            a.load(R8, STATE, 8L * EA);
            a.aluImm(Alu.ADD, R8, 4L * (count - 1));
            a.store(STATE, 8L * NativeTier.CFAR, R8);
        }
        if (toTarget) {
            a.load(RAX, STATE, 8L * TARGET);
        } else {
            a.load(RAX, STATE, 8L * EA);
            if (offset != 0) {
                a.aluImm(Alu.ADD, RAX, offset);
            }
        }
        long direct = toTarget || !NativeTier.CHAIN ? 0 : blockInPage(offset);
        if (direct == 0) {
            a.movImm(R8, count);
            toChain.add(a.jmp());
            return;
        }
        // The next block is in this page: straight to it while budget is left.
        a.aluImmMem(Alu.ADD, STATE, 8L * COUNT, count);
        a.storeImm(STATE, 8L * EXIT, why);
        a.aluImmMem(Alu.SUB, STATE, 8L * BUDGET, count);
        int out = a.jcc(X86Assembler.LE);
        a.store(STATE, 8L * EA, RAX);
        a.movImm(R8, direct);
        a.jmpRegister(R8);
        a.patch(out, a.pos());
        a.ret();
    }

    /** The jumps to the block's shared bail and branch exits. */
    private final List<Integer> toBail = new ArrayList<>(), toChain = new ArrayList<>();

    /**
     * RAX holds the next address: while budget is left, jumps to its block if the core's jump
     * cache has one of this epoch (the block then checks its own budget).
     */
    private void chain() {
        a.aluToMem(Alu.SUB, STATE, 8L * BUDGET, R8);
        int out1 = a.jcc(X86Assembler.LE);
        a.mov(R8, RAX);
        a.shift(X86Assembler.SHR, R8, 2, true);
        a.mov(R9, RAX);
        a.shift(X86Assembler.SHR, R9, NativeTier.JUMP_HASH_SHIFT, true);
        a.alu(Alu.XOR, R8, R9);
        a.aluImm32(Alu.AND, R8, JUMP_ENTRIES - 1);
        a.imulImm(R8, R8, 3);
        a.aluLoadIndexed(Alu.CMP, RAX, STATE, R8, 8L * JUMPS);
        int out2 = a.jcc(NE);
        a.loadIndexed(R9, STATE, R8, 8L * JUMPS + 8);
        a.aluLoad(Alu.CMP, R9, STATE, 8L * JUMP_EPOCH);
        int out3 = a.jcc(NE);
        a.store(STATE, 8L * EA, RAX);
        a.jmpIndirect(STATE, R8, 8L * JUMPS + 16);
        int out = a.pos();
        a.patch(out1, out);
        a.patch(out2, out);
        a.patch(out3, out);
    }

    /**
     * The code of the block at this block's start + offset if that is in the same page and has
     * a block already, else 0. A jump within a page needs no look-up: the page's blocks are
     * forgotten together, and the address leads to the same page as long as this block's does.
     */
    private long blockInPage(long offset) {
        long slot = start + (offset >> 2);
        long[] blocks = page == null ? null : NativeTier.blocks(page);
        if (blocks == null || (offset & 3) != 0 || slot < 0 || slot >= DecodePage.SLOTS) {
            return 0;
        }
        long code = blocks[(int) slot];
        return code > NativeTier.WANTED ? code : 0;
    }

    private DecodePage page;
    private int start;

    /** Leaves the block before instruction k if cc holds: the interpreter does it. */
    private void bailIf(int cc, int k) {
        exits.add(new Exit(a.jcc(cc), k, NativeTier.BAILED, false, false, 4L * k, regs.dirty()));
    }

    private void loadGpr(int reg, int r) {
        a.mov(reg, regs.read(r));
    }

    private void storeGpr(int r, int reg) {
        a.mov(regs.write(r), reg);
    }

    /** The host register holding GPR r (for an operand used at once). */
    private int gpr(int r) {
        return regs.read(r);
    }

    /** RA's value, or 0 for register 0 (the D-form's "RA|0"). */
    private void loadRaOrZero(int reg, int ra) {
        if (ra == 0) {
            a.movImm(reg, 0);
        } else {
            loadGpr(reg, ra);
        }
    }

    /** The templates: 0 emitted, 1 emitted and the block ends, -1 no template (nothing emitted). */
    private int emit(String m, int w, int k) {
        int rt = (w >>> 21) & 31, ra = (w >>> 16) & 31, rb = (w >>> 11) & 31;
        boolean rc = (w & 1) != 0, oe = (w & 0x400) != 0;
        switch (m) {
            case "dcbt", "dcbtst", "dcbst", "dcbf", "dss" -> {
                // Cache hints: nothing to do here, as in the interpreter.
            }
            case "sync", "lwsync" -> {
                if (((w >>> 21) & 3) != 1) {
                    a.mfence();
                }
            }
            case "eieio" -> {
                // A store-store fence, which x86's stores keep anyway; the store-forwarding
                // barrier form is a full one, as in the interpreter.
                if (MemoryBarrier.storeForwardingBarrier(w)) {
                    a.mfence();
                }
            }
            case "isync" -> {
                // Context synchronizing: the block ends after it, as the interpreter's run does,
                // and the next instruction starts where the run loop or the jump cache finds it.
                epilogue(k + 1, NativeTier.BRANCHED, false, false, 4L * (k + 1), regs.dirty());
                return 1;
            }
            case "b" -> {
                if ((w & 2) != 0) {
                    return -1;
                }
                long li = (long) (w & 0x03FF_FFFC) << 38 >> 38;
                if ((w & 1) != 0) {
                    linkTo(k);
                }
                epilogue(k + 1, NativeTier.BRANCHED, true, false, 4L * k + li, regs.dirty());
                return 1;
            }
            case "bc" -> {
                if ((w & 2) != 0) {
                    return -1;
                }
                int bo = rt;
                if ((w & 1) != 0) {
                    linkTo(k);
                }
                List<Integer> notTaken = branchConditions(bo, ra);
                exits.add(new Exit(a.jmp(), k + 1, NativeTier.BRANCHED, true, false, 4L * k + (short) (w & 0xFFFC), regs.dirty()));
                for (int at : notTaken) {
                    a.patch(at, a.pos());
                }
                if ((bo & 0x14) == 0x14) {
                    return 1;
                }
            }
            case "bclr", "bcctr" -> {
                int bo = rt;
                boolean ctr = m.equals("bcctr");
                if (ctr && (bo & 4) == 0) {
                    return -1;
                }
                a.load(RAX, STATE, 8L * (ctr ? CTR : LR));
                a.aluImm(Alu.AND, RAX, -4);
                a.store(STATE, 8L * TARGET, RAX);
                if ((w & 1) != 0) {
                    linkTo(k);
                }
                List<Integer> notTaken = branchConditions(bo, ra);
                if ((bo & 0x14) == 0x14) {
                    epilogue(k + 1, NativeTier.BRANCHED, true, true, 0, regs.dirty());
                    return 1;
                }
                exits.add(new Exit(a.jmp(), k + 1, NativeTier.BRANCHED, true, true, 0, regs.dirty()));
                for (int at : notTaken) {
                    a.patch(at, a.pos());
                }
            }
            default -> {
                if (NativeMemory.isAccess(m)) {
                    return NativeMemory.emit(this, m, w, k) ? 0 : -1;
                }
                return fixedPoint.emit(m, w, k);
            }
        }
        return 0;
    }

    /** LR = the address after instruction k. */
    private void linkTo(int k) {
        a.load(R8, STATE, 8L * EA);
        a.aluImm(Alu.ADD, R8, 4L * (k + 1));
        a.store(STATE, 8L * LR, R8);
    }

    /**
     * A conditional branch's tests (BO, BI): the CTR decrement and the CR bit; returns the jumps
     * taken when the branch is not (to be patched to the code after it), falling through when it is.
     */
    private List<Integer> branchConditions(int bo, int bi) {
        List<Integer> notTaken = new ArrayList<>();
        if ((bo & 4) == 0) {
            a.aluImmMem(Alu.SUB, STATE, 8L * CTR, 1);
            // Taken while CTR != 0 (BO[3] clear) or == 0 (set).
            notTaken.add(a.jcc((bo & 2) == 0 ? E : NE));
        }
        if ((bo & 0x10) == 0) {
            a.testMem32(STATE, 8L * CR, 1L << (31 - bi));
            notTaken.add(a.jcc((bo & 8) != 0 ? E : NE));
        }
        return notTaken;
    }

    // ---- what the templates of NativeFixedPoint and NativeMemory use ----

    X86Assembler asm() {
        return a;
    }

    /** Leaves the block before instruction k if cc holds. */
    void bail(int cc, int k) {
        bailIf(cc, k);
    }

    /** reg = GPR r. */
    void gprTo(int reg, int r) {
        loadGpr(reg, r);
    }

    /** The host register holding GPR r, for an operand used at once. */
    int gprOperand(int r) {
        return gpr(r);
    }

    /** GPR r = reg. */
    void toGpr(int r, int reg) {
        storeGpr(r, reg);
    }

    /** reg = RA, or 0 for register 0. */
    void raOrZeroTo(int reg, int ra) {
        loadRaOrZero(reg, ra);
    }

}
