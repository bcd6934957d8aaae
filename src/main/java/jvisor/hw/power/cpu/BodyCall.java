package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.Op.*;

import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.util.ArrayList;
import java.util.List;

/**
 * The static instruction body {@link Executor} runs for an operation, with the constant arguments
 * it passes, as a description the region compiler can emit a direct call to. Compiled code calls
 * the very bodies the interpreter calls, so both share one definition of every instruction; this
 * table must follow {@link Executor#execute} case for case (the differential tests run both).
 *
 * @param owner     the class declaring the body
 * @param name      the body's name; its parameters are (Core, int word, constants...)
 * @param constants extra arguments, each an Integer or a Boolean
 */
record BodyCall(ClassDesc owner, String name, Object... constants) {
    private static final ClassDesc CORE = ClassDesc.of("jvisor.hw.power.cpu.Core");
    static final ClassDesc FIXED_POINT = ClassDesc.of("jvisor.hw.power.cpu.FixedPoint"),
            ROTATE = ClassDesc.of("jvisor.hw.power.cpu.Rotate"), LOAD_STORE = ClassDesc.of("jvisor.hw.power.cpu.LoadStore"),
            ATOMIC = ClassDesc.of("jvisor.hw.power.cpu.Atomic"), BRANCH = ClassDesc.of("jvisor.hw.power.cpu.Branch"),
            SYSTEM_OPS = ClassDesc.of("jvisor.hw.power.cpu.SystemOps"), SPR = ClassDesc.of("jvisor.hw.power.cpu.Spr"),
            MEMORY_BARRIER = ClassDesc.of("jvisor.hw.power.cpu.MemoryBarrier");

    /** The body's type: (Core, int, constants...) returning the result code. */
    MethodTypeDesc type() {
        List<ClassDesc> params = new ArrayList<>(List.of(CORE, ConstantDescs.CD_int));
        for (Object k : constants) {
            params.add(k instanceof Boolean ? ConstantDescs.CD_boolean : ConstantDescs.CD_int);
        }
        return MethodTypeDesc.of(ConstantDescs.CD_int, params);
    }

    /** The body of {@code op}, or null for the operations {@link Executor} handles inline. */
    static BodyCall of(int op) {
        return switch (op) {
            case ADDI -> new BodyCall(FIXED_POINT, "addi");
            case ADDIS -> new BodyCall(FIXED_POINT, "addis");
            case ADDIC -> new BodyCall(FIXED_POINT, "addic", false);
            case ADDIC_RC -> new BodyCall(FIXED_POINT, "addic", true);
            case SUBFIC -> new BodyCall(FIXED_POINT, "subfic");
            case MULLI -> new BodyCall(FIXED_POINT, "mulli");
            case ADDPCIS -> new BodyCall(FIXED_POINT, "addpcis");
            case ADD -> new BodyCall(FIXED_POINT, "add");
            case ADDC -> new BodyCall(FIXED_POINT, "addc");
            case ADDE -> new BodyCall(FIXED_POINT, "adde");
            case ADDME -> new BodyCall(FIXED_POINT, "addme");
            case ADDZE -> new BodyCall(FIXED_POINT, "addze");
            case SUBF -> new BodyCall(FIXED_POINT, "subf");
            case SUBFC -> new BodyCall(FIXED_POINT, "subfc");
            case SUBFE -> new BodyCall(FIXED_POINT, "subfe");
            case SUBFME -> new BodyCall(FIXED_POINT, "subfme");
            case SUBFZE -> new BodyCall(FIXED_POINT, "subfze");
            case NEG -> new BodyCall(FIXED_POINT, "neg");
            case ADDEX -> new BodyCall(FIXED_POINT, "addex");
            case MULLW -> new BodyCall(FIXED_POINT, "mullw");
            case MULLD -> new BodyCall(FIXED_POINT, "mulld");
            case MULHW -> new BodyCall(FIXED_POINT, "mulhw");
            case MULHWU -> new BodyCall(FIXED_POINT, "mulhwu");
            case MULHD -> new BodyCall(FIXED_POINT, "mulhd");
            case MULHDU -> new BodyCall(FIXED_POINT, "mulhdu");
            case MADDHD -> new BodyCall(FIXED_POINT, "maddhd");
            case MADDHDU -> new BodyCall(FIXED_POINT, "maddhdu");
            case MADDLD -> new BodyCall(FIXED_POINT, "maddld");
            case DIVW -> new BodyCall(FIXED_POINT, "divw");
            case DIVWU -> new BodyCall(FIXED_POINT, "divwu");
            case DIVD -> new BodyCall(FIXED_POINT, "divd");
            case DIVDU -> new BodyCall(FIXED_POINT, "divdu");
            case DIVWE -> new BodyCall(FIXED_POINT, "divwe");
            case DIVWEU -> new BodyCall(FIXED_POINT, "divweu");
            case DIVDE -> new BodyCall(FIXED_POINT, "divde");
            case DIVDEU -> new BodyCall(FIXED_POINT, "divdeu");
            case MODSW -> new BodyCall(FIXED_POINT, "modsw");
            case MODUW -> new BodyCall(FIXED_POINT, "moduw");
            case MODSD -> new BodyCall(FIXED_POINT, "modsd");
            case MODUD -> new BodyCall(FIXED_POINT, "modud");
            case CMP -> new BodyCall(FIXED_POINT, "cmp");
            case CMPL -> new BodyCall(FIXED_POINT, "cmpl");
            case CMPI -> new BodyCall(FIXED_POINT, "cmpi");
            case CMPLI -> new BodyCall(FIXED_POINT, "cmpli");
            case CMPRB -> new BodyCall(FIXED_POINT, "cmprb");
            case CMPEQB -> new BodyCall(FIXED_POINT, "cmpeqb");
            case ORI -> new BodyCall(FIXED_POINT, "ori");
            case ORIS -> new BodyCall(FIXED_POINT, "oris");
            case XORI -> new BodyCall(FIXED_POINT, "xori");
            case XORIS -> new BodyCall(FIXED_POINT, "xoris");
            case ANDI -> new BodyCall(FIXED_POINT, "andi");
            case ANDIS -> new BodyCall(FIXED_POINT, "andis");
            case AND -> new BodyCall(FIXED_POINT, "and");
            case ANDC -> new BodyCall(FIXED_POINT, "andc");
            case OR -> new BodyCall(FIXED_POINT, "or");
            case ORC -> new BodyCall(FIXED_POINT, "orc");
            case XOR -> new BodyCall(FIXED_POINT, "xor");
            case NAND -> new BodyCall(FIXED_POINT, "nand");
            case NOR -> new BodyCall(FIXED_POINT, "nor");
            case EQV -> new BodyCall(FIXED_POINT, "eqv");
            case CMPB -> new BodyCall(FIXED_POINT, "cmpb");
            case EXTSB -> new BodyCall(FIXED_POINT, "extsb");
            case EXTSH -> new BodyCall(FIXED_POINT, "extsh");
            case EXTSW -> new BodyCall(FIXED_POINT, "extsw");
            case CNTLZW -> new BodyCall(FIXED_POINT, "cntlzw");
            case CNTLZD -> new BodyCall(FIXED_POINT, "cntlzd");
            case CNTTZW -> new BodyCall(FIXED_POINT, "cnttzw");
            case CNTTZD -> new BodyCall(FIXED_POINT, "cnttzd");
            case POPCNTB -> new BodyCall(FIXED_POINT, "popcntb");
            case POPCNTW -> new BodyCall(FIXED_POINT, "popcntw");
            case POPCNTD -> new BodyCall(FIXED_POINT, "popcntd");
            case PRTYW -> new BodyCall(FIXED_POINT, "prtyw");
            case PRTYD -> new BodyCall(FIXED_POINT, "prtyd");
            case BPERMD -> new BodyCall(FIXED_POINT, "bpermd");
            case RLWIMI -> new BodyCall(ROTATE, "rlwimi");
            case RLWINM -> new BodyCall(ROTATE, "rlwinm");
            case RLWNM -> new BodyCall(ROTATE, "rlwnm");
            case RLDICL -> new BodyCall(ROTATE, "rldicl");
            case RLDICR -> new BodyCall(ROTATE, "rldicr");
            case RLDIC -> new BodyCall(ROTATE, "rldic");
            case RLDIMI -> new BodyCall(ROTATE, "rldimi");
            case RLDCL -> new BodyCall(ROTATE, "rldcl");
            case RLDCR -> new BodyCall(ROTATE, "rldcr");
            case SLW -> new BodyCall(ROTATE, "slw");
            case SRW -> new BodyCall(ROTATE, "srw");
            case SRAW -> new BodyCall(ROTATE, "sraw");
            case SRAWI -> new BodyCall(ROTATE, "srawi");
            case SLD -> new BodyCall(ROTATE, "sld");
            case SRD -> new BodyCall(ROTATE, "srd");
            case SRAD -> new BodyCall(ROTATE, "srad");
            case SRADI -> new BodyCall(ROTATE, "sradi");
            case EXTSWSLI -> new BodyCall(ROTATE, "extswsli");
            case ISEL -> new BodyCall(FIXED_POINT, "isel");
            case SETB -> new BodyCall(FIXED_POINT, "setb");
            case MCRXRX -> new BodyCall(FIXED_POINT, "mcrxrx");
            case DARN -> new BodyCall(FIXED_POINT, "darn");
            case TW -> new BodyCall(FIXED_POINT, "tw");
            case TD -> new BodyCall(FIXED_POINT, "td");
            case TWI -> new BodyCall(FIXED_POINT, "twi");
            case TDI -> new BodyCall(FIXED_POINT, "tdi");
            case LBZ -> new BodyCall(LOAD_STORE, "loadD", 1, false, false);
            case LBZU -> new BodyCall(LOAD_STORE, "loadD", 1, false, true);
            case LHZ -> new BodyCall(LOAD_STORE, "loadD", 2, false, false);
            case LHZU -> new BodyCall(LOAD_STORE, "loadD", 2, false, true);
            case LHA -> new BodyCall(LOAD_STORE, "loadD", 2, true, false);
            case LHAU -> new BodyCall(LOAD_STORE, "loadD", 2, true, true);
            case LWZ -> new BodyCall(LOAD_STORE, "loadD", 4, false, false);
            case LWZU -> new BodyCall(LOAD_STORE, "loadD", 4, false, true);
            case LD -> new BodyCall(LOAD_STORE, "loadDS", 8, false, false);
            case LDU -> new BodyCall(LOAD_STORE, "loadDS", 8, false, true);
            case LWA -> new BodyCall(LOAD_STORE, "loadDS", 4, true, false);
            case LQ -> new BodyCall(LOAD_STORE, "lq");
            case STB -> new BodyCall(LOAD_STORE, "storeD", 1, false);
            case STBU -> new BodyCall(LOAD_STORE, "storeD", 1, true);
            case STH -> new BodyCall(LOAD_STORE, "storeD", 2, false);
            case STHU -> new BodyCall(LOAD_STORE, "storeD", 2, true);
            case STW -> new BodyCall(LOAD_STORE, "storeD", 4, false);
            case STWU -> new BodyCall(LOAD_STORE, "storeD", 4, true);
            case STD -> new BodyCall(LOAD_STORE, "storeDS", 8, false);
            case STDU -> new BodyCall(LOAD_STORE, "storeDS", 8, true);
            case STQ -> new BodyCall(LOAD_STORE, "stq");
            case LMW -> new BodyCall(LOAD_STORE, "lmw");
            case STMW -> new BodyCall(LOAD_STORE, "stmw");
            case LBZX -> new BodyCall(LOAD_STORE, "loadX", 1, false, false);
            case LBZUX -> new BodyCall(LOAD_STORE, "loadX", 1, false, true);
            case LHZX -> new BodyCall(LOAD_STORE, "loadX", 2, false, false);
            case LHZUX -> new BodyCall(LOAD_STORE, "loadX", 2, false, true);
            case LHAX -> new BodyCall(LOAD_STORE, "loadX", 2, true, false);
            case LHAUX -> new BodyCall(LOAD_STORE, "loadX", 2, true, true);
            case LWZX -> new BodyCall(LOAD_STORE, "loadX", 4, false, false);
            case LWZUX -> new BodyCall(LOAD_STORE, "loadX", 4, false, true);
            case LWAX -> new BodyCall(LOAD_STORE, "loadX", 4, true, false);
            case LWAUX -> new BodyCall(LOAD_STORE, "loadX", 4, true, true);
            case LDX -> new BodyCall(LOAD_STORE, "loadX", 8, false, false);
            case LDUX -> new BodyCall(LOAD_STORE, "loadX", 8, false, true);
            case STBX -> new BodyCall(LOAD_STORE, "storeX", 1, false);
            case STBUX -> new BodyCall(LOAD_STORE, "storeX", 1, true);
            case STHX -> new BodyCall(LOAD_STORE, "storeX", 2, false);
            case STHUX -> new BodyCall(LOAD_STORE, "storeX", 2, true);
            case STWX -> new BodyCall(LOAD_STORE, "storeX", 4, false);
            case STWUX -> new BodyCall(LOAD_STORE, "storeX", 4, true);
            case STDX -> new BodyCall(LOAD_STORE, "storeX", 8, false);
            case STDUX -> new BodyCall(LOAD_STORE, "storeX", 8, true);
            case LHBRX -> new BodyCall(LOAD_STORE, "loadReversed", 2);
            case LWBRX -> new BodyCall(LOAD_STORE, "loadReversed", 4);
            case LDBRX -> new BodyCall(LOAD_STORE, "loadReversed", 8);
            case STHBRX -> new BodyCall(LOAD_STORE, "storeReversed", 2);
            case STWBRX -> new BodyCall(LOAD_STORE, "storeReversed", 4);
            case STDBRX -> new BodyCall(LOAD_STORE, "storeReversed", 8);
            case LSWI -> new BodyCall(LOAD_STORE, "lswi");
            case LSWX -> new BodyCall(LOAD_STORE, "lswx");
            case STSWI -> new BodyCall(LOAD_STORE, "stswi");
            case STSWX -> new BodyCall(LOAD_STORE, "stswx");
            case LBARX -> new BodyCall(ATOMIC, "larx", 1);
            case LHARX -> new BodyCall(ATOMIC, "larx", 2);
            case LWARX -> new BodyCall(ATOMIC, "larx", 4);
            case LDARX -> new BodyCall(ATOMIC, "larx", 8);
            case LQARX -> new BodyCall(ATOMIC, "lqarx");
            case STBCX -> new BodyCall(ATOMIC, "stcx", 1);
            case STHCX -> new BodyCall(ATOMIC, "stcx", 2);
            case STWCX -> new BodyCall(ATOMIC, "stcx", 4);
            case STDCX -> new BodyCall(ATOMIC, "stcx", 8);
            case STQCX -> new BodyCall(ATOMIC, "stqcx");
            case B -> new BodyCall(BRANCH, "b");
            case BC -> new BodyCall(BRANCH, "bc");
            case BCLR -> new BodyCall(BRANCH, "bclr");
            case BCCTR -> new BodyCall(BRANCH, "bcctr");
            case BCTAR -> new BodyCall(BRANCH, "bctar");
            case CRAND -> new BodyCall(BRANCH, "crLogical", Branch.AND);
            case CRANDC -> new BodyCall(BRANCH, "crLogical", Branch.ANDC);
            case CREQV -> new BodyCall(BRANCH, "crLogical", Branch.EQV);
            case CRNAND -> new BodyCall(BRANCH, "crLogical", Branch.NAND);
            case CRNOR -> new BodyCall(BRANCH, "crLogical", Branch.NOR);
            case CROR -> new BodyCall(BRANCH, "crLogical", Branch.OR);
            case CRORC -> new BodyCall(BRANCH, "crLogical", Branch.ORC);
            case CRXOR -> new BodyCall(BRANCH, "crLogical", Branch.XOR);
            case MCRF -> new BodyCall(BRANCH, "mcrf");
            case MFCR -> new BodyCall(BRANCH, "mfcr");
            case MFOCRF -> new BodyCall(BRANCH, "mfocrf");
            case MTCRF, MTOCRF -> new BodyCall(BRANCH, "mtcrf");
            case SC -> new BodyCall(SYSTEM_OPS, "sc");
            case RFID -> new BodyCall(SYSTEM_OPS, "rfid");
            case MFMSR -> new BodyCall(SYSTEM_OPS, "mfmsr");
            case MTMSR -> new BodyCall(SYSTEM_OPS, "mtmsr", false);
            case MTMSRD -> new BodyCall(SYSTEM_OPS, "mtmsr", true);
            case MFSPR -> new BodyCall(SPR, "mfspr");
            case MTSPR -> new BodyCall(SPR, "mtspr");
            case MFTB -> new BodyCall(SPR, "mftb");
            case SYNC -> new BodyCall(MEMORY_BARRIER, "sync");
            case EIEIO -> new BodyCall(MEMORY_BARRIER, "eieio");
            case ISYNC -> new BodyCall(MEMORY_BARRIER, "isync");
            case DCBZ -> new BodyCall(LOAD_STORE, "dcbz");
            case ICBI -> new BodyCall(SYSTEM_OPS, "icbi");
            case TLBIE -> new BodyCall(SYSTEM_OPS, "tlbie", false);
            case TLBIEL -> new BodyCall(SYSTEM_OPS, "tlbie", true);
            case TLBSYNC -> new BodyCall(SYSTEM_OPS, "tlbsync");
            case SLBIA -> new BodyCall(SYSTEM_OPS, "slbia");
            case SLB_OTHER -> new BodyCall(SYSTEM_OPS, "slbOther");
            case HYP_ONLY -> new BodyCall(SYSTEM_OPS, "hypervisorOnly");
            case FP -> new BodyCall(SYSTEM_OPS, "floatingPoint");
            case VMX -> new BodyCall(SYSTEM_OPS, "vector");
            case VSX -> new BodyCall(SYSTEM_OPS, "vsx");
            default -> null;
        };
    }
}
