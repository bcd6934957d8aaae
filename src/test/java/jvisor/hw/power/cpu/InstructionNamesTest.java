package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every declared mnemonic is the name the GNU disassembler for POWER9 gives the words of its
 * encoding: for each declaration, words with its operand fields zero, with one operand bit set,
 * and with random operand fields (valid forms only) go through {@code powerpc64le-linux-gnu-objdump -M power9,raw}
 * ("raw": the base mnemonics, not the extended ones such as mr, li, nop or blr). Where the
 * disassembler gives a name, it must be the declaration's, with "." for Rc=1 and "o" for OE=1
 * when the declaration leaves those bits free; every declaration must be named at least once.
 * Words the disassembler does not name are reserved-field values QEMU accepts and binutils does
 * not (fadd with FRC set, mulhw with bit 21 set ...).
 */
class InstructionNamesTest {
    private static final String OBJDUMP = "powerpc64le-linux-gnu-objdump";

    /**
     * Instructions the POWER9 disassembler does not know, and a machine it knows them for: lfdp,
     * lfdpx, stfdp, stfdpx and mcrxr are phased out (QEMU's POWER9 still executes them), mftb is
     * mfspr of the time base for it, the segment-register moves belong to 32-bit processors, and
     * wait's ISA 2.06 encoding 31/62 it names for e500mc only.
     */
    private static final Map<String, String> OTHER_MACHINE = Map.of(
            "lfdp", "power6", "lfdpx", "power6", "stfdp", "power6", "stfdpx", "power6", "mcrxr", "power6",
            "mftb", "ppc32", "mfsr", "ppc32", "mfsrin", "ppc32", "mtsr", "ppc32", "mtsrin", "ppc32");

    /**
     * The words tried for a declaration (valid forms only): its operand fields all zero, each one
     * operand bit set alone (mfocrf wants one bit of FXM, the TM instructions their Rc), and random
     * operand fields.
     */
    private static List<Integer> words(InstructionSpec d, SplittableRandom rnd) {
        Encoding e = d.encoding();
        List<Integer> words = new ArrayList<>();
        words.add(e.match());
        if (d.mnemonic().equals("mftb")) {
            words.add(0x7c6c42e6); // mftb r3,268: the disassembler names only the time base's SPR numbers
        }
        for (int bit = 0; bit < 26; bit++) {
            if ((e.mask() & 1 << bit) == 0) {
                words.add(e.match() | 1 << bit);
            }
        }
        for (int k = 0; k < 8; k++) {
            words.add(InstructionTableTest.word(e, rnd));
        }
        words.removeIf(w -> !d.operands().valid(w));
        if (words.isEmpty()) {
            while (words.size() < 8) {
                int w = InstructionTableTest.word(e, rnd);
                if (d.operands().valid(w)) {
                    words.add(w);
                }
            }
        }
        return words;
    }

    @Test
    void everyDeclaredMnemonicIsTheDisassemblersName() throws Exception {
        Assumptions.assumeTrue(onPath(OBJDUMP), OBJDUMP + " not installed");
        List<InstructionSpec> all = InstructionTable.POWER9.declarations();
        SplittableRandom rnd = new SplittableRandom(12);
        List<List<Integer>> perDeclaration = new ArrayList<>();
        List<Integer> words = new ArrayList<>();
        for (InstructionSpec d : all) {
            perDeclaration.add(words(d, rnd));
            words.addAll(perDeclaration.getLast());
        }
        List<String> names = disassemble(words, "power9,raw");
        assertFalse(names.stream().allMatch(n -> n == null), "objdump named nothing");
        List<String> wrong = new ArrayList<>(), unnamed = new ArrayList<>();
        int at = 0;
        for (int i = 0; i < all.size(); i++) {
            InstructionSpec d = all.get(i);
            List<Integer> own = perDeclaration.get(i);
            List<String> got = names.subList(at, at + own.size());
            at += own.size();
            String machine = OTHER_MACHINE.get(d.mnemonic());
            if (d.mnemonic().equals("wait") && d.encoding().match() == Encoding.x(31, 62).match()) {
                machine = "e500mc";
            }
            if (machine != null) {
                got = disassemble(own, machine + ",raw");
            }
            boolean named = false;
            for (int k = 0; k < own.size(); k++) {
                String name = got.get(k);
                if (name == null) {
                    continue;
                }
                named = true;
                if (!sameName(d, own.get(k), name)) {
                    wrong.add(String.format("%s: 0x%08x disassembles as %s", d.mnemonic(), own.get(k), name));
                }
            }
            if (!named) {
                unnamed.add(String.format("%s (0x%08x)", d.mnemonic(), own.get(0)));
            }
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " misnamed:\n" + String.join("\n", wrong));
        assertTrue(unnamed.isEmpty(), "the disassembler names none of the words of:\n" + String.join("\n", unnamed));
    }

    /**
     * Names the raw disassembly still gives to a form of an instruction: dss with the A field set
     * is dssall; dcbz with bit 10 set is the PowerPC 970's dcbzl (POWER9 reserves the bit, QEMU
     * ignores it, so does jvisor).
     */
    private static final Map<String, String> ALIASES = Map.of("dssall", "dss", "dcbzl", "dcbz");

    /**
     * The disassembler's name is the declaration's, up to the suffixes of bits its encoding leaves
     * free: "." (Rc, in bit 31 or in bit 21 of the vector compares), "o" (OE, bit 21), and the
     * branches' "l" (LK, bit 31) and "a" (AA, bit 30).
     */
    private static boolean sameName(InstructionSpec d, int w, String name) {
        int mask = d.encoding().mask();
        String n = ALIASES.getOrDefault(name, name).replace(".", "");
        String mnemonic = d.mnemonic().replace(".", "");
        if (d.flow() == Flow.BRANCH || d.mnemonic().matches("bc(lr|ctr|tar)")) {
            if (n.endsWith("a") && (mask & 2) == 0 && (w & 2) != 0) {
                n = n.substring(0, n.length() - 1);
            }
            if (n.endsWith("l") && (mask & 1) == 0 && (w & 1) != 0) {
                n = n.substring(0, n.length() - 1);
            }
        }
        if (!n.equals(mnemonic) && n.endsWith("o") && (mask & 0x400) == 0 && (w & 0x400) != 0) {
            n = n.substring(0, n.length() - 1);
        }
        return n.equals(mnemonic);
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** The disassembler's mnemonic for each word (big-endian words), null where it prints .long. */
    static List<String> disassemble(List<Integer> words, String machine) throws IOException, InterruptedException {
        Path bin = Files.createTempFile("instructions", ".bin");
        try {
            ByteBuffer buf = ByteBuffer.allocate(4 * words.size());
            words.forEach(buf::putInt);
            Files.write(bin, buf.array());
            Process p = new ProcessBuilder(OBJDUMP, "-D", "-b", "binary", "-m", "powerpc:common64", "-M", machine, "-EB",
                    bin.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
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
            return names;
        } finally {
            Files.deleteIfExists(bin);
        }
    }
}
