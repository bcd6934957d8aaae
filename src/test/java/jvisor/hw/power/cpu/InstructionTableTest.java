package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The instruction table as the decoder sees it: every declaration decodes to itself whatever its
 * operand fields, no two declarations claim the same word, invalid forms are illegal, and the
 * decoder's lookup is exactly the table's rules.
 */
class InstructionTableTest {
    private static final InstructionTable T = InstructionTable.POWER9;

    /** A word of the encoding with random operand fields. */
    static int word(Encoding e, SplittableRandom rnd) {
        return e.match() | (rnd.nextInt() & ~e.mask());
    }

    private static boolean implementedVectorScalar(InstructionSpec s) {
        return VectorScalarInstructions.ALL.stream().anyMatch(d -> d == s);
    }

    /** The valid FP/VMX/VSX encoding of this declaration's mnemonic that word w is, if any. */
    private static InstructionSpec validEncoding(InstructionSpec d, int w) {
        return VectorScalarEncodings.ALL.stream()
                .filter(p -> InstructionTable.sameInstruction(p, d) && p.encoding().matches(w)).findFirst().orElse(null);
    }

    @Test
    void everyDeclarationDecodesToItselfWithRandomOperandFields() {
        SplittableRandom rnd = new SplittableRandom(10);
        int valid = 0, invalid = 0;
        for (InstructionSpec d : T.declarations()) {
            boolean implemented = implementedVectorScalar(d);
            for (int k = 0; k < 64; k++) {
                int w = k == 0 ? d.encoding().match() : word(d.encoding(), rnd);
                int op = Decoder.decode(w);
                String what = d.mnemonic() + " " + Integer.toHexString(w);
                if (!d.operands().valid(w)) {
                    assertEquals(Op.ILLEGAL, op, what + " is an invalid form");
                    invalid++;
                    continue;
                }
                InstructionSpec pattern = implemented ? validEncoding(d, w) : null;
                if (implemented && pattern == null) {
                    // A bit the declaration leaves free but POWER9 refuses: no valid encoding, illegal.
                    assertEquals(Op.ILLEGAL, op, what + " is outside every valid encoding of its mnemonic");
                    invalid++;
                    continue;
                }
                valid++;
                InstructionSpec got = T.spec(op);
                assertEquals(d.mnemonic().replace(".", ""), got.mnemonic().replace(".", ""), what);
                assertEquals(pattern != null ? pattern.facility() : d.facility(), got.facility(), what);
                if (!implemented && VectorScalarInstructions.ALL.stream().noneMatch(
                        s -> InstructionTable.sameInstruction(s, d) && s.encoding().matches(w))) {
                    assertEquals(T.op(d), op, what);
                }
            }
        }
        assertTrue(valid > 30_000 && invalid > 100, valid + " valid words, " + invalid + " invalid forms");
    }

    /**
     * Two declarations of one precedence level never match the same word, and a fixed-point
     * declaration never matches a word of a valid FP/VMX/VSX encoding. The one deliberate nesting:
     * an implemented FP/VMX/VSX declaration inside the valid encodings of its own mnemonic (the
     * encodings name the words and their facility, the declaration gives the body).
     */
    @Test
    void noTwoDeclarationsClaimTheSameWord() {
        List<InstructionSpec> all = T.declarations();
        List<String> overlaps = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                InstructionSpec a = all.get(i), b = all.get(j);
                if (!a.encoding().overlaps(b.encoding())) {
                    continue;
                }
                boolean nested = InstructionTable.sameInstruction(a, b) && implementedVectorScalar(a) != implementedVectorScalar(b);
                if (!nested) {
                    overlaps.add(String.format("%s %08x/%08x and %s %08x/%08x", a.mnemonic(), a.encoding().match(),
                            a.encoding().mask(), b.mnemonic(), b.encoding().match(), b.encoding().mask()));
                }
            }
        }
        assertTrue(overlaps.isEmpty(), String.join("\n", overlaps));
    }

    @Test
    void invalidFormsAreIllegal() {
        int lbzu = 35 << 26, ldux = 31 << 26 | 53 << 1, stwu = 37 << 26, lq = 56 << 26, lmw = 46 << 26, stq = 62 << 26 | 2;
        int lqarx = 31 << 26 | 276 << 1, stqcx = 31 << 26 | 182 << 1 | 1;
        assertEquals(Op.ILLEGAL, Decoder.decode(lbzu | 3 << 21), "lbzu r3,0(0)");
        assertEquals(Op.ILLEGAL, Decoder.decode(lbzu | 3 << 21 | 3 << 16), "lbzu r3,0(r3)");
        assertEquals("lbzu", Op.name(Decoder.decode(lbzu | 3 << 21 | 4 << 16)));
        assertEquals(Op.ILLEGAL, Decoder.decode(ldux | 5 << 21 | 5 << 16 | 6 << 11), "ldux r5,r5,r6");
        assertEquals(Op.ILLEGAL, Decoder.decode(stwu | 3 << 21), "stwu r3,0(0)");
        assertEquals("stwu", Op.name(Decoder.decode(stwu | 3 << 21 | 3 << 16)), "stwu r3,0(r3) is valid");
        assertEquals(Op.ILLEGAL, Decoder.decode(lq | 3 << 21 | 4 << 16), "lq with an odd RTp");
        assertEquals(Op.ILLEGAL, Decoder.decode(lq | 4 << 21 | 4 << 16), "lq with RTp = RA");
        assertEquals("lq", Op.name(Decoder.decode(lq | 4 << 21 | 5 << 16)));
        assertEquals(Op.ILLEGAL, Decoder.decode(lmw | 28 << 21 | 30 << 16), "lmw r28 with RA = r30 loaded");
        assertEquals(Op.ILLEGAL, Decoder.decode(lmw | 28 << 21 | 28 << 16), "lmw r28 with RA = r28");
        assertEquals("lmw", Op.name(Decoder.decode(lmw | 28 << 21 | 1 << 16)));
        assertEquals(Op.ILLEGAL, Decoder.decode(stq | 5 << 21 | 1 << 16), "stq with an odd RSp");
        assertEquals(Op.ILLEGAL, Decoder.decode(stqcx | 5 << 21), "stqcx. with an odd RSp");
        assertEquals(Op.ILLEGAL, Decoder.decode(lqarx | 4 << 21 | 4 << 11), "lqarx with RTp = RB");
        assertEquals("lqarx", Op.name(Decoder.decode(lqarx | 4 << 21 | 1 << 16 | 2 << 11)));
        // bcctr with BO[2]=0 is executed (decrement CTR, target the old CTR), as POWER9 does.
        assertEquals("bcctr", Op.name(Decoder.decode(19 << 26 | 16 << 21 | 528 << 1)));
    }

    @Test
    void reservedBitsFollowQemusPower9() {
        assertEquals(Op.ILLEGAL, Decoder.decode(0x7c000026 | 1), "mfcr with bit 31 set");
        assertEquals("mulhdu", Op.name(Decoder.decode(0x7c000012 | 1 << 10)), "mulhdu with bit 21 (no OE form) set");
        assertEquals("add", Op.name(Decoder.decode(0x7c000214 | 1 << 10)), "addo is add");
        assertEquals(Op.ILLEGAL, Decoder.decode(0x4c000164 | 1), "rfid with bit 31 set");
        assertEquals("bclr", Op.name(Decoder.decode(0x4e800021)), "blrl: bit 31 is LK");
        assertEquals(Op.ILLEGAL, Decoder.decode(0x7c0007a7 & ~1), "slbfee. without Rc");
        assertEquals("scv", Op.name(Decoder.decode(0x44000001)), "scv with bit 31 set");
        assertEquals(Op.ILLEGAL, Decoder.decode(0x44000003), "sc with both low bits set");
    }

    @Test
    void theFacilityFollowsTheOperandsWhereTheIsaSaysSo() {
        assertEquals(Facility.FP, T.spec(Decoder.decode(0x7c000066)).facility(), "mfvsrd r0,vs0: SX=0 needs MSR[FP]");
        assertEquals(Facility.VMX, T.spec(Decoder.decode(0x7c000067)).facility(), "mfvsrd r0,vs32: SX=1 needs MSR[VEC]");
        assertEquals(Facility.VSX, T.spec(Decoder.decode(0x7c000218)).facility(), "lxvx vs0: TX=0 needs MSR[VSX]");
        assertEquals(Facility.VMX, T.spec(Decoder.decode(0x7c000219)).facility(), "lxvx vs32: TX=1 needs MSR[VEC]");
        assertEquals(Facility.VSX, T.spec(Decoder.decode(0x7c000019)).facility(), "lxsiwzx vs32 needs only MSR[VSX]");
        assertEquals(Facility.VMX, T.spec(Decoder.decode(0xe4000002)).facility(), "lxsd v0 targets VSR 32-63");
        assertEquals(Facility.VMX, T.spec(Decoder.decode(0x10000085)).facility(), "vrlwmi is a Vector instruction");
        assertEquals(Facility.FP, T.spec(Decoder.decode(0xec000004)).facility(), "dadd (decimal floating point)");
        assertEquals("fadd", Op.name(Decoder.decode(0xfc00002a | 5 << 6)), "fadd with FRC != 0 (QEMU ignores it)");
        assertEquals("vsldoi", Op.name(Decoder.decode(0x1000042c)), "vsldoi with bit 21 set (QEMU ignores it)");
        assertEquals("lfsu", Op.name(Decoder.decode(0xc4000000)), "lfsu with RA=0: the facility interrupt comes first");
    }

    @Test
    void wordsPower9DoesNotDefineAreIllegal() {
        int[] words = {0x1000000b, 0x100002cc, 0x7c000258, 0xf00002d8, 0xfc0007c4, 0xec000000, 0xfc000002, 0x04000000,
                0x18000000, 0x58000000, 0x7c0000d6, 0x78000018};
        for (int w : words) {
            assertEquals(Op.ILLEGAL, Decoder.decode(w), Integer.toHexString(w));
        }
    }

    /** The decoder's lookup by primary opcode and low bits gives what trying every rule in order gives. */
    @Test
    void theLookupIsTheRulesInOrder() {
        SplittableRandom rnd = new SplittableRandom(11);
        List<InstructionTable.Rule> rules = T.rules();
        for (int k = 0; k < 200_000; k++) {
            int w = rnd.nextInt();
            if (k % 2 == 0) {
                // Near a declared encoding, where the interesting words are.
                InstructionTable.Rule r = rules.get(rnd.nextInt(rules.size()));
                w = r.encoding().match() | (w & ~r.encoding().mask() & ~(1 << rnd.nextInt(26))) ^ (1 << rnd.nextInt(26));
            }
            int expected = Op.ILLEGAL;
            for (InstructionTable.Rule r : rules) {
                if (r.encoding().matches(w)) {
                    expected = r.operands().valid(w) ? r.op() : Op.ILLEGAL;
                    break;
                }
            }
            assertEquals(expected, Decoder.decode(w), Integer.toHexString(w));
        }
    }

    /** Every operation with a body but no facility names its own declaration's body, and every index has a spec. */
    @Test
    void operationsAreNumberedWithBodiesFirst() {
        assertEquals("illegal", Op.name(Op.ILLEGAL));
        assertNull(T.spec(0));
        for (int op = Op.ILLEGAL; op < T.operations(); op++) {
            assertEquals(op < T.declaredOnlyFrom(), T.spec(op).body() != null, Op.name(op));
        }
        assertEquals(Op.B + 4, Op.BCTAR);
        for (int op = Op.B; op <= Op.BCTAR; op++) {
            assertTrue(Op.name(op).startsWith("b"), Op.name(op));
        }
        assertNotEquals(Op.SC, Op.RFID);
    }

    /**
     * An implemented FP/VMX/VSX declaration merges with the valid encodings of its mnemonic: the
     * words of each take the body and the encoding's facility; words of the declaration outside
     * them keep its own facility; valid encodings of other mnemonics stay declared only.
     */
    @Test
    void anImplementedDeclarationTakesTheFacilityOfItsValidEncodings() {
        InstructionSpec.Body body = (c, w) -> Core.OK;
        // mfvsrd covering both SX values, and too wide: bit 24 left free takes in mfvsrwz's words
        InstructionSpec mfvsrd = new InstructionSpec("mfvsrd", new Encoding(31 << 26 | 0x66, 0xFC00_0000 | 0x77e), Facility.VSX, body);
        // the record form of vcmpequb only, spelled with its "."
        InstructionSpec vcmpequbDot = new InstructionSpec("vcmpequb.", Encoding.vc(4, 6).bit(21, 1), Facility.VMX, body);
        InstructionTable t = new InstructionTable(List.of(FixedPointInstructions.ALL), List.of(mfvsrd, vcmpequbDot),
                VectorScalarEncodings.ALL);
        assertEquals(Facility.FP, t.spec(firstMatch(t, 0x7c000066)).facility());
        assertEquals(Facility.VMX, t.spec(firstMatch(t, 0x7c000067)).facility());
        assertTrue(t.spec(firstMatch(t, 0x7c000066)).body() == body);
        assertEquals("mfvsrwz", t.spec(firstMatch(t, 0x7c0000e6)).mnemonic(), "another mnemonic's encoding stays its own");
        assertNull(t.spec(firstMatch(t, 0x7c0000e6)).body());
        assertTrue(t.spec(firstMatch(t, 0x10000406)).body() == body, "vcmpequb. takes the Rc=1 words of vcmpequb");
        assertNull(t.spec(firstMatch(t, 0x10000006)).body(), "vcmpequb (Rc=0) stays declared only");
    }

    private static int firstMatch(InstructionTable t, int w) {
        for (InstructionTable.Rule r : t.rules()) {
            if (r.encoding().matches(w)) {
                return r.op();
            }
        }
        return Op.ILLEGAL;
    }
}
