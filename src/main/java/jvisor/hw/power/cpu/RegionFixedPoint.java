package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.RegionCompiler.*;

import java.lang.classfile.CodeBuilder;

/**
 * The fixed-point part of a region's bytecode: the GPRs (in the core's array), CR, SO and CA (in
 * the region's locals) as the emitted code reads and writes them, and the common arithmetic,
 * logical, rotate and compare instructions written directly over them. {@link RegionMemory}
 * writes the inline loads and stores, {@link RegionEmitter} the rest (control flow, calls of
 * bodies, the ways out); both use these accessors.
 */
final class RegionFixedPoint {
    private final CodeBuilder code;
    /** What the region's direct instructions touch (the emitter's record). */
    private final RegionCompiler.Usage seen;
    /** The address mask of the mode the region is translated for: all ones in 64-bit mode. */
    private final long mask;

    RegionFixedPoint(CodeBuilder code, RegionCompiler.Usage seen, long mask) {
        this.code = code;
        this.seen = seen;
        this.mask = mask;
    }

    /**
     * Emits the instruction (mnemonic m, word w) if it is one of the fixed-point ones written
     * directly; false otherwise (another kind, or an overflow form, whose XER update the body does).
     */
    boolean emit(String m, int w) {
        int rt = FixedPoint.rt(w), ra = FixedPoint.ra(w), rb = FixedPoint.rb(w);
        boolean rc = (w & 1) != 0, oe = (w & 0x400) != 0;
        switch (m) {
            case "addi" -> {
                raOrZero(ra);
                code.ldc((long) (short) w).ladd();
                put(rt);
            }
            case "addis" -> {
                raOrZero(ra);
                code.ldc((long) (short) w << 16).ladd();
                put(rt);
            }
            case "mulli" -> {
                get(ra);
                code.ldc((long) (short) w).lmul();
                put(rt);
            }
            case "add", "subf", "neg", "mulld", "mullw" -> {
                if (oe) {
                    return false; // overflow forms update XER: the body does it
                }
                switch (m) {
                    case "add" -> { get(ra); get(rb); code.ladd(); }
                    case "subf" -> { get(rb); get(ra); code.lsub(); } // ~a + b + 1
                    case "neg" -> { get(ra); code.lneg(); }
                    case "mulld" -> { get(ra); get(rb); code.lmul(); }
                    default -> { get(ra); code.l2i().i2l(); get(rb); code.l2i().i2l().lmul(); }
                }
                result(rt, rc);
            }
            case "addc", "adde", "addme", "addze", "subfc", "subfe", "subfme", "subfze" -> {
                if (oe) {
                    return false; // overflow forms update XER: the body does it
                }
                if (m.equals("subfe") && ra == rb) {
                    // ~a + a + CA: all ones plus CA, so 0 or -1 (the borrow as a mask, a compiler's
                    // idiom after subfc), carrying out of both halves exactly when CA was set:
                    // CA stays, CA32 becomes it. Two loop instructions of the kernel's mpi code.
                    seen.ca = true;
                    code.iload(CA).dup().istore(CA32).i2l().lconst_1().lsub();
                    result(rt, rc);
                    return true;
                }
                // a + b + cin, subtracting as ~a + b + 1.
                boolean subtract = m.startsWith("subf");
                get(ra);
                if (subtract) {
                    code.ldc(-1L).lxor();
                }
                if (m.endsWith("me")) {
                    code.ldc(-1L);
                } else if (m.endsWith("ze")) {
                    code.lconst_0();
                } else {
                    get(rb);
                }
                if (m.endsWith("c")) {
                    code.ldc(subtract ? 1L : 0L);
                } else {
                    seen.ca = true;
                    code.iload(CA).i2l();
                }
                carrying();
                result(rt, rc);
            }
            case "addic", "addic.", "subfic" -> {
                // D-form: the OE bit is part of the immediate.
                get(ra);
                if (m.equals("subfic")) {
                    code.ldc(-1L).lxor();
                }
                code.ldc((long) (short) w).ldc(m.equals("subfic") ? 1L : 0L);
                carrying();
                result(rt, m.equals("addic."));
            }
            case "maddld" -> {
                get(ra);
                get(rb);
                code.lmul();
                get((w >>> 6) & 31);
                code.ladd();
                put(rt);
            }
            case "and", "andc", "or", "orc", "xor", "nand", "nor", "eqv" -> {
                get(rt);
                get(rb);
                switch (m) {
                    case "and" -> code.land();
                    case "andc" -> code.ldc(-1L).lxor().land();
                    case "or" -> code.lor();
                    case "orc" -> code.ldc(-1L).lxor().lor();
                    case "xor" -> code.lxor();
                    case "nand" -> code.land().ldc(-1L).lxor();
                    case "nor" -> code.lor().ldc(-1L).lxor();
                    default -> code.lxor().ldc(-1L).lxor();
                }
                result(ra, rc);
            }
            case "ori", "oris", "xori", "xoris", "andi.", "andis." -> {
                long imm = m.equals("oris") || m.equals("xoris") || m.equals("andis.") ? (w & 0xFFFFL) << 16 : w & 0xFFFFL;
                get(rt);
                code.ldc(imm);
                switch (m) {
                    case "ori", "oris" -> code.lor();
                    case "xori", "xoris" -> code.lxor();
                    default -> code.land();
                }
                result(ra, m.endsWith("."));
            }
            case "extsb", "extsh", "extsw" -> {
                get(rt);
                code.l2i();
                if (m.equals("extsb")) {
                    code.i2b();
                } else if (m.equals("extsh")) {
                    code.i2s();
                }
                code.i2l();
                result(ra, rc);
            }
            case "rlwinm", "rldicl", "rldicr", "rldic", "rlwimi", "rldimi" -> {
                // Rotation and mask are constants of the word: a rotate and an AND, with no call
                // (the *Value functions of Rotate compute the same).
                boolean word = m.startsWith("rlw");
                int n = word ? rb : Rotate.sh6(w);
                long mask = switch (m) {
                    case "rlwinm", "rlwimi" -> Rotate.mask(Rotate.mb5(w) + 32, Rotate.me5(w) + 32);
                    case "rldicl" -> Rotate.mask(Rotate.mb6(w), 63);
                    case "rldicr" -> Rotate.mask(0, Rotate.mb6(w));
                    default -> Rotate.mask(Rotate.mb6(w), 63 - n);
                };
                get(rt);
                if (word) {
                    // The low word, replicated into both halves.
                    code.ldc(0xFFFF_FFFFL).land().dup2().ldc(32).lshl().lor();
                }
                if (n != 0) {
                    code.ldc(n).invokestatic(LONG_CLASS, "rotateLeft", LONG_INT);
                }
                if (mask != -1L) {
                    code.ldc(mask).land();
                }
                if (m.endsWith("imi")) {
                    get(ra);
                    code.ldc(~mask).land().lor();
                }
                result(ra, rc);
            }
            case "slw", "srw", "sld", "srd" -> {
                get(rt);
                get(rb);
                code.invokestatic(BodyCall.ROTATE, m + "Value", LONG_LONG);
                result(ra, rc);
            }
            case "cmp", "cmpl", "cmpi", "cmpli" -> {
                readCr();
                code.ldc(FixedPoint.bf(w));
                get(ra);
                if (m.equals("cmp") || m.equals("cmpl")) {
                    get(rb);
                    code.ldc(w).invokestatic(BodyCall.FIXED_POINT, m + "Bits", COMPARE);
                } else {
                    code.ldc(w).invokestatic(BodyCall.FIXED_POINT, m + "Bits", COMPARE_IMMEDIATE);
                }
                readSo();
                code.ior();
                code.invokestatic(CONDITION_REGISTER, "withField", CR_FIELD);
                writeCr();
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The long on the stack becomes GPR n; with Rc=1 CR0 records it. */
    void result(int n, boolean record) {
        put(n);
        if (record) {
            readCr();
            get(n);
            code.ldc(mask);
            readSo();
            code.invokestatic(CONDITION_REGISTER, "withCr0", CR0);
            writeCr();
        }
    }

    /** Truncates the address on the stack to the mode's width (nothing to do in 64-bit mode). */
    void andMask() {
        if (mask != -1L) {
            code.ldc(mask).land();
        }
    }

    void raOrZero(int ra) {
        if (ra == 0) {
            code.lconst_0();
        } else {
            get(ra);
        }
    }

    /**
     * GPR n onto the stack, read from the core's array. The GPRs live there only, never in
     * locals: HotSpot keeps a register that straight-line code uses twice in a machine register
     * anyway (it sees the array's element and the store before it), and no local then lives from
     * the region's entry to every way out. Register allocation was the larger part of HotSpot's
     * work on a region. In a Linux boot: GPRs in locals written back on the way out, C1's linear
     * scan 0.81 s and C2's register allocation 1.82 s; in locals written through at each write,
     * 0.43 and 1.46 s; in the array, 0.26-0.31 and 1.26-1.40 s, the boot 3-5% faster and the
     * bench guests level or faster (in the bench's JVM: alu 0.641 -> 0.627 s, fpcalc 3.13 -> 2.87 s).
     */
    void get(int n) {
        code.aload(GPRS).ldc(n).laload();
    }

    /** The long on the stack becomes GPR n. */
    void put(int n) {
        code.lstore(SCRATCH).aload(GPRS).ldc(n).lload(SCRATCH).lastore();
    }

    /**
     * a + b + cin (three longs on the stack) becomes their sum, with CA and CA32 set in their
     * locals from the interpreter's {@link FixedPoint#carries} (in 32-bit mode CA is CA32): the
     * carrying arithmetic with no look at MSR[SF] and no write to the core, and CA stays in the
     * region, as compilers' subfc/subfe pairs for unsigned compares read it at once.
     */
    void carrying() {
        seen.ca = true;
        code.lstore(SUM).lstore(VALUE).lstore(EA);
        code.lload(EA).lload(VALUE).ladd().lload(SUM).ladd().lstore(SUM);
        code.lload(EA).lload(VALUE).lload(SUM).invokestatic(BodyCall.FIXED_POINT, "carries", CARRIES);
        code.dup2().bipush(31).lushr().l2i().iconst_1().iand().istore(CA32);
        if (mask == -1L) {
            code.bipush(63).lushr().l2i().istore(CA);
        } else {
            code.pop2().iload(CA32).istore(CA);
        }
        code.lload(SUM);
    }

    void readSo() {
        seen.so = true;
        code.iload(SO);
    }

    void readCr() {
        seen.crRead = true;
        code.iload(CR);
    }

    void writeCr() {
        seen.crWritten = true;
        code.istore(CR);
    }
}
