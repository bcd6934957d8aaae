package jvisor.hw.power.cpu;

import java.util.Arrays;

/**
 * The few x86-64 instructions the native tier writes, encoded into a growing byte array. Memory
 * operands are [base + disp] or [base + index * scale + disp]; no base is RSP or R12 (which would
 * need a SIB byte of their own). Register numbers are the hardware's.
 */
final class X86Assembler {
    static final int RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSI = 6, RDI = 7, R8 = 8, R9 = 9, R10 = 10, R11 = 11,
            R12 = 12, R13 = 13, R14 = 14, R15 = 15;

    /** Condition codes (the low nibble of Jcc, SETcc, CMOVcc). */
    static final int B = 0x2, AE = 0x3, E = 0x4, NE = 0x5, BE = 0x6, A = 0x7, L = 0xC, GE = 0xD, LE = 0xE, G = 0xF;

    /** The ALU operations: their r/m,reg opcode and their /digit in the 0x81 immediate group. */
    enum Alu {
        ADD(0x01, 0), OR(0x09, 1), ADC(0x11, 2), AND(0x21, 4), SUB(0x29, 5), XOR(0x31, 6), CMP(0x39, 7);

        final int opcode, digit;

        Alu(int opcode, int digit) {
            this.opcode = opcode;
            this.digit = digit;
        }
    }

    /** Shift and rotate operations, as their /digit in the C1/D3 groups. */
    static final int ROL = 0, SHL = 4, SHR = 5, SAR = 7;

    private byte[] buf = new byte[1024];
    private int n;

    int pos() {
        return n;
    }

    byte[] bytes() {
        return Arrays.copyOf(buf, n);
    }

    private void put(int b) {
        if (n == buf.length) {
            buf = Arrays.copyOf(buf, 2 * n);
        }
        buf[n++] = (byte) b;
    }

    private void i32(long v) {
        put((int) v);
        put((int) (v >>> 8));
        put((int) (v >>> 16));
        put((int) (v >>> 24));
    }

    /** Writes a 32-bit displacement at {@code at} that reaches {@code target} from the end of the field. */
    void patch(int at, int target) {
        int rel = target - (at + 4);
        for (int i = 0; i < 4; i++) {
            buf[at + i] = (byte) (rel >>> (8 * i));
        }
    }

    /** Overwrites the 4 bytes at {@code at} with v (an immediate written before its value was known). */
    void putInt(int at, int v) {
        for (int i = 0; i < 4; i++) {
            buf[at + i] = (byte) (v >>> (8 * i));
        }
    }

    private void rex(boolean w, int reg, int index, int base) {
        int r = 0x40 | (w ? 8 : 0) | ((reg >> 3) << 2) | ((index >> 3) << 1) | (base >> 3);
        if (r != 0x40) {
            put(r);
        }
    }

    /** [base + disp]: an 8-bit displacement where it fits (most GPR and state offsets), else 32. */
    private void mem(int reg, int base, long disp) {
        if (disp == (byte) disp) {
            put(0x40 | (reg & 7) << 3 | (base & 7));
            put((int) disp);
        } else {
            put(0x80 | (reg & 7) << 3 | (base & 7));
            i32(disp);
        }
    }

    private void sib(int reg, int base, int index, int scaleLog, long disp) {
        int sib = scaleLog << 6 | (index & 7) << 3 | (base & 7);
        if (disp == 0 && (base & 7) != 5) {
            put(0x04 | (reg & 7) << 3);
            put(sib);
        } else if (disp == (byte) disp) {
            put(0x44 | (reg & 7) << 3);
            put(sib);
            put((int) disp);
        } else {
            put(0x84 | (reg & 7) << 3);
            put(sib);
            i32(disp);
        }
    }

    private void regReg(int opcode, boolean w, int reg, int rm) {
        rex(w, reg, 0, rm);
        put(opcode);
        put(0xC0 | (reg & 7) << 3 | (rm & 7));
    }

    // ---- moves ----

    /** dst = [base + disp], 64 bits. */
    void load(int dst, int base, long disp) {
        rex(true, dst, 0, base);
        put(0x8B);
        mem(dst, base, disp);
    }

    /** dst = [base + disp], 32 bits zero-extended. */
    void load32(int dst, int base, long disp) {
        rex(false, dst, 0, base);
        put(0x8B);
        mem(dst, base, disp);
    }

    /** dst = [base + disp], 32 bits sign-extended. */
    void load32s(int dst, int base, long disp) {
        rex(true, dst, 0, base);
        put(0x63);
        mem(dst, base, disp);
    }

    /** [base + disp] = src, 64 bits. */
    void store(int base, long disp, int src) {
        rex(true, src, 0, base);
        put(0x89);
        mem(src, base, disp);
    }

    /** [base + disp] = src, 32 bits. */
    void store32(int base, long disp, int src) {
        rex(false, src, 0, base);
        put(0x89);
        mem(src, base, disp);
    }

    /** dst = [base + index * 8 + disp]. */
    void loadIndexed(int dst, int base, int index, long disp) {
        rex(true, dst, index, base);
        put(0x8B);
        sib(dst, base, index, 3, disp);
    }

    /** dst = the {@code size}-byte value at [base + index], zero-extended (sign-extended for a signed 4- or 2-byte one). */
    void loadBytes(int dst, int base, int index, int size, boolean signed) {
        switch (size) {
            case 8 -> {
                rex(true, dst, index, base);
                put(0x8B);
            }
            case 4 -> {
                rex(signed, dst, index, base);
                put(signed ? 0x63 : 0x8B);
            }
            case 2 -> {
                rex(signed, dst, index, base);
                put(0x0F);
                put(signed ? 0xBF : 0xB7);
            }
            default -> {
                rex(false, dst, index, base);
                put(0x0F);
                put(0xB6);
            }
        }
        sib(dst, base, index, 0, 0);
    }

    /** The low {@code size} bytes of src to [base + index]. */
    void storeBytes(int base, int index, int size, int src) {
        if (size == 2) {
            put(0x66);
        }
        if (size == 1) {
            // Always a REX prefix: the byte registers then are the low bytes of each register.
            put(0x40 | ((src >> 3) << 2) | ((index >> 3) << 1) | (base >> 3));
        } else {
            rex(size == 8, src, index, base);
        }
        put(size == 1 ? 0x88 : 0x89);
        sib(src, base, index, 0, 0);
    }

    /** dst = src, 64 bits. */
    void mov(int dst, int src) {
        regReg(0x89, true, src, dst);
    }

    /** dst = the low word of src, zero-extended. */
    void mov32(int dst, int src) {
        regReg(0x89, false, src, dst);
    }

    /** dst = the low word of src, sign-extended. */
    void movsxd(int dst, int src) {
        regReg(0x63, true, dst, src);
    }

    /** dst = the low half-word (2) or byte (1) of src, sign-extended to 64 bits. */
    void movsx(int dst, int src, int size) {
        rex(true, dst, 0, src);
        put(0x0F);
        put(size == 2 ? 0xBF : 0xBE);
        put(0xC0 | (dst & 7) << 3 | (src & 7));
    }

    /** dst = v. */
    void movImm(int dst, long v) {
        if (v == (int) v) {
            rex(true, 0, 0, dst);
            put(0xC7);
            put(0xC0 | (dst & 7));
            i32(v);
        } else if ((v >>> 32) == 0) {
            rex(false, 0, 0, dst);
            put(0xB8 | (dst & 7));
            i32(v);
        } else {
            rex(true, 0, 0, dst);
            put(0xB8 | (dst & 7));
            i32(v);
            i32(v >>> 32);
        }
    }

    /** [base + disp] = v (sign-extended from 32 bits), 64 bits. */
    void storeImm(int base, long disp, int v) {
        rex(true, 0, 0, base);
        put(0xC7);
        mem(0, base, disp);
        i32(v);
    }

    // ---- arithmetic ----

    /** dst op= src, 64 bits. */
    void alu(Alu op, int dst, int src) {
        regReg(op.opcode, true, src, dst);
    }

    /** dst op= src, 32 bits. */
    void alu32(Alu op, int dst, int src) {
        regReg(op.opcode, false, src, dst);
    }

    /** dst op= [base + disp], 64 bits. */
    void aluLoad(Alu op, int dst, int base, long disp) {
        rex(true, dst, 0, base);
        put(op.opcode + 2);
        mem(dst, base, disp);
    }

    /** [base + disp] op= src, 64 bits. */
    void aluToMem(Alu op, int base, long disp, int src) {
        rex(true, src, 0, base);
        put(op.opcode);
        mem(src, base, disp);
    }

    /** dst = base + index << scaleLog. */
    void leaIndexed(int dst, int base, int index, int scaleLog) {
        rex(true, dst, index, base);
        put(0x8D);
        sib(dst, base, index, scaleLog, 0);
    }

    /** dst op= imm (sign-extended to 64 bits). */
    void aluImm(Alu op, int dst, long imm) {
        if (op == Alu.ADD && dst == RAX) {
            rex(true, 0, 0, 0);
            put(0x05);
        } else {
            rex(true, 0, 0, dst);
            put(0x81);
            put(0xC0 | op.digit << 3 | (dst & 7));
        }
        i32(imm);
    }

    /** dst op= imm, 32 bits. */
    void aluImm32(Alu op, int dst, long imm) {
        rex(false, 0, 0, dst);
        put(0x81);
        put(0xC0 | op.digit << 3 | (dst & 7));
        i32(imm);
    }

    /** [base + disp] op= imm (sign-extended), 64 bits. */
    void aluImmMem(Alu op, int base, long disp, long imm) {
        rex(true, 0, 0, base);
        put(0x81);
        mem(op.digit, base, disp);
        i32(imm);
    }

    /** Flags from dst & src, 64 bits. */
    void test(int dst, int src) {
        regReg(0x85, true, src, dst);
    }

    /** Flags from [base + disp] & imm, 32 bits. */
    void testMem32(int base, long disp, long imm) {
        rex(false, 0, 0, base);
        put(0xF7);
        mem(0, base, disp);
        i32(imm);
    }

    void not(int dst) {
        regReg(0xF7, true, 2, dst);
    }

    void neg(int dst) {
        regReg(0xF7, true, 3, dst);
    }

    /** rdx:rax / src, unsigned (signed for {@code signed}), 64 (or 32) bits: quotient in rax. */
    void div(int src, boolean signed, boolean wide) {
        regReg(0xF7, wide, signed ? 7 : 6, src);
    }

    /** rdx:rax = rax * src, unsigned or signed, 64 bits. */
    void mulWide(int src, boolean signed) {
        regReg(0xF7, true, signed ? 5 : 4, src);
    }

    /** dst *= src, 64 bits (the low half). */
    void imul(int dst, int src) {
        rex(true, dst, 0, src);
        put(0x0F);
        put(0xAF);
        put(0xC0 | (dst & 7) << 3 | (src & 7));
    }

    /** dst = src * imm, 64 bits. */
    void imulImm(int dst, int src, long imm) {
        regReg(0x69, true, dst, src);
        i32(imm);
    }

    /** A shift or rotate of dst by n (64 or 32 bits; a 32-bit one zero-extends). */
    void shift(int op, int dst, int count, boolean wide) {
        regReg(0xC1, wide, op, dst);
        put(count);
    }

    /** A shift of dst by cl. */
    void shiftCl(int op, int dst, boolean wide) {
        regReg(0xD3, wide, op, dst);
    }

    /** dst = the index of src's highest set bit; ZF when src is zero (dst then unchanged here). */
    void bsr(int dst, int src, boolean wide) {
        rex(wide, dst, 0, src);
        put(0x0F);
        put(0xBD);
        put(0xC0 | (dst & 7) << 3 | (src & 7));
    }

    void cmov(int cc, int dst, int src) {
        rex(true, dst, 0, src);
        put(0x0F);
        put(0x40 | cc);
        put(0xC0 | (dst & 7) << 3 | (src & 7));
    }

    /** dst = dst's bytes reversed (64 or 32 bits). */
    void bswap(int dst, boolean wide) {
        rex(wide, 0, 0, dst);
        put(0x0F);
        put(0xC8 | (dst & 7));
    }

    /** The low byte of dst = 1 if cc holds, else 0 (the rest of dst unchanged). */
    void setcc(int cc, int dst) {
        put(0x40 | (dst >> 3));
        put(0x0F);
        put(0x90 | cc);
        put(0xC0 | (dst & 7));
    }

    /** dst = the low byte of src, zero-extended. */
    void movzxByte(int dst, int src) {
        put(0x40 | ((dst >> 3) << 2) | (src >> 3));
        put(0x0F);
        put(0xB6);
        put(0xC0 | (dst & 7) << 3 | (src & 7));
    }

    /** dst = base + disp. */
    void lea(int dst, int base, long disp) {
        rex(true, dst, 0, base);
        put(0x8D);
        mem(dst, base, disp);
    }

    void mfence() {
        put(0x0F);
        put(0xAE);
        put(0xF0);
    }

    // ---- control ----

    /** A conditional jump whose target is patched later: returns the displacement's position. */
    int jcc(int cc) {
        put(0x0F);
        put(0x80 | cc);
        int at = n;
        i32(0);
        return at;
    }

    /** A jump whose target is patched later: returns the displacement's position. */
    int jmp() {
        put(0xE9);
        int at = n;
        i32(0);
        return at;
    }

    /** jmp [base + index * 8 + disp]. */
    void jmpIndirect(int base, int index, long disp) {
        rex(false, 0, index, base);
        put(0xFF);
        sib(4, base, index, 3, disp);
    }

    /** The dword at [base] minus one, setting ZF when it reaches zero. */
    void decrement32(int base) {
        rex(false, 0, 0, base);
        put(0x83);
        mem(5, base, 0);
        put(1);
    }

    /** The dword at [base] = v. */
    void store32Imm(int base, int v) {
        rex(false, 0, 0, base);
        put(0xC7);
        mem(0, base, 0);
        i32(v);
    }

    /** dst op= [base + index * 8 + disp], 64 bits. */
    void aluLoadIndexed(Alu op, int dst, int base, int index, long disp) {
        rex(true, dst, index, base);
        put(op.opcode + 2);
        sib(dst, base, index, 3, disp);
    }

    /** jmp reg. */
    void jmpRegister(int reg) {
        rex(false, 0, 0, reg);
        put(0xFF);
        put(0xE0 | (reg & 7));
    }

    void callRegister(int reg) {
        rex(false, 0, 0, reg);
        put(0xFF);
        put(0xD0 | (reg & 7));
    }

    void push(int reg) {
        rex(false, 0, 0, reg);
        put(0x50 | (reg & 7));
    }

    void pop(int reg) {
        rex(false, 0, 0, reg);
        put(0x58 | (reg & 7));
    }

    void ret() {
        put(0xC3);
    }
}
