package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.Encoding.ds;
import static jvisor.hw.power.cpu.Encoding.of;
import static jvisor.hw.power.cpu.Encoding.x;
import static jvisor.hw.power.cpu.Flow.ENDS;
import static jvisor.hw.power.cpu.Flow.NOTHING;
import static jvisor.hw.power.cpu.Flow.PLAIN;
import static jvisor.hw.power.cpu.Flow.STORE;
import static jvisor.hw.power.cpu.InstructionSpec.of;
import static jvisor.hw.power.cpu.Operands.LOAD_MULTIPLE;
import static jvisor.hw.power.cpu.Operands.LOAD_QUAD;
import static jvisor.hw.power.cpu.Operands.LOAD_QUAD_RESERVE;
import static jvisor.hw.power.cpu.Operands.LOAD_UPDATE;
import static jvisor.hw.power.cpu.Operands.STORE_QUAD;
import static jvisor.hw.power.cpu.Operands.STORE_UPDATE;

import java.util.List;

/**
 * The fixed-point loads and stores (Power ISA v3.0B Book I §3.3), the load-and-reserve and
 * store-conditional instructions and the atomic memory operations (Book II §4.5, §4.6), dcbz and
 * the cache hints.
 *
 * <p>Reserved bit 31 of the X forms: QEMU's POWER9 rejects the byte-reversed loads, the string
 * instructions, the atomic memory operations, dcbz and most cache hints with it set, so their
 * encodings fix it to 0; the indexed loads and stores ignore it, and larx uses it as EH.
 */
final class LoadStoreInstructions {
    private LoadStoreInstructions() {
    }

    private static BodyCall ls(String name, Object... constants) {
        return new BodyCall(BodyCall.LOAD_STORE, name, constants);
    }

    private static BodyCall atomic(String name, Object... constants) {
        return new BodyCall(BodyCall.ATOMIC, name, constants);
    }

    /** A D-form load: loadD(len, algebraic, update). */
    private static InstructionSpec loadD(String mnemonic, int primary, int len, boolean algebraic, boolean update) {
        InstructionSpec s = of(mnemonic, of(primary), PLAIN, ls("loadD", len, algebraic, update));
        return update ? s.with(LOAD_UPDATE) : s;
    }

    private static InstructionSpec storeD(String mnemonic, int primary, int len, boolean update) {
        InstructionSpec s = of(mnemonic, of(primary), STORE, ls("storeD", len, update));
        return update ? s.with(STORE_UPDATE) : s;
    }

    private static InstructionSpec loadX(String mnemonic, int xo, int len, boolean algebraic, boolean update) {
        InstructionSpec s = of(mnemonic, x(31, xo), PLAIN, ls("loadX", len, algebraic, update));
        return update ? s.with(LOAD_UPDATE) : s;
    }

    private static InstructionSpec storeX(String mnemonic, int xo, int len, boolean update) {
        InstructionSpec s = of(mnemonic, x(31, xo), STORE, ls("storeX", len, update));
        return update ? s.with(STORE_UPDATE) : s;
    }

    /** An X form whose reserved bit 31 QEMU's POWER9 rejects. */
    private static Encoding x0(int xo) {
        return x(31, xo).bit(31, 0);
    }

    /** A cache hint: nothing to do for a core without caches to manage. */
    private static InstructionSpec hint(String mnemonic, Encoding e) {
        return of(mnemonic, e, NOTHING, new BodyCall(BodyCall.SYSTEM_OPS, "hint"));
    }

    static final List<InstructionSpec> ALL = List.of(
            loadD("lbz", 34, 1, false, false),
            loadD("lbzu", 35, 1, false, true),
            loadD("lhz", 40, 2, false, false),
            loadD("lhzu", 41, 2, false, true),
            loadD("lha", 42, 2, true, false),
            loadD("lhau", 43, 2, true, true),
            loadD("lwz", 32, 4, false, false),
            loadD("lwzu", 33, 4, false, true),
            of("ld", ds(58, 0), PLAIN, ls("loadDS", 8, false, false)),
            of("ldu", ds(58, 1), PLAIN, ls("loadDS", 8, false, true)).with(LOAD_UPDATE),
            of("lwa", ds(58, 2), PLAIN, ls("loadDS", 4, true, false)),
            of("lq", of(56), PLAIN, ls("lq")).with(LOAD_QUAD),
            storeD("stb", 38, 1, false),
            storeD("stbu", 39, 1, true),
            storeD("sth", 44, 2, false),
            storeD("sthu", 45, 2, true),
            storeD("stw", 36, 4, false),
            storeD("stwu", 37, 4, true),
            of("std", ds(62, 0), STORE, ls("storeDS", 8, false)),
            of("stdu", ds(62, 1), STORE, ls("storeDS", 8, true)).with(STORE_UPDATE),
            of("stq", ds(62, 2), STORE, ls("stq")).with(STORE_QUAD),
            of("lmw", of(46), PLAIN, ls("lmw")).with(LOAD_MULTIPLE),
            of("stmw", of(47), STORE, ls("stmw")),

            loadX("lbzx", 87, 1, false, false),
            loadX("lbzux", 119, 1, false, true),
            loadX("lhzx", 279, 2, false, false),
            loadX("lhzux", 311, 2, false, true),
            loadX("lhax", 343, 2, true, false),
            loadX("lhaux", 375, 2, true, true),
            loadX("lwzx", 23, 4, false, false),
            loadX("lwzux", 55, 4, false, true),
            loadX("lwax", 341, 4, true, false),
            loadX("lwaux", 373, 4, true, true),
            loadX("ldx", 21, 8, false, false),
            loadX("ldux", 53, 8, false, true),
            storeX("stbx", 215, 1, false),
            storeX("stbux", 247, 1, true),
            storeX("sthx", 407, 2, false),
            storeX("sthux", 439, 2, true),
            storeX("stwx", 151, 4, false),
            storeX("stwux", 183, 4, true),
            storeX("stdx", 149, 8, false),
            storeX("stdux", 181, 8, true),
            of("lhbrx", x0(790), PLAIN, ls("loadReversed", 2)),
            of("lwbrx", x0(534), PLAIN, ls("loadReversed", 4)),
            of("ldbrx", x0(532), PLAIN, ls("loadReversed", 8)),
            of("sthbrx", x(31, 918), STORE, ls("storeReversed", 2)),
            of("stwbrx", x(31, 662), STORE, ls("storeReversed", 4)),
            of("stdbrx", x(31, 660), STORE, ls("storeReversed", 8)),
            of("lswi", x0(597), PLAIN, ls("lswi")),
            of("lswx", x0(533), PLAIN, ls("lswx")),
            of("stswi", x0(725), STORE, ls("stswi")),
            of("stswx", x0(661), STORE, ls("stswx")),

            // load and reserve (bit 31 is the EH hint), store conditional (Rc is always 1 in the
            // ISA; QEMU ignores the bit, and so does this table)
            of("lbarx", x(31, 52), PLAIN, atomic("larx", 1)),
            of("lharx", x(31, 116), PLAIN, atomic("larx", 2)),
            of("lwarx", x(31, 20), PLAIN, atomic("larx", 4)),
            of("ldarx", x(31, 84), PLAIN, atomic("larx", 8)),
            of("lqarx", x(31, 276), PLAIN, atomic("lqarx")).with(LOAD_QUAD_RESERVE),
            of("stbcx.", x(31, 694), STORE, atomic("stcx", 1)),
            of("sthcx.", x(31, 726), STORE, atomic("stcx", 2)),
            of("stwcx.", x(31, 150), STORE, atomic("stcx", 4)),
            of("stdcx.", x(31, 214), STORE, atomic("stcx", 8)),
            of("stqcx.", x(31, 182), STORE, atomic("stqcx")).with(STORE_QUAD),
            // atomic memory operations: interpreted only
            of("lwat", x0(582), ENDS, new BodyCall(BodyCall.ATOMIC_MEMORY_OPS, "load", 4)),
            of("ldat", x0(614), ENDS, new BodyCall(BodyCall.ATOMIC_MEMORY_OPS, "load", 8)),
            of("stwat", x0(710), ENDS, new BodyCall(BodyCall.ATOMIC_MEMORY_OPS, "store", 4)),
            of("stdat", x0(742), ENDS, new BodyCall(BodyCall.ATOMIC_MEMORY_OPS, "store", 8)),

            of("dcbz", x0(1014), STORE, ls("dcbz")),
            hint("dcbst", x0(54)),
            hint("dcbf", x0(86)),
            hint("dcbtst", x0(246)),
            hint("dcbt", x0(278)),
            hint("dss", x0(822)),
            hint("cpabort", x0(838)),
            // Power ISA 3.1 hash checks, in the space POWER9 leaves to no-ops: without a DEXCR they do nothing.
            hint("hashstp", x(31, 658)),
            hint("hashchkp", x(31, 690)),
            hint("hashst", x(31, 722)),
            hint("hashchk", x(31, 754)));
}
