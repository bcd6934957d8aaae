package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The table of declared instructions (every family in {@link VectorScalarInstructions}): no two
 * encodings overlap, every declared word decodes to its own declaration, and binutils' objdump
 * (-M power9) names the same mnemonic for words built from each encoding with random operand
 * fields (words objdump does not know, printed ".long", are skipped: reserved fields left free).
 */
class DeclaredInstructionTableTest {
    private static final String OBJDUMP = "powerpc64le-linux-gnu-objdump";
    private static final int WORDS_PER_SPEC = 24;

    @Test
    void noTwoDeclarationsOverlap() {
        List<InstructionSpec> all = VectorScalarInstructions.ALL;
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                Encoding a = all.get(i).encoding(), b = all.get(j).encoding();
                assertTrue(!a.overlaps(b), all.get(i).mnemonic() + " overlaps " + all.get(j).mnemonic());
            }
        }
    }

    @Test
    void everyDeclaredWordDecodesToItsDeclaration() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < VectorScalarInstructions.ALL.size(); i++) {
            Encoding e = VectorScalarInstructions.ALL.get(i).encoding();
            for (int k = 0; k < 64; k++) {
                int w = e.match() | (r.nextInt() & ~e.mask());
                assertEquals(Op.DECLARED + i, Decoder.decode(w), VectorScalarInstructions.ALL.get(i).mnemonic()
                        + " " + Integer.toHexString(w));
            }
        }
    }

    @Test
    void objdumpNamesTheDeclaredMnemonic() throws IOException, InterruptedException {
        assumeTrue(onPath(OBJDUMP), OBJDUMP + " is not installed");
        SplittableRandom r = new SplittableRandom(11);
        List<InstructionSpec> all = VectorScalarInstructions.ALL;
        List<Integer> words = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (InstructionSpec s : all) {
            Encoding e = s.encoding();
            for (int k = 0; k < WORDS_PER_SPEC; k++) {
                // The first word has every free bit clear, so each mnemonic is seen at least once.
                int free = k == 0 ? 0 : r.nextInt();
                words.add(e.match() | (free & ~e.mask()));
                expected.add(s.mnemonic());
            }
        }
        Path bin = Files.createTempFile("declared", ".bin");
        try {
            ByteBuffer b = ByteBuffer.allocate(4 * words.size());
            words.forEach(b::putInt); // big-endian words
            Files.write(bin, b.array());
            String[] power9 = disassemble(bin, "power9", words.size());
            // binutils drops the ISA 2.05 pair loads and stores from POWER7 on, though ISA 3.0B
            // still has them (4.6.2, 4.6.3) and POWER9 and QEMU execute them: they are read with -M power6.
            String[] power6 = disassemble(bin, "power6", words.size());
            int checked = 0;
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < words.size(); i++) {
                String want = expected.get(i);
                String got = power9[i] == null && PAIRS.contains(want) ? power6[i] : power9[i];
                if (got == null) continue;
                assertEquals(want, got, String.format("word %08x", words.get(i)));
                checked++;
                if (!seen.contains(want)) seen.add(want);
            }
            // Every declared mnemonic was recognized at least once.
            for (InstructionSpec s : all) {
                assertTrue(seen.contains(s.mnemonic()), "objdump never printed " + s.mnemonic());
            }
            assertTrue(checked >= all.size());
        } finally {
            Files.deleteIfExists(bin);
        }
    }

    private static final List<String> PAIRS = List.of("lfdp", "lfdpx", "stfdp", "stfdpx");

    /** The mnemonic objdump prints for each word (without a record form's "."), null for ".long". */
    private static String[] disassemble(Path bin, String cpu, int n) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(OBJDUMP, "-D", "-b", "binary", "-m", "powerpc:common64", "-M", cpu, "-EB",
                bin.toString()).redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String[] out = new String[n];
        for (String line : lines) {
            // "   1c:\t7c 22 1c 2e \tlfsx    f1,r2,r3"
            String[] f = line.split("\t");
            if (f.length < 3 || !f[0].trim().endsWith(":")) continue;
            int index = Integer.parseInt(f[0].trim().replace(":", ""), 16) / 4;
            String mnemonic = f[2].trim().split("\\s+")[0];
            if (mnemonic.equals(".long")) continue;
            out[index] = mnemonic.endsWith(".") ? mnemonic.substring(0, mnemonic.length() - 1) : mnemonic;
        }
        return out;
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) return true;
        }
        return false;
    }
}
