package jvisor.hw.power.cpu;

/**
 * Operation indexes, as the decoder assigns them from {@link InstructionTable}: 0 is "not decoded
 * yet", {@link #ILLEGAL} what no declaration matches; every other index is a declared instruction.
 * The few named here are the ones other code tells apart by operation.
 */
final class Op {
    private Op() {
    }

    static final int ILLEGAL = 1;

    /** The branches, one range from {@link #B} to {@link #BCTAR}: a trace interrupt follows any of them. */
    static final int B, BC, BCLR, BCCTR, BCTAR;
    /** Never followed by a trace interrupt. */
    static final int SC, RFID;

    static {
        InstructionTable t = InstructionTable.POWER9;
        B = t.op("b");
        BC = t.op("bc");
        BCLR = t.op("bclr");
        BCCTR = t.op("bcctr");
        BCTAR = t.op("bctar");
        SC = t.op("sc");
        RFID = t.op("rfid");
        if (BC != B + 1 || BCLR != B + 2 || BCCTR != B + 3 || BCTAR != B + 4) {
            throw new IllegalStateException("the branches must be declared together, b to bctar");
        }
    }

    static String name(int op) {
        return InstructionTable.POWER9.name(op);
    }
}
