package jvisor.hw.power.cpu;

/**
 * One instruction as jvisor declares it: its mnemonic (as objdump -M power9 prints it, without
 * the "." or "o" of the Rc and OE variants, which the same declaration covers when their bits
 * are left free), its encoding (the form's fixed bits), the rule its operand fields follow, the
 * facility it needs, who may run it, how translated code treats it, and its body. The instruction
 * tables are lists of these ({@link InstructionTable} puts them together); the decoder, the
 * interpreter's dispatch, the translator's calls and the names all come from them.
 *
 * @param body      what the instruction does; null while it is declared (so that it decodes as an
 *                  instruction of its facility) but not yet implemented. A {@link BodyCall} names a
 *                  static method that dispatch and translated code call directly; any other body is
 *                  called through this interface on a constant.
 * @param operands  the invalid forms among the words of the encoding
 * @param privilege who may execute it, as the body enforces it
 * @param flow      what the translator may do around it
 */
public record InstructionSpec(String mnemonic, Encoding encoding, Facility facility, Body body, Operands operands,
                              Privilege privilege, Flow flow) {

    /**
     * An instruction with no invalid forms, executable in problem state: the shape of the
     * floating-point, vector and VSX declarations. Translated code calls its body and runs on (the
     * registers it caches are written back before and read again after the call); a store (its
     * mnemonic starts with "st") is checked for writing the page being executed. A declaration
     * without a body (not implemented: an illegal instruction) returns to the dispatcher.
     */
    public InstructionSpec(String mnemonic, Encoding encoding, Facility facility, Body body) {
        this(mnemonic, encoding, facility, body, Operands.ANY, Privilege.PROBLEM,
                body == null ? Flow.ENDS : mnemonic.startsWith("st") ? Flow.STORE : Flow.PLAIN);
    }

    /** A fixed-point, branch or system instruction (no facility bit needed). */
    static InstructionSpec of(String mnemonic, Encoding encoding, Flow flow, BodyCall body) {
        return new InstructionSpec(mnemonic, encoding, Facility.NONE, body, Operands.ANY, Privilege.PROBLEM, flow);
    }

    InstructionSpec with(Operands rule) {
        return new InstructionSpec(mnemonic, encoding, facility, body, rule, privilege, flow);
    }

    InstructionSpec with(Privilege level) {
        return new InstructionSpec(mnemonic, encoding, facility, body, operands, level, flow);
    }

    InstructionSpec with(Facility needed) {
        return new InstructionSpec(mnemonic, encoding, needed, body, operands, privilege, flow);
    }

    /** An instruction body: executes the word on the core and returns {@link Core#OK} or an interrupt/exit code. */
    @FunctionalInterface
    public interface Body {
        int execute(Core c, int w);
    }
}
