package jvisor.hw.power.cpu;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every floating-point, VMX and VSX encoding of POWER9 (Power ISA v3.0B, Book I chapters 4, 5, 6
 * and 7 plus the decimal floating-point chapter), declared: a mnemonic, the primary opcode, the
 * extended-opcode bits as a mask/value over the other 26 bits, and the facility whose MSR bit
 * must be on (MSR[FP], MSR[VEC] or MSR[VSX]). None has a body here: executing one checks the
 * facility and then stops the VM as not implemented, until a family of
 * {@link VectorScalarInstructions} implements its mnemonic. A word of these opcode spaces that
 * matches no pattern is not an FP, VMX or VSX instruction: the decoder tries the fixed-point
 * instructions of its primary opcode and otherwise calls it illegal, so only a valid encoding ever
 * raises a facility-unavailable interrupt (0x800, 0xF20, 0xF40).
 *
 * <p>How the patterns read:
 * <ul>
 * <li>Operand fields are outside the mask, including the ones that pick the facility: an
 *     instruction whose register operand may name VSR 32-63 with a TX/SX/XT bit appears twice when
 *     the ISA makes that bit choose the facility (mfvsrd with SX=0 needs MSR[FP], with SX=1
 *     MSR[VEC]; lxvx, lxv, stxv, mtvsrdd... with TX=1 need MSR[VEC]); the older VSX loads and
 *     stores and every XX2/XX3/XX4 arithmetic form need only MSR[VSX] whatever the register.
 *     lxsd, lxssp, stxsd, stxssp (VRT is VSR 32-63) need MSR[VEC].</li>
 * <li>Reserved fields: Book I §1.3.3 says the processor ignores them. Where QEMU 10's POWER9
 *     rejects a reserved field set to one, so does this table (the pattern includes the bit);
 *     where QEMU ignores it, so does the table: e.g. FRC of fadd/fsub/fdiv/fsqrt/fre/frsqrte,
 *     bit 31 of the X-form loads, compares and tests, bit 21 of vsldoi, PS of bcdctsq.</li>
 * <li>Invalid forms (the update loads and stores with RA=0) raise the facility interrupt first,
 *     as QEMU does; the ISA leaves their result undefined.</li>
 * <li>Not here although QEMU 10 accepts them on POWER9, because POWER9 does not define them:
 *     opcode-4 words whose 11-bit extended opcode differs from a VX instruction's in bit 31 or in
 *     other extended-opcode bits (QEMU's table ignores those bits), 60/91, 60/123, 60/219 and
 *     60/251 (XX3 aliases of xscmpeqdp), 31/300 (QEMU takes it for a VSX load), 63/994
 *     (dcffixqq, Power ISA 3.1). And vrlwmi, vrldmi, vrlwnm, vrldnm need MSR[VEC] (they are
 *     Vector facility instructions), where QEMU asks for MSR[VSX]; so does lxsd (its target is
 *     VSR 32-63, like lxssp's), where QEMU asks for MSR[VSX].</li>
 * </ul>
 * The list was made by running every extended-opcode pattern of these primary opcodes with the
 * operand fields zero under QEMU 10 (guests/illegal.c) and naming each with the GNU disassembler
 * for POWER9 (lfdp, lfdpx, stfdp and stfdpx, phased-out instructions QEMU's POWER9 still
 * executes, the disassembler knows only for POWER6); {@code InstructionTableTest} checks the
 * patterns do not overlap and {@code InstructionNamesTest} that each mnemonic disassembles as its name.
 */
final class VectorScalarEncodings {
    private VectorScalarEncodings() {
    }

    private static final Facility FP = Facility.FP, VEC = Facility.VMX, VSX = Facility.VSX;

    /**
     * One valid encoding: the word is it when its primary opcode is {@code primary} and
     * {@code (word & xoMask) == xoValue} over bits 6-31. Declared, with no body yet: executing it
     * checks the facility and then stops the VM as not implemented.
     */
    private static InstructionSpec e(String mnemonic, int primary, int xoMask, int xoValue, Facility facility) {
        return new InstructionSpec(mnemonic, new Encoding(primary << 26 | xoValue, 0xFC00_0000 | xoMask), facility, null);
    }

    /** Every valid FP, VMX and VSX encoding of POWER9, by primary opcode and extended opcode. */
    static final List<InstructionSpec> ALL = List.of(
            // primary opcode 4
            e("vaddubm", 4, 0x00007ff, 0x0000000, VEC), e("vmul10cuq", 4, 0x00007ff, 0x0000001, VEC),
            e("vmaxub", 4, 0x00007ff, 0x0000002, VEC), e("vrlb", 4, 0x00007ff, 0x0000004, VEC),
            e("vcmpequb", 4, 0x00003ff, 0x0000006, VEC), e("vcmpneb", 4, 0x00003ff, 0x0000007, VEC),
            e("vmuloub", 4, 0x00007ff, 0x0000008, VEC), e("vaddfp", 4, 0x00007ff, 0x000000a, VEC),
            e("vmrghb", 4, 0x00007ff, 0x000000c, VEC), e("vpkuhum", 4, 0x00007ff, 0x000000e, VEC),
            e("vmhaddshs", 4, 0x000003f, 0x0000020, VEC), e("vmhraddshs", 4, 0x000003f, 0x0000021, VEC),
            e("vmladduhm", 4, 0x000003f, 0x0000022, VEC), e("vmsumudm", 4, 0x000003f, 0x0000023, VEC),
            e("vmsumubm", 4, 0x000003f, 0x0000024, VEC), e("vmsummbm", 4, 0x000003f, 0x0000025, VEC),
            e("vmsumuhm", 4, 0x000003f, 0x0000026, VEC), e("vmsumuhs", 4, 0x000003f, 0x0000027, VEC),
            e("vmsumshm", 4, 0x000003f, 0x0000028, VEC), e("vmsumshs", 4, 0x000003f, 0x0000029, VEC),
            e("vsel", 4, 0x000003f, 0x000002a, VEC), e("vperm", 4, 0x000003f, 0x000002b, VEC),
            e("vsldoi", 4, 0x000003f, 0x000002c, VEC), e("vpermxor", 4, 0x000003f, 0x000002d, VEC),
            e("vmaddfp", 4, 0x000003f, 0x000002e, VEC), e("vnmsubfp", 4, 0x000003f, 0x000002f, VEC),
            e("vpermr", 4, 0x000003f, 0x000003b, VEC), e("vaddeuqm", 4, 0x000003f, 0x000003c, VEC),
            e("vaddecuq", 4, 0x000003f, 0x000003d, VEC), e("vsubeuqm", 4, 0x000003f, 0x000003e, VEC),
            e("vsubecuq", 4, 0x000003f, 0x000003f, VEC), e("vadduhm", 4, 0x00007ff, 0x0000040, VEC),
            e("vmul10ecuq", 4, 0x00007ff, 0x0000041, VEC), e("vmaxuh", 4, 0x00007ff, 0x0000042, VEC),
            e("vrlh", 4, 0x00007ff, 0x0000044, VEC), e("vcmpequh", 4, 0x00003ff, 0x0000046, VEC),
            e("vcmpneh", 4, 0x00003ff, 0x0000047, VEC), e("vmulouh", 4, 0x00007ff, 0x0000048, VEC),
            e("vsubfp", 4, 0x00007ff, 0x000004a, VEC), e("vmrghh", 4, 0x00007ff, 0x000004c, VEC),
            e("vpkuwum", 4, 0x00007ff, 0x000004e, VEC), e("vadduwm", 4, 0x00007ff, 0x0000080, VEC),
            e("vmaxuw", 4, 0x00007ff, 0x0000082, VEC), e("vrlw", 4, 0x00007ff, 0x0000084, VEC),
            e("vrlwmi", 4, 0x00007ff, 0x0000085, VEC), e("vcmpequw", 4, 0x00003ff, 0x0000086, VEC),
            e("vcmpnew", 4, 0x00003ff, 0x0000087, VEC), e("vmulouw", 4, 0x00007ff, 0x0000088, VEC),
            e("vmuluwm", 4, 0x00007ff, 0x0000089, VEC), e("vmrghw", 4, 0x00007ff, 0x000008c, VEC),
            e("vpkuhus", 4, 0x00007ff, 0x000008e, VEC), e("vaddudm", 4, 0x00007ff, 0x00000c0, VEC),
            e("vmaxud", 4, 0x00007ff, 0x00000c2, VEC), e("vrld", 4, 0x00007ff, 0x00000c4, VEC),
            e("vrldmi", 4, 0x00007ff, 0x00000c5, VEC), e("vcmpeqfp", 4, 0x00003ff, 0x00000c6, VEC),
            e("vcmpequd", 4, 0x00003ff, 0x00000c7, VEC), e("vpkuwus", 4, 0x00007ff, 0x00000ce, VEC),
            e("vadduqm", 4, 0x00007ff, 0x0000100, VEC), e("vmaxsb", 4, 0x00007ff, 0x0000102, VEC),
            e("vslb", 4, 0x00007ff, 0x0000104, VEC), e("vcmpnezb", 4, 0x00003ff, 0x0000107, VEC),
            e("vmulosb", 4, 0x00007ff, 0x0000108, VEC), e("vrefp", 4, 0x00007ff, 0x000010a, VEC),
            e("vmrglb", 4, 0x00007ff, 0x000010c, VEC), e("vpkshus", 4, 0x00007ff, 0x000010e, VEC),
            e("vaddcuq", 4, 0x00007ff, 0x0000140, VEC), e("vmaxsh", 4, 0x00007ff, 0x0000142, VEC),
            e("vslh", 4, 0x00007ff, 0x0000144, VEC), e("vcmpnezh", 4, 0x00003ff, 0x0000147, VEC),
            e("vmulosh", 4, 0x00007ff, 0x0000148, VEC), e("vrsqrtefp", 4, 0x00007ff, 0x000014a, VEC),
            e("vmrglh", 4, 0x00007ff, 0x000014c, VEC), e("vpkswus", 4, 0x00007ff, 0x000014e, VEC),
            e("vaddcuw", 4, 0x00007ff, 0x0000180, VEC), e("vmaxsw", 4, 0x00007ff, 0x0000182, VEC),
            e("vslw", 4, 0x00007ff, 0x0000184, VEC), e("vrlwnm", 4, 0x00007ff, 0x0000185, VEC),
            e("vcmpnezw", 4, 0x00003ff, 0x0000187, VEC), e("vmulosw", 4, 0x00007ff, 0x0000188, VEC),
            e("vexptefp", 4, 0x00007ff, 0x000018a, VEC), e("vmrglw", 4, 0x00007ff, 0x000018c, VEC),
            e("vpkshss", 4, 0x00007ff, 0x000018e, VEC), e("vmaxsd", 4, 0x00007ff, 0x00001c2, VEC),
            e("vsl", 4, 0x00007ff, 0x00001c4, VEC), e("vrldnm", 4, 0x00007ff, 0x00001c5, VEC),
            e("vcmpgefp", 4, 0x00003ff, 0x00001c6, VEC), e("vlogefp", 4, 0x00007ff, 0x00001ca, VEC),
            e("vpkswss", 4, 0x00007ff, 0x00001ce, VEC), e("vaddubs", 4, 0x00007ff, 0x0000200, VEC),
            e("vmul10uq", 4, 0x00007ff, 0x0000201, VEC), e("vminub", 4, 0x00007ff, 0x0000202, VEC),
            e("vsrb", 4, 0x00007ff, 0x0000204, VEC), e("vcmpgtub", 4, 0x00003ff, 0x0000206, VEC),
            e("vmuleub", 4, 0x00007ff, 0x0000208, VEC), e("vrfin", 4, 0x00007ff, 0x000020a, VEC),
            e("vspltb", 4, 0x00007ff, 0x000020c, VEC), e("vextractub", 4, 0x00007ff, 0x000020d, VEC),
            e("vupkhsb", 4, 0x00007ff, 0x000020e, VEC), e("vadduhs", 4, 0x00007ff, 0x0000240, VEC),
            e("vmul10euq", 4, 0x00007ff, 0x0000241, VEC), e("vminuh", 4, 0x00007ff, 0x0000242, VEC),
            e("vsrh", 4, 0x00007ff, 0x0000244, VEC), e("vcmpgtuh", 4, 0x00003ff, 0x0000246, VEC),
            e("vmuleuh", 4, 0x00007ff, 0x0000248, VEC), e("vrfiz", 4, 0x00007ff, 0x000024a, VEC),
            e("vsplth", 4, 0x00007ff, 0x000024c, VEC), e("vextractuh", 4, 0x00007ff, 0x000024d, VEC),
            e("vupkhsh", 4, 0x00007ff, 0x000024e, VEC), e("vadduws", 4, 0x00007ff, 0x0000280, VEC),
            e("vminuw", 4, 0x00007ff, 0x0000282, VEC), e("vsrw", 4, 0x00007ff, 0x0000284, VEC),
            e("vcmpgtuw", 4, 0x00003ff, 0x0000286, VEC), e("vmuleuw", 4, 0x00007ff, 0x0000288, VEC),
            e("vrfip", 4, 0x00007ff, 0x000028a, VEC), e("vspltw", 4, 0x00007ff, 0x000028c, VEC),
            e("vextractuw", 4, 0x00007ff, 0x000028d, VEC), e("vupklsb", 4, 0x00007ff, 0x000028e, VEC),
            e("vminud", 4, 0x00007ff, 0x00002c2, VEC), e("vsr", 4, 0x00007ff, 0x00002c4, VEC),
            e("vcmpgtfp", 4, 0x00003ff, 0x00002c6, VEC), e("vcmpgtud", 4, 0x00003ff, 0x00002c7, VEC),
            e("vrfim", 4, 0x00007ff, 0x00002ca, VEC), e("vextractd", 4, 0x00007ff, 0x00002cd, VEC),
            e("vupklsh", 4, 0x00007ff, 0x00002ce, VEC), e("vaddsbs", 4, 0x00007ff, 0x0000300, VEC),
            e("vminsb", 4, 0x00007ff, 0x0000302, VEC), e("vsrab", 4, 0x00007ff, 0x0000304, VEC),
            e("vcmpgtsb", 4, 0x00003ff, 0x0000306, VEC), e("vmulesb", 4, 0x00007ff, 0x0000308, VEC),
            e("vcfux", 4, 0x00007ff, 0x000030a, VEC), e("vspltisb", 4, 0x00007ff, 0x000030c, VEC),
            e("vinsertb", 4, 0x00007ff, 0x000030d, VEC), e("vpkpx", 4, 0x00007ff, 0x000030e, VEC),
            e("vaddshs", 4, 0x00007ff, 0x0000340, VEC), e("bcdcpsgn", 4, 0x00007ff, 0x0000341, VEC),
            e("vminsh", 4, 0x00007ff, 0x0000342, VEC), e("vsrah", 4, 0x00007ff, 0x0000344, VEC),
            e("vcmpgtsh", 4, 0x00003ff, 0x0000346, VEC), e("vmulesh", 4, 0x00007ff, 0x0000348, VEC),
            e("vcfsx", 4, 0x00007ff, 0x000034a, VEC), e("vspltish", 4, 0x00007ff, 0x000034c, VEC),
            e("vinserth", 4, 0x00007ff, 0x000034d, VEC), e("vupkhpx", 4, 0x00007ff, 0x000034e, VEC),
            e("vaddsws", 4, 0x00007ff, 0x0000380, VEC), e("vminsw", 4, 0x00007ff, 0x0000382, VEC),
            e("vsraw", 4, 0x00007ff, 0x0000384, VEC), e("vcmpgtsw", 4, 0x00003ff, 0x0000386, VEC),
            e("vmulesw", 4, 0x00007ff, 0x0000388, VEC), e("vctuxs", 4, 0x00007ff, 0x000038a, VEC),
            e("vspltisw", 4, 0x00007ff, 0x000038c, VEC), e("vinsertw", 4, 0x00007ff, 0x000038d, VEC),
            e("vminsd", 4, 0x00007ff, 0x00003c2, VEC), e("vsrad", 4, 0x00007ff, 0x00003c4, VEC),
            e("vcmpbfp", 4, 0x00003ff, 0x00003c6, VEC), e("vcmpgtsd", 4, 0x00003ff, 0x00003c7, VEC),
            e("vctsxs", 4, 0x00007ff, 0x00003ca, VEC), e("vinsertd", 4, 0x00007ff, 0x00003cd, VEC),
            e("vupklpx", 4, 0x00007ff, 0x00003ce, VEC), e("vsububm", 4, 0x00007ff, 0x0000400, VEC),
            e("bcdadd", 4, 0x00005ff, 0x0000401, VEC), e("vavgub", 4, 0x00007ff, 0x0000402, VEC),
            e("vabsdub", 4, 0x00007ff, 0x0000403, VEC), e("vand", 4, 0x00007ff, 0x0000404, VEC),
            e("vpmsumb", 4, 0x00007ff, 0x0000408, VEC), e("vmaxfp", 4, 0x00007ff, 0x000040a, VEC),
            e("vslo", 4, 0x00007ff, 0x000040c, VEC), e("vsubuhm", 4, 0x00007ff, 0x0000440, VEC),
            e("bcdsub", 4, 0x00005ff, 0x0000441, VEC), e("vavguh", 4, 0x00007ff, 0x0000442, VEC),
            e("vabsduh", 4, 0x00007ff, 0x0000443, VEC), e("vandc", 4, 0x00007ff, 0x0000444, VEC),
            e("vpmsumh", 4, 0x00007ff, 0x0000448, VEC), e("vminfp", 4, 0x00007ff, 0x000044a, VEC),
            e("vsro", 4, 0x00007ff, 0x000044c, VEC), e("vpkudum", 4, 0x00007ff, 0x000044e, VEC),
            e("vsubuwm", 4, 0x00007ff, 0x0000480, VEC), e("bcdus", 4, 0x00007ff, 0x0000481, VEC),
            e("vavguw", 4, 0x00007ff, 0x0000482, VEC), e("vabsduw", 4, 0x00007ff, 0x0000483, VEC),
            e("vor", 4, 0x00007ff, 0x0000484, VEC), e("vpmsumw", 4, 0x00007ff, 0x0000488, VEC),
            e("vsubudm", 4, 0x00007ff, 0x00004c0, VEC), e("bcds", 4, 0x00005ff, 0x00004c1, VEC),
            e("vxor", 4, 0x00007ff, 0x00004c4, VEC), e("vpmsumd", 4, 0x00007ff, 0x00004c8, VEC),
            e("vpkudus", 4, 0x00007ff, 0x00004ce, VEC), e("vsubuqm", 4, 0x00007ff, 0x0000500, VEC),
            e("bcdtrunc", 4, 0x00005ff, 0x0000501, VEC), e("vavgsb", 4, 0x00007ff, 0x0000502, VEC),
            e("vnor", 4, 0x00007ff, 0x0000504, VEC), e("vcipher", 4, 0x00007ff, 0x0000508, VEC),
            e("vcipherlast", 4, 0x00007ff, 0x0000509, VEC), e("vgbbd", 4, 0x00007ff, 0x000050c, VEC),
            e("vsubcuq", 4, 0x00007ff, 0x0000540, VEC), e("bcdutrunc", 4, 0x00007ff, 0x0000541, VEC),
            e("vavgsh", 4, 0x00007ff, 0x0000542, VEC), e("vorc", 4, 0x00007ff, 0x0000544, VEC),
            e("vncipher", 4, 0x00007ff, 0x0000548, VEC), e("vncipherlast", 4, 0x00007ff, 0x0000549, VEC),
            e("vbpermq", 4, 0x00007ff, 0x000054c, VEC), e("vpksdus", 4, 0x00007ff, 0x000054e, VEC),
            e("vsubcuw", 4, 0x00007ff, 0x0000580, VEC), e("bcdctsq", 4, 0x01f05ff, 0x0000581, VEC),
            e("vavgsw", 4, 0x00007ff, 0x0000582, VEC), e("vnand", 4, 0x00007ff, 0x0000584, VEC),
            e("bcdsr", 4, 0x00005ff, 0x00005c1, VEC), e("vsld", 4, 0x00007ff, 0x00005c4, VEC),
            e("vsbox", 4, 0x00007ff, 0x00005c8, VEC), e("vbpermd", 4, 0x00007ff, 0x00005cc, VEC),
            e("vpksdss", 4, 0x00007ff, 0x00005ce, VEC), e("vsububs", 4, 0x00007ff, 0x0000600, VEC),
            e("vclzlsbb", 4, 0x01f07ff, 0x0000602, VEC), e("mfvscr", 4, 0x00007ff, 0x0000604, VEC),
            e("vsum4ubs", 4, 0x00007ff, 0x0000608, VEC), e("vextublx", 4, 0x00007ff, 0x000060d, VEC),
            e("vsubuhs", 4, 0x00007ff, 0x0000640, VEC), e("mtvscr", 4, 0x00007ff, 0x0000644, VEC),
            e("vsum4shs", 4, 0x00007ff, 0x0000648, VEC), e("vextuhlx", 4, 0x00007ff, 0x000064d, VEC),
            e("vupkhsw", 4, 0x00007ff, 0x000064e, VEC), e("vsubuws", 4, 0x00007ff, 0x0000680, VEC),
            e("vshasigmaw", 4, 0x00007ff, 0x0000682, VEC), e("veqv", 4, 0x00007ff, 0x0000684, VEC),
            e("vsum2sws", 4, 0x00007ff, 0x0000688, VEC), e("vmrgow", 4, 0x00007ff, 0x000068c, VEC),
            e("vextuwlx", 4, 0x00007ff, 0x000068d, VEC), e("vshasigmad", 4, 0x00007ff, 0x00006c2, VEC),
            e("vsrd", 4, 0x00007ff, 0x00006c4, VEC), e("vupklsw", 4, 0x00007ff, 0x00006ce, VEC),
            e("vsubsbs", 4, 0x00007ff, 0x0000700, VEC), e("vclzb", 4, 0x00007ff, 0x0000702, VEC),
            e("vpopcntb", 4, 0x00007ff, 0x0000703, VEC), e("vsrv", 4, 0x00007ff, 0x0000704, VEC),
            e("vsum4sbs", 4, 0x00007ff, 0x0000708, VEC), e("vextubrx", 4, 0x00007ff, 0x000070d, VEC),
            e("vsubshs", 4, 0x00007ff, 0x0000740, VEC), e("vclzh", 4, 0x00007ff, 0x0000742, VEC),
            e("vpopcnth", 4, 0x00007ff, 0x0000743, VEC), e("vslv", 4, 0x00007ff, 0x0000744, VEC),
            e("vextuhrx", 4, 0x00007ff, 0x000074d, VEC), e("vsubsws", 4, 0x00007ff, 0x0000780, VEC),
            e("vclzw", 4, 0x00007ff, 0x0000782, VEC), e("vpopcntw", 4, 0x00007ff, 0x0000783, VEC),
            e("vsumsws", 4, 0x00007ff, 0x0000788, VEC), e("vmrgew", 4, 0x00007ff, 0x000078c, VEC),
            e("vextuwrx", 4, 0x00007ff, 0x000078d, VEC), e("vclzd", 4, 0x00007ff, 0x00007c2, VEC),
            e("vpopcntd", 4, 0x00007ff, 0x00007c3, VEC), e("vctzlsbb", 4, 0x01f07ff, 0x0010602, VEC),
            e("bcdcfsq", 4, 0x01f05ff, 0x0020581, VEC), e("bcdctz", 4, 0x01f05ff, 0x0040581, VEC),
            e("bcdctn", 4, 0x01f07ff, 0x0050581, VEC), e("bcdcfz", 4, 0x01f05ff, 0x0060581, VEC),
            e("vnegw", 4, 0x01f07ff, 0x0060602, VEC), e("bcdcfn", 4, 0x01f05ff, 0x0070581, VEC),
            e("vnegd", 4, 0x01f07ff, 0x0070602, VEC), e("vprtybw", 4, 0x01f07ff, 0x0080602, VEC),
            e("vprtybd", 4, 0x01f07ff, 0x0090602, VEC), e("vprtybq", 4, 0x01f07ff, 0x00a0602, VEC),
            e("vextsb2w", 4, 0x01f07ff, 0x0100602, VEC), e("vextsh2w", 4, 0x01f07ff, 0x0110602, VEC),
            e("vextsb2d", 4, 0x01f07ff, 0x0180602, VEC), e("vextsh2d", 4, 0x01f07ff, 0x0190602, VEC),
            e("vextsw2d", 4, 0x01f07ff, 0x01a0602, VEC), e("vctzb", 4, 0x01f07ff, 0x01c0602, VEC),
            e("vctzh", 4, 0x01f07ff, 0x01d0602, VEC), e("vctzw", 4, 0x01f07ff, 0x01e0602, VEC),
            e("bcdsetsgn", 4, 0x01f05ff, 0x01f0581, VEC), e("vctzd", 4, 0x01f07ff, 0x01f0602, VEC),
            // primary opcode 31
            e("lvsl", 31, 0x00007fe, 0x000000c, VEC), e("lvebx", 31, 0x00007fe, 0x000000e, VEC),
            e("lxsiwzx", 31, 0x00007fe, 0x0000018, VSX), e("lvsr", 31, 0x00007fe, 0x000004c, VEC),
            e("lvehx", 31, 0x00007fe, 0x000004e, VEC), e("mfvsrd", 31, 0x00007ff, 0x0000066, FP),
            e("mfvsrd", 31, 0x00007ff, 0x0000067, VEC), e("lvewx", 31, 0x00007fe, 0x000008e, VEC),
            e("lxsiwax", 31, 0x00007fe, 0x0000098, VSX), e("lvx", 31, 0x00007fe, 0x00000ce, VEC),
            e("mfvsrwz", 31, 0x00007ff, 0x00000e6, FP), e("mfvsrwz", 31, 0x00007ff, 0x00000e7, VEC),
            e("stvebx", 31, 0x00007fe, 0x000010e, VEC), e("stxsiwx", 31, 0x00007fe, 0x0000118, VSX),
            e("stvehx", 31, 0x00007fe, 0x000014e, VEC), e("mtvsrd", 31, 0x00007ff, 0x0000166, FP),
            e("mtvsrd", 31, 0x00007ff, 0x0000167, VEC), e("stvewx", 31, 0x00007fe, 0x000018e, VEC),
            e("mtvsrwa", 31, 0x00007ff, 0x00001a6, FP), e("mtvsrwa", 31, 0x00007ff, 0x00001a7, VEC),
            e("stvx", 31, 0x00007fe, 0x00001ce, VEC), e("mtvsrwz", 31, 0x00007ff, 0x00001e6, FP),
            e("mtvsrwz", 31, 0x00007ff, 0x00001e7, VEC), e("lxvx", 31, 0x00007ff, 0x0000218, VSX),
            e("lxvx", 31, 0x00007ff, 0x0000219, VEC), e("lxvl", 31, 0x00007ff, 0x000021a, VSX),
            e("lxvl", 31, 0x00007ff, 0x000021b, VEC), e("lxvll", 31, 0x00007ff, 0x000025a, VSX),
            e("lxvll", 31, 0x00007ff, 0x000025b, VEC), e("mfvsrld", 31, 0x00007ff, 0x0000266, VSX),
            e("mfvsrld", 31, 0x00007ff, 0x0000267, VEC), e("lxvdsx", 31, 0x00007fe, 0x0000298, VSX),
            e("lvxl", 31, 0x00007fe, 0x00002ce, VEC), e("lxvwsx", 31, 0x00007ff, 0x00002d8, VSX),
            e("lxvwsx", 31, 0x00007ff, 0x00002d9, VEC), e("stxvx", 31, 0x00007ff, 0x0000318, VSX),
            e("stxvx", 31, 0x00007ff, 0x0000319, VEC), e("stxvl", 31, 0x00007ff, 0x000031a, VSX),
            e("stxvl", 31, 0x00007ff, 0x000031b, VEC), e("mtvsrws", 31, 0x00007ff, 0x0000326, VSX),
            e("mtvsrws", 31, 0x00007ff, 0x0000327, VEC), e("stxvll", 31, 0x00007ff, 0x000035a, VSX),
            e("stxvll", 31, 0x00007ff, 0x000035b, VEC), e("mtvsrdd", 31, 0x00007ff, 0x0000366, VSX),
            e("mtvsrdd", 31, 0x00007ff, 0x0000367, VEC), e("stvxl", 31, 0x00007fe, 0x00003ce, VEC),
            e("lxsspx", 31, 0x00007fe, 0x0000418, VSX), e("lfsx", 31, 0x00007fe, 0x000042e, FP),
            e("lfsux", 31, 0x00007fe, 0x000046e, FP), e("lxsdx", 31, 0x00007fe, 0x0000498, VSX),
            e("lfdx", 31, 0x00007fe, 0x00004ae, FP), e("lfdux", 31, 0x00007fe, 0x00004ee, FP),
            e("stxsspx", 31, 0x00007fe, 0x0000518, VSX), e("stfsx", 31, 0x00007fe, 0x000052e, FP),
            e("stfsux", 31, 0x00007fe, 0x000056e, FP), e("stxsdx", 31, 0x00007fe, 0x0000598, VSX),
            e("stfdx", 31, 0x00007fe, 0x00005ae, FP), e("stfdux", 31, 0x00007fe, 0x00005ee, FP),
            e("lxvw4x", 31, 0x00007fe, 0x0000618, VSX), e("lxsibzx", 31, 0x00007fe, 0x000061a, VSX),
            e("lfdpx", 31, 0x00007ff, 0x000062e, FP), e("lxvh8x", 31, 0x00007fe, 0x0000658, VSX),
            e("lxsihzx", 31, 0x00007fe, 0x000065a, VSX), e("lxvd2x", 31, 0x00007fe, 0x0000698, VSX),
            e("lfiwax", 31, 0x00007ff, 0x00006ae, FP), e("lxvb16x", 31, 0x00007fe, 0x00006d8, VSX),
            e("lfiwzx", 31, 0x00007ff, 0x00006ee, FP), e("stxvw4x", 31, 0x00007fe, 0x0000718, VSX),
            e("stxsibx", 31, 0x00007fe, 0x000071a, VSX), e("stfdpx", 31, 0x00007ff, 0x000072e, FP),
            e("stxvh8x", 31, 0x00007fe, 0x0000758, VSX), e("stxsihx", 31, 0x00007fe, 0x000075a, VSX),
            e("stxvd2x", 31, 0x00007fe, 0x0000798, VSX), e("stfiwx", 31, 0x00007ff, 0x00007ae, FP),
            e("stxvb16x", 31, 0x00007fe, 0x00007d8, VSX),
            // primary opcode 48
            e("lfs", 48, 0x0000000, 0x0000000, FP),
            // primary opcode 49
            e("lfsu", 49, 0x0000000, 0x0000000, FP),
            // primary opcode 50
            e("lfd", 50, 0x0000000, 0x0000000, FP),
            // primary opcode 51
            e("lfdu", 51, 0x0000000, 0x0000000, FP),
            // primary opcode 52
            e("stfs", 52, 0x0000000, 0x0000000, FP),
            // primary opcode 53
            e("stfsu", 53, 0x0000000, 0x0000000, FP),
            // primary opcode 54
            e("stfd", 54, 0x0000000, 0x0000000, FP),
            // primary opcode 55
            e("stfdu", 55, 0x0000000, 0x0000000, FP),
            // primary opcode 57
            e("lfdp", 57, 0x0000003, 0x0000000, FP), e("lxsd", 57, 0x0000003, 0x0000002, VEC),
            e("lxssp", 57, 0x0000003, 0x0000003, VEC),
            // primary opcode 59
            e("dadd", 59, 0x00007fe, 0x0000004, FP), e("dqua", 59, 0x00001fe, 0x0000006, FP),
            e("fdivs", 59, 0x000003e, 0x0000024, FP), e("fsubs", 59, 0x000003e, 0x0000028, FP),
            e("fadds", 59, 0x000003e, 0x000002a, FP), e("fsqrts", 59, 0x000003e, 0x000002c, FP),
            e("fres", 59, 0x000003e, 0x0000030, FP), e("fmuls", 59, 0x000003e, 0x0000032, FP),
            e("frsqrtes", 59, 0x000003e, 0x0000034, FP), e("fmsubs", 59, 0x000003e, 0x0000038, FP),
            e("fmadds", 59, 0x000003e, 0x000003a, FP), e("fnmsubs", 59, 0x000003e, 0x000003c, FP),
            e("fnmadds", 59, 0x000003e, 0x000003e, FP), e("dmul", 59, 0x00007fe, 0x0000044, FP),
            e("drrnd", 59, 0x00001fe, 0x0000046, FP), e("dscli", 59, 0x00003fe, 0x0000084, FP),
            e("dquai", 59, 0x00001fe, 0x0000086, FP), e("dscri", 59, 0x00003fe, 0x00000c4, FP),
            e("drintx", 59, 0x00001fe, 0x00000c6, FP), e("dcmpo", 59, 0x00007fe, 0x0000104, FP),
            e("dtstex", 59, 0x00007fe, 0x0000144, FP), e("dtstdc", 59, 0x00003fe, 0x0000184, FP),
            e("dtstdg", 59, 0x00003fe, 0x00001c4, FP), e("drintn", 59, 0x00001fe, 0x00001c6, FP),
            e("dctdp", 59, 0x00007fe, 0x0000204, FP), e("dctfix", 59, 0x00007fe, 0x0000244, FP),
            e("ddedpd", 59, 0x00007fe, 0x0000284, FP), e("dxex", 59, 0x00007fe, 0x00002c4, FP),
            e("dsub", 59, 0x00007fe, 0x0000404, FP), e("ddiv", 59, 0x00007fe, 0x0000444, FP),
            e("dcmpu", 59, 0x00007fe, 0x0000504, FP), e("dtstsf", 59, 0x00007fe, 0x0000544, FP),
            e("dtstsfi", 59, 0x00007fe, 0x0000546, FP), e("drsp", 59, 0x00007fe, 0x0000604, FP),
            e("dcffix", 59, 0x00007fe, 0x0000644, FP), e("denbcd", 59, 0x00007fe, 0x0000684, FP),
            e("fcfids", 59, 0x00007fe, 0x000069c, FP), e("diex", 59, 0x00007fe, 0x00006c4, FP),
            e("fcfidus", 59, 0x00007fe, 0x000079c, FP),
            // primary opcode 60
            e("xsaddsp", 60, 0x00007f8, 0x0000000, VSX), e("xsmaddasp", 60, 0x00007f8, 0x0000008, VSX),
            e("xxsldwi", 60, 0x00004f8, 0x0000010, VSX), e("xscmpeqdp", 60, 0x00007f8, 0x0000018, VSX),
            e("xsrsqrtesp", 60, 0x00007fc, 0x0000028, VSX), e("xssqrtsp", 60, 0x00007fc, 0x000002c, VSX),
            e("xxsel", 60, 0x0000030, 0x0000030, VSX), e("xssubsp", 60, 0x00007f8, 0x0000040, VSX),
            e("xsmaddmsp", 60, 0x00007f8, 0x0000048, VSX), e("xxpermdi", 60, 0x00004f8, 0x0000050, VSX),
            e("xscmpgtdp", 60, 0x00007f8, 0x0000058, VSX), e("xsresp", 60, 0x00007fc, 0x0000068, VSX),
            e("xsmulsp", 60, 0x00007f8, 0x0000080, VSX), e("xsmsubasp", 60, 0x00007f8, 0x0000088, VSX),
            e("xxmrghw", 60, 0x00007f8, 0x0000090, VSX), e("xscmpgedp", 60, 0x00007f8, 0x0000098, VSX),
            e("xsdivsp", 60, 0x00007f8, 0x00000c0, VSX), e("xsmsubmsp", 60, 0x00007f8, 0x00000c8, VSX),
            e("xxperm", 60, 0x00007f8, 0x00000d0, VSX), e("xsadddp", 60, 0x00007f8, 0x0000100, VSX),
            e("xsmaddadp", 60, 0x00007f8, 0x0000108, VSX), e("xscmpudp", 60, 0x00007f9, 0x0000118, VSX),
            e("xscvdpuxws", 60, 0x00007fc, 0x0000120, VSX), e("xsrdpi", 60, 0x00007fc, 0x0000124, VSX),
            e("xsrsqrtedp", 60, 0x00007fc, 0x0000128, VSX), e("xssqrtdp", 60, 0x00007fc, 0x000012c, VSX),
            e("xssubdp", 60, 0x00007f8, 0x0000140, VSX), e("xsmaddmdp", 60, 0x00007f8, 0x0000148, VSX),
            e("xscmpodp", 60, 0x00007f9, 0x0000158, VSX), e("xscvdpsxws", 60, 0x00007fc, 0x0000160, VSX),
            e("xsrdpiz", 60, 0x00007fc, 0x0000164, VSX), e("xsredp", 60, 0x00007fc, 0x0000168, VSX),
            e("xsmuldp", 60, 0x00007f8, 0x0000180, VSX), e("xsmsubadp", 60, 0x00007f8, 0x0000188, VSX),
            e("xxmrglw", 60, 0x00007f8, 0x0000190, VSX), e("xsrdpip", 60, 0x00007fc, 0x00001a4, VSX),
            e("xstsqrtdp", 60, 0x00007fc, 0x00001a8, VSX), e("xsrdpic", 60, 0x00007fc, 0x00001ac, VSX),
            e("xsdivdp", 60, 0x00007f8, 0x00001c0, VSX), e("xsmsubmdp", 60, 0x00007f8, 0x00001c8, VSX),
            e("xxpermr", 60, 0x00007f8, 0x00001d0, VSX), e("xscmpexpdp", 60, 0x00007f8, 0x00001d8, VSX),
            e("xsrdpim", 60, 0x00007fc, 0x00001e4, VSX), e("xstdivdp", 60, 0x00007f8, 0x00001e8, VSX),
            e("xvaddsp", 60, 0x00007f8, 0x0000200, VSX), e("xvmaddasp", 60, 0x00007f8, 0x0000208, VSX),
            e("xvcmpeqsp", 60, 0x00003f8, 0x0000218, VSX), e("xvcvspuxws", 60, 0x00007fc, 0x0000220, VSX),
            e("xvrspi", 60, 0x00007fc, 0x0000224, VSX), e("xvrsqrtesp", 60, 0x00007fc, 0x0000228, VSX),
            e("xvsqrtsp", 60, 0x00007fc, 0x000022c, VSX), e("xvsubsp", 60, 0x00007f8, 0x0000240, VSX),
            e("xvmaddmsp", 60, 0x00007f8, 0x0000248, VSX), e("xvcmpgtsp", 60, 0x00003f8, 0x0000258, VSX),
            e("xvcvspsxws", 60, 0x00007fc, 0x0000260, VSX), e("xvrspiz", 60, 0x00007fc, 0x0000264, VSX),
            e("xvresp", 60, 0x00007fc, 0x0000268, VSX), e("xvmulsp", 60, 0x00007f8, 0x0000280, VSX),
            e("xvmsubasp", 60, 0x00007f8, 0x0000288, VSX), e("xxspltw", 60, 0x00007fc, 0x0000290, VSX),
            e("xxextractuw", 60, 0x00007fc, 0x0000294, VSX), e("xvcmpgesp", 60, 0x00003f8, 0x0000298, VSX),
            e("xvcvuxwsp", 60, 0x00007fc, 0x00002a0, VSX), e("xvrspip", 60, 0x00007fc, 0x00002a4, VSX),
            e("xvtsqrtsp", 60, 0x00007fc, 0x00002a8, VSX), e("xvrspic", 60, 0x00007fc, 0x00002ac, VSX),
            e("xvdivsp", 60, 0x00007f8, 0x00002c0, VSX), e("xvmsubmsp", 60, 0x00007f8, 0x00002c8, VSX),
            e("xxspltib", 60, 0x00007ff, 0x00002d0, VSX), e("xxspltib", 60, 0x00007ff, 0x00002d1, VEC),
            e("xxinsertw", 60, 0x00007fc, 0x00002d4, VSX), e("xvcvsxwsp", 60, 0x00007fc, 0x00002e0, VSX),
            e("xvrspim", 60, 0x00007fc, 0x00002e4, VSX), e("xvtdivsp", 60, 0x00007f8, 0x00002e8, VSX),
            e("xvadddp", 60, 0x00007f8, 0x0000300, VSX), e("xvmaddadp", 60, 0x00007f8, 0x0000308, VSX),
            e("xvcmpeqdp", 60, 0x00003f8, 0x0000318, VSX), e("xvcvdpuxws", 60, 0x00007fc, 0x0000320, VSX),
            e("xvrdpi", 60, 0x00007fc, 0x0000324, VSX), e("xvrsqrtedp", 60, 0x00007fc, 0x0000328, VSX),
            e("xvsqrtdp", 60, 0x00007fc, 0x000032c, VSX), e("xvsubdp", 60, 0x00007f8, 0x0000340, VSX),
            e("xvmaddmdp", 60, 0x00007f8, 0x0000348, VSX), e("xvcmpgtdp", 60, 0x00003f8, 0x0000358, VSX),
            e("xvcvdpsxws", 60, 0x00007fc, 0x0000360, VSX), e("xvrdpiz", 60, 0x00007fc, 0x0000364, VSX),
            e("xvredp", 60, 0x00007fc, 0x0000368, VSX), e("xvmuldp", 60, 0x00007f8, 0x0000380, VSX),
            e("xvmsubadp", 60, 0x00007f8, 0x0000388, VSX), e("xvcmpgedp", 60, 0x00003f8, 0x0000398, VSX),
            e("xvcvuxwdp", 60, 0x00007fc, 0x00003a0, VSX), e("xvrdpip", 60, 0x00007fc, 0x00003a4, VSX),
            e("xvtsqrtdp", 60, 0x00007fc, 0x00003a8, VSX), e("xvrdpic", 60, 0x00007fc, 0x00003ac, VSX),
            e("xvdivdp", 60, 0x00007f8, 0x00003c0, VSX), e("xvmsubmdp", 60, 0x00007f8, 0x00003c8, VSX),
            e("xvcvsxwdp", 60, 0x00007fc, 0x00003e0, VSX), e("xvrdpim", 60, 0x00007fc, 0x00003e4, VSX),
            e("xvtdivdp", 60, 0x00007f8, 0x00003e8, VSX), e("xsmaxcdp", 60, 0x00007f8, 0x0000400, VSX),
            e("xsnmaddasp", 60, 0x00007f8, 0x0000408, VSX), e("xxland", 60, 0x00007f8, 0x0000410, VSX),
            e("xscvdpsp", 60, 0x00007fc, 0x0000424, VSX), e("xscvdpspn", 60, 0x00007fc, 0x000042c, VSX),
            e("xsmincdp", 60, 0x00007f8, 0x0000440, VSX), e("xsnmaddmsp", 60, 0x00007f8, 0x0000448, VSX),
            e("xxlandc", 60, 0x00007f8, 0x0000450, VSX), e("xsrsp", 60, 0x00007fc, 0x0000464, VSX),
            e("xsmaxjdp", 60, 0x00007f8, 0x0000480, VSX), e("xsnmsubasp", 60, 0x00007f8, 0x0000488, VSX),
            e("xxlor", 60, 0x00007f8, 0x0000490, VSX), e("xscvuxdsp", 60, 0x00007fc, 0x00004a0, VSX),
            e("xststdcsp", 60, 0x00007fc, 0x00004a8, VSX), e("xsminjdp", 60, 0x00007f8, 0x00004c0, VSX),
            e("xsnmsubmsp", 60, 0x00007f8, 0x00004c8, VSX), e("xxlxor", 60, 0x00007f8, 0x00004d0, VSX),
            e("xscvsxdsp", 60, 0x00007fc, 0x00004e0, VSX), e("xsmaxdp", 60, 0x00007f8, 0x0000500, VSX),
            e("xsnmaddadp", 60, 0x00007f8, 0x0000508, VSX), e("xxlnor", 60, 0x00007f8, 0x0000510, VSX),
            e("xscvdpuxds", 60, 0x00007fc, 0x0000520, VSX), e("xscvspdp", 60, 0x00007fc, 0x0000524, VSX),
            e("xscvspdpn", 60, 0x00007fc, 0x000052c, VSX), e("xsmindp", 60, 0x00007f8, 0x0000540, VSX),
            e("xsnmaddmdp", 60, 0x00007f8, 0x0000548, VSX), e("xxlorc", 60, 0x00007f8, 0x0000550, VSX),
            e("xscvdpsxds", 60, 0x00007fc, 0x0000560, VSX), e("xsabsdp", 60, 0x00007fc, 0x0000564, VSX),
            e("xsxexpdp", 60, 0x01f07fc, 0x000056c, VSX), e("xscpsgndp", 60, 0x00007f8, 0x0000580, VSX),
            e("xsnmsubadp", 60, 0x00007f8, 0x0000588, VSX), e("xxlnand", 60, 0x00007f8, 0x0000590, VSX),
            e("xscvuxddp", 60, 0x00007fc, 0x00005a0, VSX), e("xsnabsdp", 60, 0x00007fc, 0x00005a4, VSX),
            e("xststdcdp", 60, 0x00007fc, 0x00005a8, VSX), e("xsnmsubmdp", 60, 0x00007f8, 0x00005c8, VSX),
            e("xxleqv", 60, 0x00007f8, 0x00005d0, VSX), e("xscvsxddp", 60, 0x00007fc, 0x00005e0, VSX),
            e("xsnegdp", 60, 0x00007fc, 0x00005e4, VSX), e("xvmaxsp", 60, 0x00007f8, 0x0000600, VSX),
            e("xvnmaddasp", 60, 0x00007f8, 0x0000608, VSX), e("xvcvspuxds", 60, 0x00007fc, 0x0000620, VSX),
            e("xvcvdpsp", 60, 0x00007fc, 0x0000624, VSX), e("xvminsp", 60, 0x00007f8, 0x0000640, VSX),
            e("xvnmaddmsp", 60, 0x00007f8, 0x0000648, VSX), e("xvcvspsxds", 60, 0x00007fc, 0x0000660, VSX),
            e("xvabssp", 60, 0x00007fc, 0x0000664, VSX), e("xvcpsgnsp", 60, 0x00007f8, 0x0000680, VSX),
            e("xvnmsubasp", 60, 0x00007f8, 0x0000688, VSX), e("xvcvuxdsp", 60, 0x00007fc, 0x00006a0, VSX),
            e("xvnabssp", 60, 0x00007fc, 0x00006a4, VSX), e("xvtstdcsp", 60, 0x00007b8, 0x00006a8, VSX),
            e("xviexpsp", 60, 0x00007f8, 0x00006c0, VSX), e("xvnmsubmsp", 60, 0x00007f8, 0x00006c8, VSX),
            e("xvcvsxdsp", 60, 0x00007fc, 0x00006e0, VSX), e("xvnegsp", 60, 0x00007fc, 0x00006e4, VSX),
            e("xvmaxdp", 60, 0x00007f8, 0x0000700, VSX), e("xvnmaddadp", 60, 0x00007f8, 0x0000708, VSX),
            e("xvcvdpuxds", 60, 0x00007fc, 0x0000720, VSX), e("xvcvspdp", 60, 0x00007fc, 0x0000724, VSX),
            e("xsiexpdp", 60, 0x00007fe, 0x000072c, VSX), e("xvmindp", 60, 0x00007f8, 0x0000740, VSX),
            e("xvnmaddmdp", 60, 0x00007f8, 0x0000748, VSX), e("xvcvdpsxds", 60, 0x00007fc, 0x0000760, VSX),
            e("xvabsdp", 60, 0x00007fc, 0x0000764, VSX), e("xvxexpdp", 60, 0x01f07fc, 0x000076c, VSX),
            e("xvcpsgndp", 60, 0x00007f8, 0x0000780, VSX), e("xvnmsubadp", 60, 0x00007f8, 0x0000788, VSX),
            e("xvcvuxddp", 60, 0x00007fc, 0x00007a0, VSX), e("xvnabsdp", 60, 0x00007fc, 0x00007a4, VSX),
            e("xvtstdcdp", 60, 0x00007b8, 0x00007a8, VSX), e("xviexpdp", 60, 0x00007f8, 0x00007c0, VSX),
            e("xvnmsubmdp", 60, 0x00007f8, 0x00007c8, VSX), e("xvcvsxddp", 60, 0x00007fc, 0x00007e0, VSX),
            e("xvnegdp", 60, 0x00007fc, 0x00007e4, VSX), e("xsxsigdp", 60, 0x01f07fc, 0x001056c, VSX),
            e("xvxsigdp", 60, 0x01f07fc, 0x001076c, VSX), e("xxbrh", 60, 0x01f07fc, 0x007076c, VSX),
            e("xvxexpsp", 60, 0x01f07fc, 0x008076c, VSX), e("xvxsigsp", 60, 0x01f07fc, 0x009076c, VSX),
            e("xxbrw", 60, 0x01f07fc, 0x00f076c, VSX), e("xscvhpdp", 60, 0x01f07fc, 0x010056c, VSX),
            e("xscvdphp", 60, 0x01f07fc, 0x011056c, VSX), e("xxbrd", 60, 0x01f07fc, 0x017076c, VSX),
            e("xvcvhpsp", 60, 0x01f07fc, 0x018076c, VSX), e("xvcvsphp", 60, 0x01f07fc, 0x019076c, VSX),
            e("xxbrq", 60, 0x01f07fc, 0x01f076c, VSX),
            // primary opcode 61
            e("stfdp", 61, 0x0000003, 0x0000000, FP), e("lxv", 61, 0x000000f, 0x0000001, VSX),
            e("stxsd", 61, 0x0000003, 0x0000002, VEC), e("stxssp", 61, 0x0000003, 0x0000003, VEC),
            e("stxv", 61, 0x000000f, 0x0000005, VSX), e("lxv", 61, 0x000000f, 0x0000009, VEC),
            e("stxv", 61, 0x000000f, 0x000000d, VEC),
            // primary opcode 63
            e("fcmpu", 63, 0x00007ff, 0x0000000, FP), e("daddq", 63, 0x00007fe, 0x0000004, FP),
            e("dquaq", 63, 0x00001fe, 0x0000006, FP), e("xsaddqp", 63, 0x00007ff, 0x0000008, VSX),
            e("xsaddqpo", 63, 0x00007ff, 0x0000009, VSX), e("xsrqpi", 63, 0x00001ff, 0x000000a, VSX),
            e("xsrqpix", 63, 0x00001ff, 0x000000b, VSX), e("fcpsgn", 63, 0x00007fe, 0x0000010, FP),
            e("frsp", 63, 0x00007fe, 0x0000018, FP), e("fctiw", 63, 0x00007fe, 0x000001c, FP),
            e("fctiwz", 63, 0x00007fe, 0x000001e, FP), e("fdiv", 63, 0x000003e, 0x0000024, FP),
            e("fsub", 63, 0x000003e, 0x0000028, FP), e("fadd", 63, 0x000003e, 0x000002a, FP),
            e("fsqrt", 63, 0x000003e, 0x000002c, FP), e("fsel", 63, 0x000003e, 0x000002e, FP),
            e("fre", 63, 0x000003e, 0x0000030, FP), e("fmul", 63, 0x000003e, 0x0000032, FP),
            e("frsqrte", 63, 0x000003e, 0x0000034, FP), e("fmsub", 63, 0x000003e, 0x0000038, FP),
            e("fmadd", 63, 0x000003e, 0x000003a, FP), e("fnmsub", 63, 0x000003e, 0x000003c, FP),
            e("fnmadd", 63, 0x000003e, 0x000003e, FP), e("fcmpo", 63, 0x00007ff, 0x0000040, FP),
            e("dmulq", 63, 0x00007fe, 0x0000044, FP), e("drrndq", 63, 0x00001fe, 0x0000046, FP),
            e("xsmulqp", 63, 0x00007ff, 0x0000048, VSX), e("xsmulqpo", 63, 0x00007ff, 0x0000049, VSX),
            e("xsrqpxp", 63, 0x00001fe, 0x000004a, VSX), e("mtfsb1", 63, 0x00007fe, 0x000004c, FP),
            e("fneg", 63, 0x00007fe, 0x0000050, FP), e("mcrfs", 63, 0x00007ff, 0x0000080, FP),
            e("dscliq", 63, 0x00003fe, 0x0000084, FP), e("dquaiq", 63, 0x00001fe, 0x0000086, FP),
            e("mtfsb0", 63, 0x00007fe, 0x000008c, FP), e("fmr", 63, 0x00007fe, 0x0000090, FP),
            e("dscriq", 63, 0x00003fe, 0x00000c4, FP), e("drintxq", 63, 0x00001fe, 0x00000c6, FP),
            e("xscpsgnqp", 63, 0x00007ff, 0x00000c8, VSX), e("ftdiv", 63, 0x00007fe, 0x0000100, FP),
            e("dcmpoq", 63, 0x00007fe, 0x0000104, FP), e("xscmpoqp", 63, 0x00007ff, 0x0000108, VSX),
            e("mtfsfi", 63, 0x00007fe, 0x000010c, FP), e("fnabs", 63, 0x00007fe, 0x0000110, FP),
            e("fctiwu", 63, 0x00007fe, 0x000011c, FP), e("fctiwuz", 63, 0x00007fe, 0x000011e, FP),
            e("ftsqrt", 63, 0x00007fe, 0x0000140, FP), e("dtstexq", 63, 0x00007fe, 0x0000144, FP),
            e("xscmpexpqp", 63, 0x00007ff, 0x0000148, VSX), e("dtstdcq", 63, 0x00003fe, 0x0000184, FP),
            e("dtstdgq", 63, 0x00003fe, 0x00001c4, FP), e("drintnq", 63, 0x00001fe, 0x00001c6, FP),
            e("dctqpq", 63, 0x00007fe, 0x0000204, FP), e("fabs", 63, 0x00007fe, 0x0000210, FP),
            e("dctfixq", 63, 0x00007fe, 0x0000244, FP), e("ddedpdq", 63, 0x00007fe, 0x0000284, FP),
            e("dxexq", 63, 0x00007fe, 0x00002c4, FP), e("xsmaddqp", 63, 0x00007ff, 0x0000308, VSX),
            e("xsmaddqpo", 63, 0x00007ff, 0x0000309, VSX), e("frin", 63, 0x00007fe, 0x0000310, FP),
            e("xsmsubqp", 63, 0x00007ff, 0x0000348, VSX), e("xsmsubqpo", 63, 0x00007ff, 0x0000349, VSX),
            e("friz", 63, 0x00007fe, 0x0000350, FP), e("xsnmaddqp", 63, 0x00007ff, 0x0000388, VSX),
            e("xsnmaddqpo", 63, 0x00007ff, 0x0000389, VSX), e("frip", 63, 0x00007fe, 0x0000390, FP),
            e("xsnmsubqp", 63, 0x00007ff, 0x00003c8, VSX), e("xsnmsubqpo", 63, 0x00007ff, 0x00003c9, VSX),
            e("frim", 63, 0x00007fe, 0x00003d0, FP), e("dsubq", 63, 0x00007fe, 0x0000404, FP),
            e("xssubqp", 63, 0x00007ff, 0x0000408, VSX), e("xssubqpo", 63, 0x00007ff, 0x0000409, VSX),
            e("ddivq", 63, 0x00007fe, 0x0000444, FP), e("xsdivqp", 63, 0x00007ff, 0x0000448, VSX),
            e("xsdivqpo", 63, 0x00007ff, 0x0000449, VSX), e("mffs", 63, 0x01f07fe, 0x000048e, FP),
            e("dcmpuq", 63, 0x00007fe, 0x0000504, FP), e("xscmpuqp", 63, 0x00007ff, 0x0000508, VSX),
            e("dtstsfq", 63, 0x00007fe, 0x0000544, FP), e("dtstsfiq", 63, 0x00007fe, 0x0000546, FP),
            e("xststdcqp", 63, 0x00007fe, 0x0000588, VSX), e("mtfsf", 63, 0x00007fe, 0x000058e, FP),
            e("drdpq", 63, 0x00007fe, 0x0000604, FP), e("dcffixq", 63, 0x00007fe, 0x0000644, FP),
            e("xsabsqp", 63, 0x01f07ff, 0x0000648, VSX), e("fctid", 63, 0x00007fe, 0x000065c, FP),
            e("fctidz", 63, 0x00007fe, 0x000065e, FP), e("denbcdq", 63, 0x00007fe, 0x0000684, FP),
            e("fmrgow", 63, 0x00007ff, 0x000068c, FP), e("fcfid", 63, 0x00007fe, 0x000069c, FP),
            e("diexq", 63, 0x00007fe, 0x00006c4, FP), e("xsiexpqp", 63, 0x00007ff, 0x00006c8, VSX),
            e("fctidu", 63, 0x00007fe, 0x000075c, FP), e("fctiduz", 63, 0x00007fe, 0x000075e, FP),
            e("fmrgew", 63, 0x00007ff, 0x000078c, FP), e("fcfidu", 63, 0x00007fe, 0x000079c, FP),
            e("mffsce", 63, 0x01f07fe, 0x001048e, FP), e("xscvqpuwz", 63, 0x01f07ff, 0x0010688, VSX),
            e("xsxexpqp", 63, 0x01f07ff, 0x0020648, VSX), e("xscvudqp", 63, 0x01f07ff, 0x0020688, VSX),
            e("xsnabsqp", 63, 0x01f07ff, 0x0080648, VSX), e("xscvqpswz", 63, 0x01f07ff, 0x0090688, VSX),
            e("xscvsdqp", 63, 0x01f07ff, 0x00a0688, VSX), e("xsnegqp", 63, 0x01f07ff, 0x0100648, VSX),
            e("xscvqpudz", 63, 0x01f07ff, 0x0110688, VSX), e("xsxsigqp", 63, 0x01f07ff, 0x0120648, VSX),
            e("mffscdrn", 63, 0x01f07fe, 0x014048e, FP), e("xscvqpdp", 63, 0x01f07ff, 0x0140688, VSX),
            e("xscvqpdpo", 63, 0x01f07ff, 0x0140689, VSX), e("mffscdrni", 63, 0x01f07fe, 0x015048e, FP),
            e("mffscrn", 63, 0x01f07fe, 0x016048e, FP), e("xscvdpqp", 63, 0x01f07ff, 0x0160688, VSX),
            e("mffscrni", 63, 0x01f07fe, 0x017048e, FP), e("mffsl", 63, 0x01f07fe, 0x018048e, FP),
            e("xscvqpsdz", 63, 0x01f07ff, 0x0190688, VSX), e("xssqrtqp", 63, 0x01f07ff, 0x01b0648, VSX),
            e("xssqrtqpo", 63, 0x01f07ff, 0x01b0649, VSX));

    private static final Map<String, List<InstructionSpec>> BY_MNEMONIC = byMnemonic();

    private static Map<String, List<InstructionSpec>> byMnemonic() {
        Map<String, List<InstructionSpec>> by = new HashMap<>();
        for (InstructionSpec e : ALL) {
            by.computeIfAbsent(e.mnemonic(), k -> new ArrayList<>(2)).add(e);
        }
        return by;
    }

    /**
     * The encodings named {@code mnemonic}, in the order of {@link #ALL} (each declaration looks up
     * its own: a scan of the whole list for each of some 400 VSX declarations was 30 ms, interpreted,
     * of every start).
     */
    static List<InstructionSpec> named(String mnemonic) {
        return BY_MNEMONIC.getOrDefault(mnemonic, List.of());
    }
}
