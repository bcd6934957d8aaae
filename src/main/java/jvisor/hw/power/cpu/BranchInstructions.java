package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.Encoding.of;
import static jvisor.hw.power.cpu.Encoding.x;
import static jvisor.hw.power.cpu.Flow.BRANCH;
import static jvisor.hw.power.cpu.Flow.ENDS;
import static jvisor.hw.power.cpu.Flow.PURE;
import static jvisor.hw.power.cpu.InstructionSpec.of;

import java.util.List;

/**
 * The branch and condition-register instructions (Power ISA v3.0B Book I chapter 2) and the CR
 * moves of chapter 3.
 *
 * <p>The branches are declared first and together, b to bctar: {@link Op} takes them as one range
 * (the trace interrupt after a branch).
 *
 * <p>Bit 31 of the XL forms is LK for the branches to LR, CTR and TAR; for the CR logical
 * instructions and mcrf it is reserved, and QEMU's POWER9 rejects it set, so their encodings fix
 * it to 0. bcctr with BO[2]=0 (decrement CTR) is an invalid form that POWER9 executes as "decrement
 * and test CTR" with the old CTR as the target; QEMU does the same and Linux relies on it, so it is
 * no invalid form here.
 */
final class BranchInstructions {
    private BranchInstructions() {
    }

    private static BodyCall br(String name, Object... constants) {
        return new BodyCall(BodyCall.BRANCH, name, constants);
    }

    private static InstructionSpec crLogical(String mnemonic, int xo, int truth) {
        return of(mnemonic, x(19, xo).bit(31, 0), PURE, br("crLogical", truth));
    }

    static final List<InstructionSpec> ALL = List.of(
            of("b", of(18), BRANCH, br("b")),
            of("bc", of(16), BRANCH, br("bc")),
            of("bclr", x(19, 16), ENDS, br("bclr")),
            of("bcctr", x(19, 528), ENDS, br("bcctr")),
            of("bctar", x(19, 560), ENDS, br("bctar")),

            crLogical("crand", 257, Branch.AND),
            crLogical("crandc", 129, Branch.ANDC),
            crLogical("creqv", 289, Branch.EQV),
            crLogical("crnand", 225, Branch.NAND),
            crLogical("crnor", 33, Branch.NOR),
            crLogical("cror", 449, Branch.OR),
            crLogical("crorc", 417, Branch.ORC),
            crLogical("crxor", 193, Branch.XOR),
            of("mcrf", x(19, 0).bit(31, 0), PURE, br("mcrf")),
            // bit 11 tells the one-field forms from the whole-CR forms
            of("mfcr", x(31, 19).bit(11, 0).bit(31, 0), PURE, br("mfcr")),
            of("mfocrf", x(31, 19).bit(11, 1).bit(31, 0), PURE, br("mfocrf")),
            of("mtcrf", x(31, 144).bit(11, 0).bit(31, 0), PURE, br("mtcrf")),
            of("mtocrf", x(31, 144).bit(11, 1).bit(31, 0), PURE, br("mtcrf")),
            of("mcrxr", x(31, 512).bit(31, 0), ENDS, br("mcrxr")));
}
