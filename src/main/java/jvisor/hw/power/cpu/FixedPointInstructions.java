package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.Encoding.of;
import static jvisor.hw.power.cpu.Encoding.va;
import static jvisor.hw.power.cpu.Encoding.x;
import static jvisor.hw.power.cpu.Encoding.xo;
import static jvisor.hw.power.cpu.Flow.ENDS;
import static jvisor.hw.power.cpu.Flow.PLAIN;
import static jvisor.hw.power.cpu.Flow.PURE;
import static jvisor.hw.power.cpu.InstructionSpec.of;

import java.util.List;

/**
 * The fixed-point instructions (Power ISA v3.0B Book I chapter 3): arithmetic, compare, logical,
 * rotate and shift, trap, and the decimal assists.
 *
 * <p>Reserved bits follow QEMU's POWER9, the reference for what a pseries guest sees (the ISA,
 * Book I §1.3.3, says they are ignored): the X forms whose bit 31 QEMU rejects when set fix it to
 * 0 here (setb, mcrxrx); the multiply-high forms and addg6s, which have no OE variant, leave bit 21
 * free as QEMU ignores it.
 */
final class FixedPointInstructions {
    private FixedPointInstructions() {
    }

    private static BodyCall fx(String name, Object... constants) {
        return new BodyCall(BodyCall.FIXED_POINT, name, constants);
    }

    private static BodyCall rot(String name) {
        return new BodyCall(BodyCall.ROTATE, name);
    }

    /** An arithmetic or logical instruction whose body has the mnemonic's name. */
    private static InstructionSpec pure(String mnemonic, Encoding e) {
        return of(mnemonic, e, PURE, fx(mnemonic));
    }

    private static InstructionSpec rotate(String mnemonic, Encoding e) {
        return of(mnemonic, e, PURE, rot(mnemonic));
    }

    private static BodyCall decimal(String name) {
        return new BodyCall(BodyCall.DECIMAL_ASSIST, name);
    }

    static final List<InstructionSpec> ALL = List.of(
            // D forms
            pure("addi", of(14)),
            pure("addis", of(15)),
            of("addic", of(12), PURE, fx("addic", false)),
            of("addic.", of(13), PURE, fx("addic", true)),
            pure("subfic", of(8)),
            pure("mulli", of(7)),
            pure("cmpi", of(11)),
            pure("cmpli", of(10)),
            pure("ori", of(24)),
            pure("oris", of(25)),
            pure("xori", of(26)),
            pure("xoris", of(27)),
            of("andi.", of(28), PURE, fx("andi")),
            of("andis.", of(29), PURE, fx("andis")),
            // addpcis (DX form, d2 in bit 31) reads the address of the next instruction.
            of("addpcis", of(19).bits(26, 30, 2), PLAIN, fx("addpcis")),
            of("twi", of(3), PLAIN, fx("twi")),
            of("tdi", of(2), PLAIN, fx("tdi")),

            // XO forms: OE (bit 21) and Rc (bit 31) free
            pure("add", xo(31, 266)),
            pure("addc", xo(31, 10)),
            pure("adde", xo(31, 138)),
            pure("addme", xo(31, 234)),
            pure("addze", xo(31, 202)),
            pure("subf", xo(31, 40)),
            pure("subfc", xo(31, 8)),
            pure("subfe", xo(31, 136)),
            pure("subfme", xo(31, 232)),
            pure("subfze", xo(31, 200)),
            pure("neg", xo(31, 104)),
            pure("mullw", xo(31, 235)),
            pure("mulld", xo(31, 233)),
            pure("mulhw", xo(31, 75)),
            pure("mulhwu", xo(31, 11)),
            pure("mulhd", xo(31, 73)),
            pure("mulhdu", xo(31, 9)),
            pure("divw", xo(31, 491)),
            pure("divwu", xo(31, 459)),
            pure("divd", xo(31, 489)),
            pure("divdu", xo(31, 457)),
            pure("divwe", xo(31, 427)),
            pure("divweu", xo(31, 395)),
            pure("divde", xo(31, 425)),
            pure("divdeu", xo(31, 393)),
            // Z23 form: CY (bits 21:22) is an operand
            pure("addex", of(31).bits(23, 30, 170)),
            // VA forms of primary 4
            pure("maddhd", va(4, 48)),
            pure("maddhdu", va(4, 49)),
            pure("maddld", va(4, 51)),

            // X forms
            pure("modsw", x(31, 779)),
            pure("moduw", x(31, 267)),
            pure("modsd", x(31, 777)),
            pure("modud", x(31, 265)),
            pure("cmp", x(31, 0)),
            pure("cmpl", x(31, 32)),
            pure("cmprb", x(31, 192)),
            pure("cmpeqb", x(31, 224)),
            pure("and", x(31, 28)),
            pure("andc", x(31, 60)),
            pure("or", x(31, 444)),
            pure("orc", x(31, 412)),
            pure("xor", x(31, 316)),
            pure("nand", x(31, 476)),
            pure("nor", x(31, 124)),
            pure("eqv", x(31, 284)),
            pure("cmpb", x(31, 508)),
            pure("extsb", x(31, 954)),
            pure("extsh", x(31, 922)),
            pure("extsw", x(31, 986)),
            pure("cntlzw", x(31, 26)),
            pure("cntlzd", x(31, 58)),
            pure("cnttzw", x(31, 538)),
            pure("cnttzd", x(31, 570)),
            pure("popcntb", x(31, 122)),
            pure("popcntw", x(31, 378)),
            pure("popcntd", x(31, 506)),
            pure("prtyw", x(31, 154)),
            pure("prtyd", x(31, 186)),
            pure("bpermd", x(31, 252)),
            // A form: BC (bits 21:25) is an operand
            pure("isel", of(31).bits(26, 30, 15)),
            pure("setb", x(31, 128).bit(31, 0)),
            pure("mcrxrx", x(31, 576).bit(31, 0)),
            pure("darn", x(31, 755)),
            of("tw", x(31, 4), PLAIN, fx("tw")),
            of("td", x(31, 68), PLAIN, fx("td")),

            // rotate and shift
            rotate("rlwimi", of(20)),
            rotate("rlwinm", of(21)),
            rotate("rlwnm", of(23)),
            rotate("rldicl", of(30).bits(27, 29, 0)),
            rotate("rldicr", of(30).bits(27, 29, 1)),
            rotate("rldic", of(30).bits(27, 29, 2)),
            rotate("rldimi", of(30).bits(27, 29, 3)),
            rotate("rldcl", of(30).bits(27, 30, 8)),
            rotate("rldcr", of(30).bits(27, 30, 9)),
            rotate("slw", x(31, 24)),
            rotate("srw", x(31, 536)),
            rotate("sraw", x(31, 792)),
            rotate("srawi", x(31, 824)),
            rotate("sld", x(31, 27)),
            rotate("srd", x(31, 539)),
            rotate("srad", x(31, 794)),
            // XS forms: sh5 in bit 30
            rotate("sradi", of(31).bits(21, 29, 413)),
            rotate("extswsli", of(31).bits(21, 29, 445)),

            // decimal assists: interpreted only
            of("addg6s", xo(31, 74), ENDS, decimal("addg6s")),
            of("cdtbcd", x(31, 282), ENDS, decimal("cdtbcd")),
            of("cbcdtd", x(31, 314), ENDS, decimal("cbcdtd")));
}
