package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.NativeTier.CA;
import static jvisor.hw.power.cpu.NativeTier.CA32;
import static jvisor.hw.power.cpu.NativeTier.CR;
import static jvisor.hw.power.cpu.NativeTier.CTR;
import static jvisor.hw.power.cpu.NativeTier.LR;
import static jvisor.hw.power.cpu.NativeTier.SO;
import static jvisor.hw.power.cpu.X86Assembler.A;
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
import static jvisor.hw.power.cpu.X86Assembler.RDX;

import jvisor.hw.power.cpu.X86Assembler.Alu;

/**
 * The native tier's fixed-point templates: arithmetic with and without carries, multiplies and
 * divides, the logical and rotate and shift forms, counts and extends, compares and traps, isel,
 * cmpb, and the moves of CR, LR and CTR. Each keeps the interpreter's semantics for 64-bit code;
 * its GPRs come and go through the block's writer ({@link NativeBlockWriter}, which holds them in
 * host registers), the state beyond them (CR, CA, CA32, SO, LR, CTR) in the GPR array's tail
 * ({@link NativeTier}). A divide's undefined case and a trap taken bail to the interpreter.
 */
final class NativeFixedPoint {
    private static final int STATE = NativeBlockWriter.STATE;

    private final NativeBlockWriter wr;
    private final X86Assembler a;

    NativeFixedPoint(NativeBlockWriter wr, X86Assembler a) {
        this.wr = wr;
        this.a = a;
    }

    /** Emits instruction w (mnemonic m, the block's k-th): 0, or -1 for no template (nothing emitted). */
    int emit(String m, int w, int k) {
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
            default -> {
                return -1;
            }
        }
        return 0;
    }

    private void loadGpr(int reg, int r) {
        wr.gprTo(reg, r);
    }

    private void storeGpr(int r, int reg) {
        wr.toGpr(r, reg);
    }

    private int gpr(int r) {
        return wr.gprOperand(r);
    }

    private void loadRaOrZero(int reg, int ra) {
        wr.raOrZeroTo(reg, ra);
    }

    private void bailIf(int cc, int k) {
        wr.bail(cc, k);
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
}
