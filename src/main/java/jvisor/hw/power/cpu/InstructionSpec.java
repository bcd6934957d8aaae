package jvisor.hw.power.cpu;

/**
 * One instruction as jvisor declares it: its mnemonic (as objdump -M power9 prints it, without
 * the "." or "o" of the Rc and OE variants, which the same declaration covers when their bits
 * are left free), its encoding, the facility it needs, and its body. Every table of instructions
 * is a list of these; the decoder, the dispatch and the names come from them.
 *
 * @param body what the instruction does; null while it is declared (so that it decodes as an
 *             instruction of its facility) but not yet implemented
 */
public record InstructionSpec(String mnemonic, Encoding encoding, Facility facility, Body body) {

    /** An instruction body: executes the word on the core and returns {@link Core#OK} or an interrupt/exit code. */
    @FunctionalInterface
    public interface Body {
        int execute(Core c, int w);
    }
}
