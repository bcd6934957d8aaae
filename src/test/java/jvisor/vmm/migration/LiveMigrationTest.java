package jvisor.vmm.migration;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jvisor.vmm.GuestImages;
import jvisor.vmm.MachineConfig;
import jvisor.vmm.PseriesMachine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The smp-migrate guest (2 vCPUs, MMU on, rewriting memory and printing checksums) moved between
 * two jvisor processes mid-run: over TCP on 127.0.0.1 and through a snapshot file. The source
 * stops printing, the destination goes on, and what the two printed together is exactly what
 * one machine prints without a migration (which DifferentialGuestTest compares with QEMU's).
 * When the destination dies or refuses the stream, the source says so on one line and its guest
 * runs to the end as if nothing had happened.
 */
class LiveMigrationTest {
    private static final String GUEST = "smp-migrate";
    private static final String[] MACHINE = {"--smp", "2", "--mem", "128M"};
    private static final Map<String, String> BASELINE = new ConcurrentHashMap<>();
    /**
     * When the source moves the guest: well inside its run, which takes about 1.5 s on a fast
     * host (at 1.5 s the guest sometimes ended first, and the destination waited for nothing).
     */
    private static final String MIGRATE_AFTER = "0.4";

    /** The guest's console on one machine that never moves (in this process). */
    static String baseline(String endian) throws Exception {
        String cached = BASELINE.get(endian);
        if (cached != null) return cached;
        Path elf = GuestImages.require(endian, GUEST);
        ByteArrayOutputStream out = new ByteArrayOutputStream(), log = new ByteArrayOutputStream();
        PseriesMachine m = new PseriesMachine(MachineConfig.validated(128L << 20, 2, elf, null, ""), out,
                new ByteArrayInputStream(new byte[0]), new PrintStream(log, true));
        m.load();
        int status = m.run(JvisorProcess.TIMEOUT_SECONDS * 1000);
        m.destroy();
        String s = out.toString(StandardCharsets.ISO_8859_1);
        assertEquals(0, status, "the guest without migration: " + log);
        assertTrue(s.contains("round 59:") && s.endsWith("done: 4 passed, 0 failed, 0 skipped\n"), s);
        BASELINE.put(endian, s);
        return s;
    }

    private static String[] with(String... more) {
        String[] all = new String[MACHINE.length + more.length];
        System.arraycopy(MACHINE, 0, all, 0, MACHINE.length);
        System.arraycopy(more, 0, all, MACHINE.length, more.length);
        return all;
    }

    /**
     * The source started the guest and stopped before the end; the destination printed the rest.
     * (On a slow or busy host the move may come before the first round, even before the guest's
     * first line: its vCPUs are already running, and the destination must still print all of it.)
     */
    private static void assertMovedMidRun(String expected, JvisorProcess src, JvisorProcess dst) {
        String before = src.console(), after = dst.console();
        assertTrue((before.isEmpty() || before.startsWith("smp-migrate: ")) && !before.contains("done:"),
                "the source should have stopped mid-run:\n" + before + "\nstderr:\n" + src.stderr());
        assertTrue(after.contains("round ") && after.endsWith("done: 4 passed, 0 failed, 0 skipped\n"),
                "the destination should have run on to the end:\n" + after + "\nstderr:\n" + dst.stderr());
        assertEquals(expected, before + after, "source then destination, against one machine that never moved");
    }

    @Test
    void aRunningGuestMovesOverTcpAndPrintsWhatItWouldHavePrintedWithoutMoving() throws Exception {
        String expected = baseline("le");
        Path elf = GuestImages.require("le", GUEST);
        JvisorProcess dst = new JvisorProcess(elf, with("--incoming", "tcp:127.0.0.1:0"));
        int port = dst.listeningPort();
        JvisorProcess src = new JvisorProcess(elf, with("--migrate-to", "tcp:127.0.0.1:" + port, "--migrate-after", MIGRATE_AFTER));
        assertEquals(0, src.exitStatus(), "source: " + src.stderr());
        assertEquals(0, dst.exitStatus(), "destination: " + dst.stderr());
        String[] lines = src.stderr().strip().split("\n");
        assertEquals(1, lines.length, "one line from the source: " + src.stderr());
        assertTrue(lines[0].startsWith("jvisor: migrated to tcp:127.0.0.1:" + port + ": "), lines[0]);
        assertTrue(lines[0].matches(".*\\d+ rounds, pages per round [\\d ]+ \\(the last with the vCPUs stopped\\), downtime \\d+ ms, total \\d+ ms, .*"), lines[0]);
        assertMovedMidRun(expected, src, dst);
    }

    @Test
    void aSnapshotSavedMidRunRestoresAndRunsOn(@TempDir Path dir) throws Exception {
        String expected = baseline("be");
        Path elf = GuestImages.require("be", GUEST);
        Path snap = dir.resolve("guest.snap");
        JvisorProcess src = new JvisorProcess(elf, with("--migrate-to", "file:" + snap, "--migrate-after", MIGRATE_AFTER));
        assertEquals(0, src.exitStatus(), "source: " + src.stderr());
        assertTrue(src.stderr().startsWith("jvisor: snapshot saved to " + snap + ": "), src.stderr());
        assertFalse(Files.exists(dir.resolve("guest.snap.part")), "the partial file is renamed");
        JvisorProcess dst = new JvisorProcess(elf, with("--incoming", "file:" + snap));
        assertEquals(0, dst.exitStatus(), "destination: " + dst.stderr());
        assertEquals("", dst.stderr());
        assertMovedMidRun(expected, src, dst);
    }

    @Test
    void whenTheDestinationDiesMidStreamTheSourceSaysSoAndItsGuestRunsToTheEnd() throws Exception {
        String expected = baseline("le");
        Path elf = GuestImages.require("le", GUEST);
        try (ServerSocket fake = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            JvisorProcess src = new JvisorProcess(elf, with("--migrate-to", "tcp:127.0.0.1:" + fake.getLocalPort(),
                    "--migrate-after", MIGRATE_AFTER));
            // A destination that takes the first 16 KiB of the stream and dies. (However early the
            // move comes, the guest's code alone is more than that.)
            try (Socket s = fake.accept(); InputStream in = s.getInputStream()) {
                assertEquals(16 << 10, in.readNBytes(16 << 10).length, "the source sent its stream");
            }
            assertEquals(0, src.exitStatus(), "source: " + src.stderr());
            String[] lines = src.stderr().strip().split("\n");
            assertEquals(1, lines.length, "one line: " + src.stderr());
            assertTrue(lines[0].startsWith("jvisor: migration to tcp:127.0.0.1:" + fake.getLocalPort() + " failed ("), lines[0]);
            assertTrue(lines[0].endsWith("; the guest runs on here"), lines[0]);
            assertEquals(expected, src.console(), "the guest ran on undisturbed");
        }
    }

    @Test
    void whenTheDestinationRefusesTheStreamBothSayWhyAndTheSourceRunsOn() throws Exception {
        String expected = baseline("le");
        Path elf = GuestImages.require("le", GUEST);
        // One vCPU on the destination: not the machine the stream describes.
        JvisorProcess dst = new JvisorProcess(elf, "--smp", "1", "--mem", "128M", "--incoming", "tcp:127.0.0.1:0");
        int port = dst.listeningPort();
        JvisorProcess src = new JvisorProcess(elf, with("--migrate-to", "tcp:127.0.0.1:" + port, "--migrate-after", MIGRATE_AFTER));
        assertEquals(2, dst.exitStatus(), "destination: " + dst.stderr());
        assertTrue(dst.stderr().contains("jvisor: incoming migration: the stream's machine has 2 vCPUs, this one 1"), dst.stderr());
        assertEquals("", dst.console(), "the destination never ran the guest");
        assertEquals(0, src.exitStatus(), "source: " + src.stderr());
        assertTrue(src.stderr().strip().matches("jvisor: migration to tcp:127\\.0\\.0\\.1:\\d+ failed \\(.*\\); the guest runs on here"),
                src.stderr());
        assertEquals(expected, src.console());
    }

    @Test
    void aGuestThatEndsBeforeItsMigrationIsDueSaysNothingWasSent() throws Exception {
        String expected = baseline("le");
        Path elf = GuestImages.require("le", GUEST);
        // Nobody listens on the port, and nothing ever connects to it: the guest ends first.
        JvisorProcess src = new JvisorProcess(elf, with("--migrate-to", "tcp:127.0.0.1:9", "--migrate-after", "100"));
        assertEquals(0, src.exitStatus(), "source: " + src.stderr());
        assertEquals("jvisor: the guest ended before it was migrated to tcp:127.0.0.1:9; nothing was sent", src.stderr().strip());
        assertEquals(expected, src.console());
    }
}
