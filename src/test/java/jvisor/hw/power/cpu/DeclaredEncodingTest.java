package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The declared instruction table against itself and against binutils: no two declarations share
 * a word, every declared word decodes to its own declaration, and objdump -M power9 names words
 * built from each declaration (random operand fields) with the declared mnemonic.
 */
class DeclaredEncodingTest {
    private static final String OBJDUMP = "powerpc64le-linux-gnu-objdump";
    private static final int WORDS_PER_SPEC = 24;

    /** objdump's extended mnemonics for some operand values, as the base mnemonic they stand for. */
    private static final Map<String, String> ALIASES = Map.ofEntries(Map.entry("vmr", "vor"),
            Map.entry("vnot", "vnor"), Map.entry("xxmr", "xxlor"), Map.entry("xxlnot", "xxlnor"),
            Map.entry("xxspltd", "xxpermdi"), Map.entry("xxmrghd", "xxpermdi"), Map.entry("xxmrgld", "xxpermdi"),
            Map.entry("xxswapd", "xxpermdi"),
            // The moves as binutils names them when the register is an FPR or a VR.
            Map.entry("mffprd", "mfvsrd"), Map.entry("mfvrd", "mfvsrd"), Map.entry("mffprwz", "mfvsrwz"),
            Map.entry("mfvrwz", "mfvsrwz"), Map.entry("mtfprd", "mtvsrd"), Map.entry("mtvrd", "mtvsrd"),
            Map.entry("mtfprwa", "mtvsrwa"), Map.entry("mtvrwa", "mtvsrwa"), Map.entry("mtfprwz", "mtvsrwz"),
            Map.entry("mtvrwz", "mtvsrwz"), Map.entry("mfvrld", "mfvsrld"));

    private static List<InstructionSpec> all() {
        return VectorScalarInstructions.ALL;
    }

    @Test
    void noTwoDeclarationsOverlap() {
        List<InstructionSpec> all = all();
        List<String> overlaps = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                if (all.get(i).encoding().overlaps(all.get(j).encoding())) {
                    overlaps.add(all.get(i).mnemonic() + " / " + all.get(j).mnemonic());
                }
            }
        }
        assertEquals(List.of(), overlaps);
    }

    @Test
    void mnemonicsAreUnique() {
        Set<String> seen = new HashSet<>();
        for (InstructionSpec s : all()) assertTrue(seen.add(s.mnemonic()), s.mnemonic());
    }

    @Test
    void everyDeclaredWordDecodesToItsDeclaration() {
        Random rnd = new Random(1);
        List<InstructionSpec> all = all();
        for (int i = 0; i < all.size(); i++) {
            Encoding e = all.get(i).encoding();
            for (int k = 0; k < WORDS_PER_SPEC; k++) {
                int w = e.match() | (k == 0 ? 0 : rnd.nextInt() & ~e.mask());
                // Reserved bits a declaration leaves free may be ones POWER9 (and QEMU) refuse: the
                // table of valid encodings decides those words, and they are not this test's.
                if (k > 0 && VectorScalarEncodings.find(w) == null) continue;
                int op = Decoder.decode(w);
                assertTrue(op >= Op.DECLARED, all.get(i).mnemonic() + " " + Integer.toHexString(w) + " decodes as " + op);
                // The declaration's index, over the facility the word needs.
                assertEquals(i, (op - Op.DECLARED) >>> 2, all.get(i).mnemonic() + " " + Integer.toHexString(w));
            }
        }
    }

    @Test
    void objdumpNamesEveryDeclaredWordAsDeclared() throws Exception {
        assumeTrue(onPath(OBJDUMP), OBJDUMP + " not installed");
        Random rnd = new Random(2);
        List<InstructionSpec> all = all();
        int n = all.size() * WORDS_PER_SPEC;
        int[] words = new int[n];
        int[] owner = new int[n];
        for (int i = 0; i < all.size(); i++) {
            Encoding e = all.get(i).encoding();
            for (int k = 0; k < WORDS_PER_SPEC; k++) {
                // The first word of each has every free bit clear, so each mnemonic is seen at least once.
                int free = k == 0 ? 0 : rnd.nextInt();
                words[i * WORDS_PER_SPEC + k] = e.match() | (free & ~e.mask());
                owner[i * WORDS_PER_SPEC + k] = i;
            }
        }
        Map<Integer, String> names = disassemble(words);
        // binutils drops the ISA 2.05 pair loads and stores from POWER7 on, though ISA 3.0B still
        // has them (4.6.2, 4.6.3) and POWER9 and QEMU execute them: those are read with -M power6.
        Map<Integer, String> power6 = disassemble(words, "power6");
        for (int k = 0; k < n; k++) {
            if (PAIRS.contains(all.get(owner[k]).mnemonic())) names.put(k, power6.get(k));
        }
        List<String> wrong = new ArrayList<>();
        Map<String, Integer> named = new HashMap<>();
        for (int k = 0; k < n; k++) {
            String got = names.get(k);
            String want = all.get(owner[k]).mnemonic();
            if (got == null || got.equals(".long")) continue; // a reserved field objdump rejects
            String base = ALIASES.getOrDefault(got, got);
            // The record (Rc=1) forms of the VC-form compares share their declaration.
            if (!base.equals(want) && !base.equals(want + ".")) {
                wrong.add(want + " " + String.format("%08x", words[k]) + " -> " + got);
            }
            named.merge(want, 1, Integer::sum);
        }
        assertEquals(List.of(), wrong);
        List<String> neverNamed = all.stream().map(InstructionSpec::mnemonic).filter(m -> !named.containsKey(m)).toList();
        assertEquals(List.of(), neverNamed, "declared mnemonics objdump never printed");
    }

    private static final List<String> PAIRS = List.of("lfdp", "lfdpx", "stfdp", "stfdpx");

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return false;
    }

    /** Word index -> the mnemonic objdump prints for it. */
    private static Map<Integer, String> disassemble(int[] words) throws IOException, InterruptedException {
        return disassemble(words, "power9");
    }

    private static Map<Integer, String> disassemble(int[] words, String cpu) throws IOException, InterruptedException {
        Path bin = Files.createTempFile("declared", ".bin");
        try {
            ByteBuffer buf = ByteBuffer.allocate(4 * words.length).order(ByteOrder.LITTLE_ENDIAN);
            for (int w : words) buf.putInt(w);
            Files.write(bin, buf.array());
            Process p = new ProcessBuilder(OBJDUMP, "-D", "-b", "binary", "-m", "powerpc:common64", "-M", cpu, "-EL",
                    bin.toString()).redirectErrorStream(true).start();
            Map<Integer, String> out = new HashMap<>();
            for (String line : new String(p.getInputStream().readAllBytes()).split("\n")) {
                String[] parts = line.split("\t");
                if (parts.length < 3 || !parts[0].trim().endsWith(":")) continue;
                int addr = Integer.parseInt(parts[0].trim().replace(":", ""), 16);
                out.put(addr / 4, parts[2].trim().split("\\s+")[0]);
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            return out;
        } finally {
            Files.deleteIfExists(bin);
        }
    }
}
