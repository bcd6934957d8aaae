package jvisor.vmm.migration;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import jvisor.vmm.GuestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot cut short or with one byte changed is refused by {@code jvisor run --incoming} with
 * one line on stderr (no stack trace) and no guest output: exit 1 for a damaged stream, 2 for one
 * that is not a stream for this machine.
 */
class DamagedStreamTest {
    private static final String[] MACHINE = {"--smp", "2", "--mem", "128M"};
    @TempDir
    static Path dir;
    private static Path elf, snapshot;
    private static byte[] good;

    @BeforeAll
    static void takeASnapshot() throws Exception {
        elf = GuestImages.require("le", "smp-migrate");
        snapshot = dir.resolve("good.snap");
        JvisorProcess src = new JvisorProcess(elf, "--smp", "2", "--mem", "128M", "--migrate-to", "file:" + snapshot,
                "--migrate-after", "0.3");
        assertEquals(0, src.exitStatus(), src.stderr());
        good = Files.readAllBytes(snapshot);
    }

    private static JvisorProcess restore(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return new JvisorProcess(elf, "--smp", MACHINE[1], "--mem", MACHINE[3], "--incoming", "file:" + p);
    }

    private static void assertOneLine(JvisorProcess j, int status, String says) throws Exception {
        assertEquals(status, j.exitStatus(), j.stderr());
        String err = j.stderr();
        assertEquals(1, err.strip().split("\n").length, "one line: " + err);
        assertTrue(err.startsWith("jvisor: incoming migration: ") && err.contains(says), err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), err);
        assertEquals("", j.console(), "the guest never ran");
    }

    @Test
    void aTruncatedSnapshotIsRefusedWithOneLine() throws Exception {
        byte[] cut = java.util.Arrays.copyOf(good, good.length / 2);
        assertOneLine(restore("cut.snap", cut), 1, "truncated");
    }

    @Test
    void aSnapshotMissingOnlyItsLastByteIsRefused() throws Exception {
        byte[] cut = java.util.Arrays.copyOf(good, good.length - 1);
        assertOneLine(restore("short.snap", cut), 1, "truncated");
    }

    @Test
    void oneFlippedByteInTheMiddleFailsTheChecksum() throws Exception {
        byte[] bad = good.clone();
        bad[bad.length / 2] ^= 0x10;
        assertOneLine(restore("flipped.snap", bad), 1, "checksum mismatch");
    }

    @Test
    void oneFlippedByteInTheHeaderIsNotAStream() throws Exception {
        byte[] bad = good.clone();
        bad[3] ^= 0x01;
        assertOneLine(restore("magic.snap", bad), 2, "not a jvisor migration stream");
    }

    @Test
    void theGoodSnapshotStillRestores() throws Exception {
        JvisorProcess j = restore("copy.snap", good);
        assertEquals(0, j.exitStatus(), j.stderr());
        assertTrue(j.console().endsWith("done: 4 passed, 0 failed, 0 skipped\n"), j.console());
    }
}
