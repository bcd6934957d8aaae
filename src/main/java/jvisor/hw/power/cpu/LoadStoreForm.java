package jvisor.hw.power.cpu;

/**
 * What a load or store moves between storage and one register, read from its declaration in
 * {@link InstructionTable} (the body a {@link BodyCall} names, and its constants). Whoever needs to
 * know what a load or store does without executing it - the region compiler emitting it inline,
 * the hypervisor emulating it on device memory - asks here, so that it sees the words the core
 * decodes, decoded as the core does.
 *
 * <p>Described: the fixed-point loads and stores of 1, 2, 4 or 8 bytes in the D, DS and X forms,
 * with and without update, algebraic, and byte-reversed; the floating-point single and double
 * loads and stores in the D and X forms. Everything else (multiple, string, quadword,
 * reserve/conditional, atomic, cache, vector, the FPR word and pair forms) has no form here.
 *
 * @param mnemonic      the declaration's mnemonic
 * @param store         a store (the data comes from the register), else a load
 * @param length        bytes of storage accessed
 * @param algebraic     the loaded value is sign-extended into the register (lha, lwa, ...)
 * @param byteReversed  the byte order is the opposite of MSR[LE]'s (lhbrx, stwbrx, ...)
 * @param update        RA receives the effective address
 * @param floatingPoint the register is an FPR
 * @param single        a single-precision FPR access (4 bytes in storage, a double in the register)
 * @param addressing    how the effective address is formed
 */
public record LoadStoreForm(String mnemonic, boolean store, int length, boolean algebraic, boolean byteReversed,
                            boolean update, boolean floatingPoint, boolean single, Addressing addressing) {

    /** The effective-address forms (Book I 1.6): (RA|0) + D, (RA|0) + DS || 0b00, (RA|0) + (RB). */
    public enum Addressing { D, DS, X }

    /** The form of every operation of the table, by operation index (null: none). */
    private static final LoadStoreForm[] BY_OP;

    static {
        InstructionTable table = InstructionTable.POWER9;
        BY_OP = new LoadStoreForm[table.operations()];
        for (int op = Op.ILLEGAL + 1; op < BY_OP.length; op++) {
            BY_OP[op] = of(table.spec(op));
        }
    }

    /**
     * The form of instruction word {@code word} as the core decodes it; null when the word is no
     * load or store described here, or an invalid form of one.
     */
    public static LoadStoreForm decode(int word) {
        return BY_OP[Decoder.decode(word)];
    }

    /** The register field of a load or store word: RT, RS, FRT or FRS (bits 6:10). */
    public static int register(int word) {
        return FixedPoint.rt(word);
    }

    /** The RA field of a load or store word (bits 11:15). */
    public static int ra(int word) {
        return FixedPoint.ra(word);
    }

    /** The form of operation {@code op} (an index the decoder assigns), or null. */
    static LoadStoreForm ofOp(int op) {
        return BY_OP[op];
    }

    private static LoadStoreForm of(InstructionSpec spec) {
        if (!(spec.body() instanceof BodyCall body)) {
            return null;
        }
        String m = spec.mnemonic();
        Object[] k = body.constants();
        if (body.owner().equals(BodyCall.LOAD_STORE)) {
            return switch (body.name()) {
                // (len, algebraic, update)
                case "loadD", "loadDS", "loadX" -> new LoadStoreForm(m, false, (Integer) k[0], (Boolean) k[1], false,
                        (Boolean) k[2], false, false, addressing(body.name().substring(4)));
                // (len, update)
                case "storeD", "storeDS", "storeX" -> new LoadStoreForm(m, true, (Integer) k[0], false, false,
                        (Boolean) k[1], false, false, addressing(body.name().substring(5)));
                // (len)
                case "loadReversed", "storeReversed" -> new LoadStoreForm(m, body.name().startsWith("store"),
                        (Integer) k[0], false, true, false, false, false, Addressing.X);
                default -> null;
            };
        }
        if (body.owner().equals(BodyCall.FLOATING_POINT_LOAD_STORE)) {
            // (kind, update); the word forms (lfiwax, lfiwzx, stfiwx) move half an FPR: not described.
            int kind = (Integer) k[0];
            if (kind != FloatingPointLoadStore.SINGLE && kind != FloatingPointLoadStore.DOUBLE) {
                return null;
            }
            boolean single = kind == FloatingPointLoadStore.SINGLE;
            return switch (body.name()) {
                case "loadD", "loadX", "storeD", "storeX" -> new LoadStoreForm(m, body.name().startsWith("store"),
                        single ? 4 : 8, false, false, (Boolean) k[1], true, single,
                        addressing(body.name().substring(body.name().length() - 1)));
                default -> null;
            };
        }
        return null;
    }

    private static Addressing addressing(String suffix) {
        return Addressing.valueOf(suffix);
    }
}
