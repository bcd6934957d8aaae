package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.NativeTier.BUDGET;
import static jvisor.hw.power.cpu.NativeTier.CA;
import static jvisor.hw.power.cpu.NativeTier.CA32;
import static jvisor.hw.power.cpu.NativeTier.CODE_EPOCH;
import static jvisor.hw.power.cpu.NativeTier.COUNT;
import static jvisor.hw.power.cpu.NativeTier.CR;
import static jvisor.hw.power.cpu.NativeTier.CTR;
import static jvisor.hw.power.cpu.NativeTier.EA;
import static jvisor.hw.power.cpu.NativeTier.EXIT;
import static jvisor.hw.power.cpu.NativeTier.JUMPS;
import static jvisor.hw.power.cpu.NativeTier.JUMP_ENTRIES;
import static jvisor.hw.power.cpu.NativeTier.JUMP_EPOCH;
import static jvisor.hw.power.cpu.NativeTier.LR;
import static jvisor.hw.power.cpu.NativeTier.MODE;
import static jvisor.hw.power.cpu.NativeTier.RESERVED;
import static jvisor.hw.power.cpu.NativeTier.SO;
import static jvisor.hw.power.cpu.NativeTier.TARGET;
import static jvisor.hw.power.cpu.X86Assembler.A;
import static jvisor.hw.power.cpu.X86Assembler.AE;
import static jvisor.hw.power.cpu.X86Assembler.B;
import static jvisor.hw.power.cpu.X86Assembler.E;
import static jvisor.hw.power.cpu.X86Assembler.G;
import static jvisor.hw.power.cpu.X86Assembler.L;
import static jvisor.hw.power.cpu.X86Assembler.NE;
import static jvisor.hw.power.cpu.X86Assembler.R10;
import static jvisor.hw.power.cpu.X86Assembler.R11;
import static jvisor.hw.power.cpu.X86Assembler.R8;
import static jvisor.hw.power.cpu.X86Assembler.R9;
import static jvisor.hw.power.cpu.X86Assembler.RAX;
import static jvisor.hw.power.cpu.X86Assembler.RCX;
import static jvisor.hw.power.cpu.X86Assembler.RDI;
import static jvisor.hw.power.cpu.X86Assembler.RDX;
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
 * blocks are entered in). Where a template cannot finish here
 * (a data-cache miss, a trap, a divide's undefined case, a store the reservations or the code
 * epoch care about) it <em>bails</em>: the block stops before that instruction, and the
 * interpreter performs it and the rest of its run.
 */
final class NativeBlockWriter {
    /** The most guest instructions in one block: the budget a block needs to be entered. */
    static final int MAX_INSTRUCTIONS = 64;

    private static final int G_REG = RDI, STATE = RCX, READS = RSI;

    /** A block's exits, each written after its body: how many ran, why, and the next address. */
    private record Exit(int patchAt, int count, int why, boolean taken, boolean toTarget, long offset, int[] spill) {
    }

    private static final int[] NOTHING = {};

    private final X86Assembler a = new X86Assembler();
    /** The GPRs in host registers, and what each exit must write back ({@link NativeRegisters}). */
    private final NativeRegisters regs = new NativeRegisters(a, G_REG);
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
        exits.add(new Exit(a.jcc(L), 0, NativeTier.BAILED, false, false, 0, NOTHING));
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
        if (!toBail.isEmpty()) {
            // R8: the instructions run. The next address is the instruction after them.
            int at = a.pos();
            toBail.forEach(j -> a.patch(j, at));
            a.aluToMem(Alu.ADD, STATE, 8L * COUNT, R8);
            a.storeImm(STATE, 8L * EXIT, NativeTier.BAILED);
            a.load(RAX, STATE, 8L * EA);
            a.leaIndexed(RAX, RAX, R8, 2);
            a.ret();
        }
        if (!toChain.isEmpty()) {
            // R8: the instructions run, RAX: the next address.
            int at = a.pos();
            toChain.forEach(j -> a.patch(j, at));
            a.aluToMem(Alu.ADD, STATE, 8L * COUNT, R8);
            a.storeImm(STATE, 8L * EXIT, NativeTier.BRANCHED);
            if (NativeTier.CHAIN) {
                chain();
            }
            a.ret();
        }
        return a.bytes();
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

    /** The flags of a compare of RAX with R8 (already done) into CR field bf, with SO. */
    private void crField(int bf, boolean unsigned) {
        a.movImm(R9, 2);
        a.movImm(R10, 8);
        a.cmov(unsigned ? B : L, R9, R10);
        a.movImm(R10, 4);
        a.cmov(unsigned ? A : G, R9, R10);
        a.aluLoad(Alu.OR, R9, STATE, 8L * SO);
        int shift = 28 - 4 * bf;
        if (shift != 0) {
            a.shift(X86Assembler.SHL, R9, shift, false);
        }
        a.load32(R10, STATE, 8L * CR);
        a.aluImm32(Alu.AND, R10, ~(0xF << shift));
        a.alu32(Alu.OR, R10, R9);
        a.store32(STATE, 8L * CR, R10);
    }

    /** CR0 from a record form's result in RAX (64-bit mode: a signed compare with zero). */
    private void cr0() {
        a.movImm(R8, 0);
        a.alu(Alu.CMP, RAX, R8);
        crField(0, false);
    }

    /** rax = result: to RT (or RA for the logical forms), with CR0 for a record form. */
    private void result(int reg, boolean record) {
        storeGpr(reg, RAX);
        if (record) {
            cr0();
        }
    }

    /**
     * CA and CA32 of RAX = a + b (+ carry in, already added) where R10 held a and R8 b: CF is CA,
     * bit 31 of the carries CA32.
     */
    private void carries() {
        a.setcc(B, R11);
        a.movzxByte(R11, R11);
        a.store(STATE, 8L * CA, R11);
        a.mov(R11, R10);
        a.alu(Alu.AND, R11, R8);
        a.alu(Alu.OR, R10, R8);
        a.mov(R9, RAX);
        a.not(R9);
        a.alu(Alu.AND, R10, R9);
        a.alu(Alu.OR, R11, R10);
        a.shift(X86Assembler.SHR, R11, 31, true);
        a.aluImm32(Alu.AND, R11, 1);
        a.store(STATE, 8L * CA32, R11);
    }

    /**
     * RAX = RAX + R8 + carry in (0, 1, or CA when cin is negative), setting CA and CA32.
     */
    private void addCarrying(int cin) {
        a.mov(R10, RAX);
        if (cin < 0) {
            // CF = CA: 0 - CA borrows exactly when CA is 1... use an add of -1 to CA instead.
            a.load(R9, STATE, 8L * CA);
            a.aluImm(Alu.ADD, R9, -1); // CF set when CA was 1 (1 + 0xFF..FF carries)
        } else if (cin == 1) {
            a.movImm(R9, 1);
            a.aluImm(Alu.ADD, R9, -1); // CF = 1
        } else {
            a.alu(Alu.XOR, R9, R9);   // CF = 0
        }
        a.alu(Alu.ADC, RAX, R8);
        carries();
    }

    /** The templates: 0 emitted, 1 emitted and the block ends, -1 no template (nothing emitted). */
    private int emit(String m, int w, int k) {
        int rt = (w >>> 21) & 31, ra = (w >>> 16) & 31, rb = (w >>> 11) & 31;
        boolean rc = (w & 1) != 0, oe = (w & 0x400) != 0;
        switch (m) {
            case "addi", "addis" -> {
                long imm = m.equals("addi") ? (short) w : (long) (short) w << 16;
                loadRaOrZero(RAX, ra);
                a.aluImm(Alu.ADD, RAX, imm);
                storeGpr(rt, RAX);
            }
            case "ori", "oris", "xori", "xoris" -> {
                long ui = m.endsWith("s") ? (long) (w & 0xFFFF) << 16 : w & 0xFFFF;
                if (ui == 0 && rt == ra) {
                    return 0;
                }
                loadGpr(RAX, rt);
                a.movImm(R8, ui);
                a.alu(m.startsWith("o") ? Alu.OR : Alu.XOR, RAX, R8);
                storeGpr(ra, RAX);
            }
            case "andi.", "andis." -> {
                loadGpr(RAX, rt);
                a.movImm(R8, m.equals("andis.") ? (long) (w & 0xFFFF) << 16 : w & 0xFFFF);
                a.alu(Alu.AND, RAX, R8);
                result(ra, true);
            }
            case "or", "xor", "and", "andc", "nor", "orc", "nand", "eqv" -> {
                loadGpr(RAX, rt);
                loadGpr(R8, rb);
                if (m.equals("andc") || m.equals("orc")) {
                    a.not(R8);
                }
                a.alu(switch (m) {
                    case "or", "nor", "orc" -> Alu.OR;
                    case "xor", "eqv" -> Alu.XOR;
                    default -> Alu.AND;
                }, RAX, R8);
                if (m.equals("nor") || m.equals("nand") || m.equals("eqv")) {
                    a.not(RAX);
                }
                result(ra, rc);
            }
            case "extsw", "extsh", "extsb" -> {
                loadGpr(RAX, rt);
                if (m.equals("extsw")) {
                    a.movsxd(RAX, RAX);
                } else {
                    a.movsx(RAX, RAX, m.equals("extsh") ? 2 : 1);
                }
                result(ra, rc);
            }
            case "add", "subf", "neg", "mulld", "mullw" -> {
                if (oe) {
                    return -1;
                }
                switch (m) {
                    case "add" -> {
                        loadGpr(RAX, ra);
                        a.alu(Alu.ADD, RAX, gpr(rb));
                    }
                    case "subf" -> {
                        loadGpr(RAX, rb);
                        a.alu(Alu.SUB, RAX, gpr(ra));
                    }
                    case "neg" -> {
                        loadGpr(RAX, ra);
                        a.neg(RAX);
                    }
                    case "mulld" -> {
                        loadGpr(RAX, ra);
                        loadGpr(R8, rb);
                        a.imul(RAX, R8);
                    }
                    default -> {
                        a.movsxd(RAX, gpr(ra));
                        a.movsxd(R8, gpr(rb));
                        a.imul(RAX, R8);
                    }
                }
                result(rt, rc);
            }
            case "maddld" -> {
                // RT = RA * RB + RC (the low doubleword; VA form, no record bit)
                loadGpr(RAX, ra);
                loadGpr(R8, rb);
                a.imul(RAX, R8);
                a.alu(Alu.ADD, RAX, gpr((w >>> 6) & 31));
                storeGpr(rt, RAX);
            }
            case "mulhw", "mulhwu" -> {
                boolean signed = m.equals("mulhw");
                if (signed) {
                    a.movsxd(RAX, gpr(ra));
                    a.movsxd(R8, gpr(rb));
                } else {
                    a.mov32(RAX, gpr(ra));
                    a.mov32(R8, gpr(rb));
                }
                a.imul(RAX, R8);
                a.shift(X86Assembler.SHR, RAX, 32, true);
                result(rt, rc);
            }
            case "isel" -> {
                // RT = CR bit BC ? (RA|0) : RB
                int bc = (w >>> 6) & 31;
                loadGpr(RAX, rb);
                loadRaOrZero(R8, ra);
                a.testMem32(STATE, 8L * CR, 1L << (31 - bc));
                a.cmov(NE, RAX, R8);
                storeGpr(rt, RAX);
            }
            case "mulli" -> {
                loadGpr(R8, ra);
                a.imulImm(RAX, R8, (short) w);
                storeGpr(rt, RAX);
            }
            case "mulhdu", "mulhd" -> {
                // rdx (a GPR's host register) takes the high half: kept in r11 meanwhile.
                loadGpr(RAX, ra);
                loadGpr(R8, rb);
                a.mov(R11, RDX);
                mulHigh(m.equals("mulhd"));
                a.mov(RAX, RDX);
                a.mov(RDX, R11);
                result(rt, rc);
            }
            case "addic", "addic.", "subfic" -> {
                if (m.equals("subfic")) {
                    loadGpr(RAX, ra);
                    a.not(RAX);
                } else {
                    loadGpr(RAX, ra);
                }
                a.movImm(R8, (short) w);
                addCarrying(m.equals("subfic") ? 1 : 0);
                result(rt, m.equals("addic."));
            }
            case "addc", "adde", "addze", "addme", "subfc", "subfe", "subfze", "subfme" -> {
                if (oe) {
                    return -1;
                }
                loadGpr(RAX, ra);
                if (m.startsWith("subf")) {
                    a.not(RAX);
                }
                if (m.endsWith("ze")) {
                    a.movImm(R8, 0);
                } else if (m.endsWith("me")) {
                    a.movImm(R8, -1);
                } else {
                    loadGpr(R8, rb);
                }
                addCarrying(m.equals("addc") ? 0 : m.equals("subfc") ? 1 : -1);
                result(rt, rc);
            }
            case "divdu", "divwu", "divd", "divw" -> {
                if (oe) {
                    return -1;
                }
                boolean wide = m.startsWith("divd"), signed = !m.endsWith("u");
                if (wide) {
                    loadGpr(RAX, ra);
                    loadGpr(R8, rb);
                } else {
                    a.mov32(RAX, gpr(ra));
                    a.mov32(R8, gpr(rb));
                }
                // Divisor zero, or the signed quotient that overflows: the interpreter's.
                if (wide) {
                    a.test(R8, R8);
                } else {
                    a.alu32(Alu.OR, R8, R8);
                }
                bailIf(E, k);
                if (signed) {
                    a.movImm(R9, -1);
                    if (wide) {
                        a.alu(Alu.CMP, R8, R9);
                    } else {
                        a.alu32(Alu.CMP, R8, R9);
                    }
                    bailIf(E, k);
                }
                a.mov(R11, RDX);
                if (signed) {
                    // Sign-extend the dividend into rdx (cqo / cdq).
                    if (wide) {
                        a.mov(RDX, RAX);
                        a.shift(X86Assembler.SAR, RDX, 63, true);
                    } else {
                        a.mov32(RDX, RAX);
                        a.shift(X86Assembler.SAR, RDX, 31, false);
                    }
                } else {
                    a.alu32(Alu.XOR, RDX, RDX);
                }
                a.div(R8, signed, wide);
                a.mov(RDX, R11);
                if (!wide) {
                    a.mov32(RAX, RAX);
                }
                result(rt, rc);
            }
            case "rlwinm", "rlwimi" -> {
                int sh = rb;
                long mask = Rotate.mask(Rotate.mb5(w) + 32, Rotate.me5(w) + 32);
                a.mov32(RAX, gpr(rt));
                if ((mask >>> 32) == 0) {
                    if (sh != 0) {
                        a.shift(X86Assembler.ROL, RAX, sh, false);
                    }
                } else {
                    // A wrapping mask takes rotated bits into the high word: the word twice.
                    a.mov(R8, RAX);
                    a.shift(X86Assembler.SHL, R8, 32, true);
                    a.alu(Alu.OR, RAX, R8);
                    if (sh != 0) {
                        a.shift(X86Assembler.ROL, RAX, sh, true);
                    }
                }
                insertUnderMask(mask, m.equals("rlwimi"), ra);
                result(ra, rc);
            }
            case "rldicl", "rldicr", "rldic", "rldimi" -> {
                int sh = Rotate.sh6(w), mb = Rotate.mb6(w);
                long mask = switch (m) {
                    case "rldicl" -> Rotate.mask(mb, 63);
                    case "rldicr" -> Rotate.mask(0, mb);
                    default -> Rotate.mask(mb, 63 - sh);
                };
                loadGpr(RAX, rt);
                if (sh != 0) {
                    a.shift(X86Assembler.ROL, RAX, sh, true);
                }
                insertUnderMask(mask, m.equals("rldimi"), ra);
                result(ra, rc);
            }
            case "sld", "srd", "slw", "srw" -> {
                boolean wide = m.charAt(2) == 'd';
                loadGpr(RAX, rt);
                if (!wide) {
                    a.mov32(RAX, RAX);
                }
                loadGpr(R8, rb);
                // The count's bit 6 (5 for a word) shifts everything out: the result is zero.
                a.aluImm32(Alu.AND, R8, wide ? 0x7F : 0x3F);
                a.mov(R10, RCX);
                a.mov32(RCX, R8);
                a.shiftCl(m.charAt(1) == 'l' ? X86Assembler.SHL : X86Assembler.SHR, RAX, true);
                a.mov(RCX, R10);
                if (!wide) {
                    a.mov32(RAX, RAX);
                }
                a.movImm(R9, 0);
                a.aluImm32(Alu.CMP, R8, wide ? 63 : 31);
                a.cmov(A, RAX, R9);
                result(ra, rc);
            }
            case "rlwnm", "rldcl", "rldcr" -> {
                boolean word = m.equals("rlwnm");
                long mask = switch (m) {
                    case "rlwnm" -> Rotate.mask(Rotate.mb5(w) + 32, Rotate.me5(w) + 32);
                    case "rldcl" -> Rotate.mask(Rotate.mb6(w), 63);
                    default -> Rotate.mask(0, Rotate.mb6(w));
                };
                if (word) {
                    // The low word twice, rotated as a doubleword: the ISA's rotl32.
                    a.mov32(RAX, gpr(rt));
                    a.mov(R8, RAX);
                    a.shift(X86Assembler.SHL, R8, 32, true);
                    a.alu(Alu.OR, RAX, R8);
                } else {
                    loadGpr(RAX, rt);
                }
                loadGpr(R8, rb);
                a.aluImm32(Alu.AND, R8, word ? 31 : 63);
                a.mov(R10, RCX);
                a.mov32(RCX, R8);
                a.shiftCl(X86Assembler.ROL, RAX, true);
                a.mov(RCX, R10);
                insertUnderMask(mask, false, ra);
                result(ra, rc);
            }
            case "dcbt", "dcbtst", "dcbst", "dcbf", "dss" -> {
                // Cache hints: nothing to do here, as in the interpreter.
            }
            case "sradi", "srawi" -> {
                boolean wide = m.equals("sradi");
                int n = wide ? Rotate.sh6(w) : rb;
                if (wide) {
                    loadGpr(RAX, rt);
                } else {
                    a.movsxd(RAX, gpr(rt));
                }
                // CA: negative and a 1 shifted out.
                a.mov(R8, RAX);
                a.movImm(R9, n == 0 ? 0 : -1L >>> (64 - n));
                a.alu(Alu.AND, R9, R8);
                a.movImm(R10, 0);
                a.alu(Alu.CMP, R9, R10);
                a.setcc(NE, R9);
                a.alu(Alu.CMP, R8, R10);
                a.setcc(L, R10);
                a.alu32(Alu.AND, R9, R10);
                a.movzxByte(R9, R9);
                a.store(STATE, 8L * CA, R9);
                a.store(STATE, 8L * CA32, R9);
                if (n != 0) {
                    a.shift(X86Assembler.SAR, RAX, n, true);
                }
                result(ra, rc);
            }
            case "cntlzd", "cntlzw" -> {
                boolean wide = m.equals("cntlzd");
                loadGpr(R8, rt);
                a.bsr(RAX, R8, wide);
                a.movImm(R9, -1);
                a.cmov(E, RAX, R9);            // a zero source: -1, so that the count is 64 (32)
                a.movImm(R8, wide ? 63 : 31);
                a.alu(Alu.SUB, R8, RAX);
                a.mov(RAX, R8);
                result(ra, rc);
            }
            case "cmpi", "cmpli", "cmp", "cmpl" -> {
                int bf = (w >>> 23) & 7;
                boolean wide = ((w >>> 21) & 1) != 0, unsigned = m.startsWith("cmpl");
                loadGpr(RAX, ra);
                switch (m) {
                    case "cmpi" -> a.movImm(R8, (short) w);
                    case "cmpli" -> a.movImm(R8, w & 0xFFFF);
                    default -> loadGpr(R8, rb);
                }
                if (wide) {
                    a.alu(Alu.CMP, RAX, R8);
                } else {
                    a.alu32(Alu.CMP, RAX, R8);
                }
                crField(bf, unsigned);
            }
            case "tdi", "twi" -> {
                int to = rt;
                if (to == 31) {
                    return -1;
                }
                if (to != 0) {
                    loadGpr(RAX, ra);
                    a.movImm(R8, (short) w);
                    if (m.equals("tdi")) {
                        a.alu(Alu.CMP, RAX, R8);
                    } else {
                        a.alu32(Alu.CMP, RAX, R8);
                    }
                    int[] conditions = {L, G, E, B, A};
                    for (int i = 0; i < 5; i++) {
                        if ((to & (0x10 >>> i)) != 0) {
                            bailIf(conditions[i], k);
                        }
                    }
                }
            }
            case "mfcr", "mfocrf" -> {
                a.load32(RAX, STATE, 8L * CR);
                if (m.equals("mfocrf")) {
                    a.aluImm32(Alu.AND, RAX, Branch.fieldMask((w >>> 12) & 0xFF));
                }
                storeGpr(rt, RAX);
            }
            case "mtcrf", "mtocrf" -> {
                int fm = Branch.fieldMask((w >>> 12) & 0xFF);
                a.mov32(RAX, gpr(rt));
                a.aluImm32(Alu.AND, RAX, fm);
                a.load32(R10, STATE, 8L * CR);
                a.aluImm32(Alu.AND, R10, ~fm);
                a.alu32(Alu.OR, R10, RAX);
                a.store32(STATE, 8L * CR, R10);
            }
            case "mfspr", "mtspr" -> {
                int spr = ((w >>> 16) & 31) | (((w >>> 11) & 31) << 5);
                int slot = spr == 8 ? LR : spr == 9 ? CTR : -1;
                if (slot < 0) {
                    return -1;
                }
                if (m.equals("mfspr")) {
                    a.load(RAX, STATE, 8L * slot);
                    storeGpr(rt, RAX);
                } else {
                    loadGpr(RAX, rt);
                    a.store(STATE, 8L * slot, RAX);
                }
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
            case "cmpb" -> {
                // RA: 0xFF in each byte where RS and RB agree, i.e. where x = RS ^ RB is zero.
                // ~(((x & 0x7F..) + 0x7F..) | x | 0x7F..) has exactly those bytes' top bits set
                // (no sum carries out of its byte); moved down to bit 0 and times 255, 0xFF each.
                loadGpr(RAX, rt);
                a.alu(Alu.XOR, RAX, gpr(rb));
                a.movImm(R8, 0x7F7F_7F7F_7F7F_7F7FL);
                a.mov(R9, RAX);
                a.alu(Alu.AND, R9, R8);
                a.alu(Alu.ADD, R9, R8);
                a.alu(Alu.OR, R9, RAX);
                a.alu(Alu.OR, R9, R8);
                a.not(R9);
                a.shift(X86Assembler.SHR, R9, 7, true);
                a.imulImm(RAX, R9, 255);
                storeGpr(ra, RAX);
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
                return -1;
            }
        }
        return 0;
    }

    /** rdx:rax = rax * r8 (signed for mulhd). */
    private void mulHigh(boolean signed) {
        a.mulWide(R8, signed);
    }

    /** RAX (rotated) under the mask, with RA's other bits for the inserting forms. */
    private void insertUnderMask(long mask, boolean insert, int ra) {
        a.movImm(R8, mask);
        a.alu(Alu.AND, RAX, R8);
        if (insert) {
            a.not(R8);
            a.alu(Alu.AND, R8, gpr(ra));
            a.alu(Alu.OR, RAX, R8);
        }
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

    // ---- what NativeMemory needs ----

    X86Assembler asm() {
        return a;
    }

    void bail(int cc, int k) {
        bailIf(cc, k);
    }

    void gprToRax(int r) {
        loadGpr(RAX, r);
    }

    /** The host register holding GPR r, for an operand used at once. */
    int gprOperand(int r) {
        return gpr(r);
    }

    /** GPR r = reg. */
    void toGpr(int r, int reg) {
        storeGpr(r, reg);
    }

    void raOrZeroToRax(int ra) {
        loadRaOrZero(RAX, ra);
    }

    static int stateRegister() {
        return STATE;
    }

    static int readsRegister() {
        return READS;
    }

}
