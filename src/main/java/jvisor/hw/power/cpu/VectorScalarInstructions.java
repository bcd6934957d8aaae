package jvisor.hw.power.cpu;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The implemented floating-point, vector (VMX) and vector-scalar (VSX) instructions, declared as
 * {@link InstructionSpec}s by their families. {@link InstructionTable} puts them in front of the
 * valid encodings of {@link VectorScalarEncodings}: a word both declare runs this body, named by
 * the valid encoding of the same mnemonic it falls in and needing that encoding's facility (which
 * the operands may choose: mfvsrd's SX, lxvx's TX); executing it checks the facility's MSR bit (the
 * facility-unavailable interrupt when it is off) and runs the body.
 */
final class VectorScalarInstructions {
    private VectorScalarInstructions() {
    }

    /** Every declared instruction, family by family. */
    static final List<InstructionSpec> ALL;

    static {
        List<InstructionSpec> all = new ArrayList<>();
        for (List<InstructionSpec> family : families()) all.addAll(family);
        ALL = Collections.unmodifiableList(all);
    }

    /** The families whose declarations make up the table. */
    private static List<List<InstructionSpec>> families() {
        return List.of(FloatingPointInstructions.SPECS, VectorInstructions.SPECS, VsxInstructions.SPECS);
    }
}
