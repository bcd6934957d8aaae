package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jvisor.hw.power.cpu.VectorScalarEncodings.Encoding;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The FP/VMX/VSX encoding table: disjoint patterns, the decoder's facility, and the names. */
class VectorScalarEncodingsTest {
    private static final List<Encoding> ALL = VectorScalarEncodings.all();

    private static int word(Encoding e) {
        return (e.primary() << 26) | e.xoValue();
    }

    @Test
    void noTwoPatternsMatchTheSameWord() {
        for (int i = 0; i < ALL.size(); i++) {
            for (int j = i + 1; j < ALL.size(); j++) {
                Encoding a = ALL.get(i), b = ALL.get(j);
                boolean disjoint = a.primary() != b.primary()
                        || ((a.xoValue() ^ b.xoValue()) & a.xoMask() & b.xoMask()) != 0;
                assertTrue(disjoint, a + " and " + b + " overlap");
            }
        }
    }

    @Test
    void everyPatternDecodesAsItsFacilityWhateverItsOperands() {
        Random r = new Random(9);
        for (Encoding e : ALL) {
            for (int k = 0; k < 8; k++) {
                int operands = k == 0 ? 0 : r.nextInt() & 0x03FF_FFFF & ~e.xoMask();
                int w = word(e) | operands;
                assertEquals(e.op(), facilityOp(Decoder.decode(w)), e.mnemonic() + " " + Integer.toHexString(w));
            }
        }
    }

    @Test
    void theFacilityFollowsTheIsaOperandRules() {
        // An implemented instruction decodes as a declared operation carrying its facility.
        assertEquals(Op.FP, facilityOp(Decoder.decode(0x7c000066)), "mfvsrd r0,vs0: SX=0 needs MSR[FP]");
        assertEquals(Op.VMX, facilityOp(Decoder.decode(0x7c000067)), "mfvsrd r0,vs32: SX=1 needs MSR[VEC]");
        assertEquals(Op.VSX, facilityOp(Decoder.decode(0x7c000218)), "lxvx vs0: TX=0 needs MSR[VSX]");
        assertEquals(Op.VMX, facilityOp(Decoder.decode(0x7c000219)), "lxvx vs32: TX=1 needs MSR[VEC]");
        assertEquals(Op.VSX, facilityOp(Decoder.decode(0x7c000019)), "lxsiwzx vs32: an ISA 2.07 load needs only MSR[VSX]");
        assertEquals(Op.VMX, facilityOp(Decoder.decode(0xe4000002)), "lxsd v0 targets VSR 32-63: MSR[VEC]");
        assertEquals(Op.VSX, facilityOp(Decoder.decode(0xf0000107)), "xsadddp vs32,vs32,vs32: MSR[VSX] only");
        assertEquals(Op.FP, facilityOp(Decoder.decode(0xc0000000)), "lfs");
        assertEquals(Op.FP, facilityOp(Decoder.decode(0xfc00002a)), "fadd");
        assertEquals(Op.FP, facilityOp(Decoder.decode(0xec000004)), "dadd (decimal floating point)");
        assertEquals(Op.VMX, facilityOp(Decoder.decode(0x10000000)), "vaddubm");
        assertEquals(Op.VMX, facilityOp(Decoder.decode(0x10000085)), "vrlwmi is a Vector facility instruction");
    }

    @Test
    void wordsPower9DoesNotDefineAreIllegalNotUnavailable() {
        int[] words = {
            0x1000000b, // 4/11: vdivuq on Power ISA 3.1 only
            0x100002cc, // 4/716
            0x7c000258, // 31/300
            0xf00002d8, // 60: XX3 extended opcode 91
            0xfc0007c4, // 63/994: dcffixqq, Power ISA 3.1
            0xec000000, // 59/0
            0xfc000000 | (1 << 1), // 63/1
            0x04000000, // a Power ISA 3.1 prefix
            0x18000000, // primary 6 (lxvp on Power ISA 3.1)
        };
        for (int w : words) {
            assertNull(VectorScalarEncodings.find(w), Integer.toHexString(w));
            assertEquals(Op.ILLEGAL, Decoder.decode(w), Integer.toHexString(w));
        }
    }

    @Test
    void reservedFieldsQemuIgnoresStayValid() {
        assertEquals(Op.FP, facilityOp(Decoder.decode(0xfc00002a | (5 << 6))), "fadd with FRC != 0");
        assertEquals(Op.VMX, facilityOp(Decoder.decode(0x1000042c)), "vsldoi with bit 21 set");
        assertEquals(Op.FP, facilityOp(Decoder.decode(0xc4000000)), "lfsu with RA=0 (invalid form): unavailable first");
    }

    /** The disassembler's name for each pattern's word (operand fields zero, or RA=1 for update forms). */
    @Test
    void everyMnemonicDisassemblesAsItsName() throws Exception {
        String objdump = "powerpc64le-linux-gnu-objdump";
        Assumptions.assumeTrue(onPath(objdump), objdump + " not installed");
        List<Integer> words = new ArrayList<>();
        for (Encoding e : ALL) {
            words.add(word(e));
            words.add(word(e) | (~e.xoMask() & 0x001F_0000 & (1 << 16)));
        }
        List<String> names = disassemble(objdump, words, "power9,raw");
        // lfdp, lfdpx, stfdp, stfdpx: phased out, QEMU's POWER9 executes them, binutils knows them for POWER6.
        List<String> older = disassemble(objdump, words, "power6,raw");
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i) == null) {
                names.set(i, older.get(i));
            }
        }
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < ALL.size(); i++) {
            String a = names.get(2 * i), b = names.get(2 * i + 1);
            String name = a != null ? a : b;
            assertNotNull(name, ALL.get(i) + " does not disassemble");
            if (!name.replace(".", "").equals(ALL.get(i).mnemonic())) {
                wrong.add(ALL.get(i).mnemonic() + " disassembles as " + name);
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> disassemble(String objdump, List<Integer> words, String machine)
            throws IOException, InterruptedException {
        Path bin = Files.createTempFile("vsx-encodings", ".bin");
        try {
            ByteBuffer buf = ByteBuffer.allocate(4 * words.size());
            words.forEach(buf::putInt);
            Files.write(bin, buf.array());
            Process p = new ProcessBuilder(objdump, "-D", "-b", "binary", "-m", "powerpc:common64", "-M", machine,
                    "-EB", bin.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            List<String> names = new ArrayList<>();
            for (int i = 0; i < words.size(); i++) {
                names.add(null);
            }
            Pattern line = Pattern.compile("^\\s*([0-9a-f]+):\\s+(?:[0-9a-f]{2} ){4}\\s*(\\S+)", Pattern.MULTILINE);
            Matcher m = line.matcher(out);
            while (m.find()) {
                int at = Integer.parseInt(m.group(1), 16) / 4;
                String mnemonic = m.group(2);
                if (at < names.size() && !mnemonic.equals(".long")) {
                    names.set(at, mnemonic);
                }
            }
            assertFalse(names.stream().allMatch(n -> n == null), "objdump produced nothing: " + out);
            return names;
        } finally {
            Files.deleteIfExists(bin);
        }
    }

    /** The facility operation (FP, VMX, VSX) of a decoded operation, declared or not. */
    private static int facilityOp(int op) {
        if (op < Op.DECLARED) return op;
        return switch (Facility.values()[(op - Op.DECLARED) & 3]) {
            case FP -> Op.FP;
            case VMX -> Op.VMX;
            case VSX -> Op.VSX;
            case NONE -> op;
        };
    }
}
