package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.FloatingPointLoadStore.DOUBLE;
import static jvisor.hw.power.cpu.FloatingPointLoadStore.SINGLE;
import static jvisor.hw.power.cpu.FloatingPointLoadStore.WORD;
import static jvisor.hw.power.cpu.FloatingPointLoadStore.WORD_ALGEBRAIC;
import static jvisor.hw.power.cpu.FloatingPointLoadStore.WORD_ZERO;

import java.util.List;

/**
 * The scalar floating-point facility (ISA 3.0B Book I chapter 4) as declarations: every
 * instruction POWER9 implements there except the decimal floating-point ones. Rc (bit 31) is
 * left free where the form has it; reserved fields are left free too, since the processor
 * ignores them (Book I 1.6.3).
 */
final class FloatingPointInstructions {
    private FloatingPointInstructions() {
    }

    /** An instruction on the floating-point registers alone (see {@link Flow#FLOATING}). */
    private static InstructionSpec fp(String mnemonic, Encoding e, InstructionSpec.Body body) {
        return new InstructionSpec(mnemonic, e, Facility.FP, body, Operands.ANY, Privilege.PROBLEM, Flow.FLOATING);
    }

    /** A load or store: it reads GPRs for its address (and a store writes storage). */
    private static InstructionSpec fpAccess(String mnemonic, Encoding e, InstructionSpec.Body body) {
        return new InstructionSpec(mnemonic, e, Facility.FP, body);
    }

    /**
     * A load or store of one FPR: a direct call of the {@link FloatingPointLoadStore} body, whose
     * constants also tell what it moves ({@link LoadStoreForm}).
     */
    private static InstructionSpec fpMemory(String mnemonic, Encoding e, String body, int kind, boolean update) {
        return fpAccess(mnemonic, e, new BodyCall(BodyCall.FLOATING_POINT_LOAD_STORE, body, kind, update));
    }

    /** X-form with the FPSCR-move selector of the mffs family in bits 11:15. */
    private static Encoding mffsForm(int selector) {
        return Encoding.x(63, 583).bits(11, 15, selector);
    }

    static final List<InstructionSpec> SPECS = List.of(
            // Loads (4.6.2).
            fpMemory("lfs", Encoding.of(48), "loadD", SINGLE, false),
            fpMemory("lfsu", Encoding.of(49), "loadD", SINGLE, true),
            fpMemory("lfd", Encoding.of(50), "loadD", DOUBLE, false),
            fpMemory("lfdu", Encoding.of(51), "loadD", DOUBLE, true),
            fpMemory("lfsx", Encoding.x(31, 535), "loadX", SINGLE, false),
            fpMemory("lfsux", Encoding.x(31, 567), "loadX", SINGLE, true),
            fpMemory("lfdx", Encoding.x(31, 599), "loadX", DOUBLE, false),
            fpMemory("lfdux", Encoding.x(31, 631), "loadX", DOUBLE, true),
            fpMemory("lfiwax", Encoding.x(31, 855), "loadX", WORD_ALGEBRAIC, false),
            fpMemory("lfiwzx", Encoding.x(31, 887), "loadX", WORD_ZERO, false),
            fpAccess("lfdp", Encoding.ds(57, 0), FloatingPointLoadStore::lfdp),
            fpAccess("lfdpx", Encoding.x(31, 791), FloatingPointLoadStore::lfdpx),
            // Stores (4.6.3).
            fpMemory("stfs", Encoding.of(52), "storeD", SINGLE, false),
            fpMemory("stfsu", Encoding.of(53), "storeD", SINGLE, true),
            fpMemory("stfd", Encoding.of(54), "storeD", DOUBLE, false),
            fpMemory("stfdu", Encoding.of(55), "storeD", DOUBLE, true),
            fpMemory("stfsx", Encoding.x(31, 663), "storeX", SINGLE, false),
            fpMemory("stfsux", Encoding.x(31, 695), "storeX", SINGLE, true),
            fpMemory("stfdx", Encoding.x(31, 727), "storeX", DOUBLE, false),
            fpMemory("stfdux", Encoding.x(31, 759), "storeX", DOUBLE, true),
            fpMemory("stfiwx", Encoding.x(31, 983), "storeX", WORD, false),
            fpAccess("stfdp", Encoding.ds(61, 0), FloatingPointLoadStore::stfdp),
            fpAccess("stfdpx", Encoding.x(31, 919), FloatingPointLoadStore::stfdpx),
            // Moves (4.6.4).
            fp("fmr", Encoding.x(63, 72), FloatingPointOps::fmr),
            fp("fneg", Encoding.x(63, 40), FloatingPointOps::fneg),
            fp("fabs", Encoding.x(63, 264), FloatingPointOps::fabs),
            fp("fnabs", Encoding.x(63, 136), FloatingPointOps::fnabs),
            fp("fcpsgn", Encoding.x(63, 8), FloatingPointOps::fcpsgn),
            fp("fmrgew", Encoding.x(63, 966), FloatingPointOps::fmrgew),
            fp("fmrgow", Encoding.x(63, 838), FloatingPointOps::fmrgow),
            // Arithmetic (4.6.5).
            fp("fadd", Encoding.a(63, 21), FloatingPointOps::fadd),
            fp("fadds", Encoding.a(59, 21), FloatingPointOps::fadds),
            fp("fsub", Encoding.a(63, 20), FloatingPointOps::fsub),
            fp("fsubs", Encoding.a(59, 20), FloatingPointOps::fsubs),
            fp("fmul", Encoding.a(63, 25), FloatingPointOps::fmul),
            fp("fmuls", Encoding.a(59, 25), FloatingPointOps::fmuls),
            fp("fdiv", Encoding.a(63, 18), FloatingPointOps::fdiv),
            fp("fdivs", Encoding.a(59, 18), FloatingPointOps::fdivs),
            fp("fsqrt", Encoding.a(63, 22), FloatingPointOps::fsqrt),
            fp("fsqrts", Encoding.a(59, 22), FloatingPointOps::fsqrts),
            fp("fre", Encoding.a(63, 24), FloatingPointOps::fre),
            fp("fres", Encoding.a(59, 24), FloatingPointOps::fres),
            fp("frsqrte", Encoding.a(63, 26), FloatingPointOps::frsqrte),
            fp("frsqrtes", Encoding.a(59, 26), FloatingPointOps::frsqrtes),
            fp("ftdiv", Encoding.x(63, 128), FloatingPointOps::ftdiv),
            fp("ftsqrt", Encoding.x(63, 160), FloatingPointOps::ftsqrt),
            fp("fmadd", Encoding.a(63, 29), FloatingPointOps::fmadd),
            fp("fmadds", Encoding.a(59, 29), FloatingPointOps::fmadds),
            fp("fmsub", Encoding.a(63, 28), FloatingPointOps::fmsub),
            fp("fmsubs", Encoding.a(59, 28), FloatingPointOps::fmsubs),
            fp("fnmadd", Encoding.a(63, 31), FloatingPointOps::fnmadd),
            fp("fnmadds", Encoding.a(59, 31), FloatingPointOps::fnmadds),
            fp("fnmsub", Encoding.a(63, 30), FloatingPointOps::fnmsub),
            fp("fnmsubs", Encoding.a(59, 30), FloatingPointOps::fnmsubs),
            // Rounding and conversion (4.6.6).
            fp("frsp", Encoding.x(63, 12), FloatingPointOps::frsp),
            fp("fctid", Encoding.x(63, 814), FloatingPointOps::fctid),
            fp("fctidz", Encoding.x(63, 815), FloatingPointOps::fctidz),
            fp("fctidu", Encoding.x(63, 942), FloatingPointOps::fctidu),
            fp("fctiduz", Encoding.x(63, 943), FloatingPointOps::fctiduz),
            fp("fctiw", Encoding.x(63, 14), FloatingPointOps::fctiw),
            fp("fctiwz", Encoding.x(63, 15), FloatingPointOps::fctiwz),
            fp("fctiwu", Encoding.x(63, 142), FloatingPointOps::fctiwu),
            fp("fctiwuz", Encoding.x(63, 143), FloatingPointOps::fctiwuz),
            fp("fcfid", Encoding.x(63, 846), FloatingPointOps::fcfid),
            fp("fcfidu", Encoding.x(63, 974), FloatingPointOps::fcfidu),
            fp("fcfids", Encoding.x(59, 846), FloatingPointOps::fcfids),
            fp("fcfidus", Encoding.x(59, 974), FloatingPointOps::fcfidus),
            fp("frin", Encoding.x(63, 392), FloatingPointOps::frin),
            fp("friz", Encoding.x(63, 424), FloatingPointOps::friz),
            fp("frip", Encoding.x(63, 456), FloatingPointOps::frip),
            fp("frim", Encoding.x(63, 488), FloatingPointOps::frim),
            // Compare and select (4.6.7, 4.6.8).
            fp("fcmpu", Encoding.x(63, 0), FloatingPointOps::fcmpu),
            fp("fcmpo", Encoding.x(63, 32), FloatingPointOps::fcmpo),
            fp("fsel", Encoding.a(63, 23), FloatingPointOps::fsel),
            // FPSCR (4.6.10).
            fp("mffs", mffsForm(0), FloatingPointStatusOps::mffs),
            fp("mffsce", mffsForm(1), FloatingPointStatusOps::mffsce),
            fp("mffscdrn", mffsForm(20), FloatingPointStatusOps::mffscdrn),
            fp("mffscdrni", mffsForm(21), FloatingPointStatusOps::mffscdrni),
            fp("mffscrn", mffsForm(22), FloatingPointStatusOps::mffscrn),
            fp("mffscrni", mffsForm(23), FloatingPointStatusOps::mffscrni),
            fp("mffsl", mffsForm(24), FloatingPointStatusOps::mffsl),
            fp("mcrfs", Encoding.x(63, 64), FloatingPointStatusOps::mcrfs),
            fp("mtfsfi", Encoding.x(63, 134), FloatingPointStatusOps::mtfsfi),
            fp("mtfsf", Encoding.x(63, 711), FloatingPointStatusOps::mtfsf),
            fp("mtfsb0", Encoding.x(63, 70), FloatingPointStatusOps::mtfsb0),
            fp("mtfsb1", Encoding.x(63, 38), FloatingPointStatusOps::mtfsb1));
}
