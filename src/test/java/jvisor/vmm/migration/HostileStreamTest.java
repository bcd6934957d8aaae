package jvisor.vmm.migration;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import jvisor.vmm.MachineConfig;
import jvisor.vmm.PseriesMachine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streams whose framing and checksums are right but whose contents are anything (whoever can
 * reach the destination's port can send one): every one is refused with a {@link StreamException}
 * of one line, never another exception, whichever section carries the garbage.
 */
class HostileStreamTest {
    private static PseriesMachine machine;
    private static byte[] kernel;
    @TempDir
    static Path dir;

    @BeforeAll
    static void machine() throws Exception {
        try (InputStream in = HostileStreamTest.class.getResourceAsStream("/jvisor/vmm/demo-hello-le.elf")) {
            kernel = in.readAllBytes();
        }
        machine = new PseriesMachine(MachineConfig.validated(64L << 20, 2, null, null, ""), new ByteArrayOutputStream(),
                new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()));
        machine.load("demo", kernel);
    }

    @AfterAll
    static void destroy() {
        machine.destroy();
    }

    private static final Section[] STATE = {Section.PARTITION, Section.XICS, Section.VCPU, Section.VCPU, Section.CONSOLE,
        Section.RTAS, Section.UART};

    /** A well-framed stream for this machine in which section {@code bad} carries random bytes. */
    private static byte[] stream(SplittableRandom r, int bad) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        StreamWriter w = new StreamWriter(b);
        w.header();
        MachineDescription.of(machine.config(), kernel).write(w.begin());
        w.finish(Section.MACHINE);
        if (bad == -1) {
            var ram = w.begin();
            ram.writeInt(1 + r.nextInt(3));
            ram.writeLong(r.nextBoolean() ? r.nextLong() : (64L << 20) / 4096 + r.nextInt(5));
            ram.write(new byte[r.nextInt(8200)]);
            w.finish(Section.RAM);
        }
        w.begin();
        w.finish(Section.FULL_PASS_END);
        for (int i = 0; i < STATE.length; i++) {
            var out = w.begin();
            if (i == bad) {
                byte[] junk = new byte[r.nextInt(r.nextBoolean() ? 64 : 70_000)];
                r.nextBytes(junk);
                if (junk.length >= 4 && r.nextBoolean()) junk[0] = junk[1] = junk[2] = 0; // often a good version
                if (junk.length >= 4) junk[3] = (byte) (r.nextBoolean() ? 1 : junk[3]);
                out.write(junk);
            } else {
                out.write(new byte[0]);
            }
            w.finish(STATE[i]);
            if (i == bad) break;
        }
        var end = w.begin();
        end.writeInt(w.sections());
        end.writeLong(0);
        w.finish(Section.END);
        w.flush();
        return b.toByteArray();
    }

    @Test
    void garbageInAnySectionIsRefusedWithOneLine() throws Exception {
        SplittableRandom r = new SplittableRandom(1515);
        for (int i = 0; i < 300; i++) {
            int bad = -1 + r.nextInt(STATE.length + 1);
            Path p = dir.resolve("hostile-" + i);
            Files.write(p, stream(r, bad));
            StreamException e = assertThrows(StreamException.class,
                    () -> MigrationTarget.receive(machine, "file:" + p, kernel, new PrintStream(new ByteArrayOutputStream())),
                    "stream " + i + " with garbage in section " + bad);
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            // Refused by the checks of the state classes, not by the last-resort catch of a host exception.
            assertFalse(e.getMessage().contains("cannot be restored"), e.getMessage());
            Files.delete(p);
        }
    }
}
