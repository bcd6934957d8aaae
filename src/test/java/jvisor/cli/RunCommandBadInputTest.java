package jvisor.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import jvisor.vmm.TinyGuest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a person sees from {@code jvisor run} given something that is not a bootable guest, a guest
 * that fails, touches nothing or never stops: an exit status and at most a line of explanation,
 * never a host stack trace.
 */
class RunCommandBadInputTest {
    private static final Path GUESTS = Path.of("guests");

    @TempDir
    Path dir;

    private static CliRun.Result run(String... args) {
        return CliRun.run(args);
    }

    private static void assertOneLineError(CliRun.Result r) {
        assertEquals(2, r.status(), "exit status; stderr: " + r.err());
        assertEquals(1, r.err().lines().count(), "exactly one line on stderr: " + r.err());
        assertTrue(r.err().startsWith("jvisor: "), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void aMissingFileIsAOneLineErrorWithStatus2() {
        assertOneLineError(run("run", dir.resolve("no-such-guest.elf").toString()));
    }

    @Test
    void aTruncatedElfIsAOneLineErrorWithStatus2() throws Exception {
        Path hello = GUESTS.resolve("build/le/hello.elf");
        byte[] head;
        if (Files.isRegularFile(hello)) {
            head = java.util.Arrays.copyOf(Files.readAllBytes(hello), 100);
        } else {
            // An ELF64 little-endian ppc64 header, cut off before its program headers.
            head = new byte[40];
            head[0] = 0x7F; head[1] = 'E'; head[2] = 'L'; head[3] = 'F'; head[4] = 2; head[5] = 1; head[6] = 1;
            head[16] = 2; head[18] = 21;
        }
        Path cut = dir.resolve("cut.elf");
        Files.write(cut, head);
        assertOneLineError(run("run", cut.toString()));
        Path empty = dir.resolve("empty.elf");
        Files.write(empty, new byte[0]);
        assertOneLineError(run("run", empty.toString()));
    }

    @Test
    void aForeignBinaryIsAOneLineErrorWithStatus2() throws Exception {
        Path host = Path.of("/bin/true");
        Assumptions.assumeTrue(Files.isRegularFile(host), "needs a host binary");
        assertOneLineError(run("run", host.toString()));
        // A 32-bit big-endian PowerPC ELF header.
        byte[] elf32 = new byte[52];
        elf32[0] = 0x7F; elf32[1] = 'E'; elf32[2] = 'L'; elf32[3] = 'F'; elf32[4] = 1; elf32[5] = 2; elf32[6] = 1;
        elf32[17] = 2; elf32[19] = 20;
        Path p32 = dir.resolve("ppc32.elf");
        Files.write(p32, elf32);
        assertOneLineError(run("run", p32.toString()));
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "not a kernel\n");
        assertOneLineError(run("run", text.toString()));
    }

    /** A tiny big-endian ppc64 ELF: 64-bit mode, then {@code words}; {@code data} at 0x400100. */
    private Path guest(String name, int[] words, int... data) throws Exception {
        return TinyGuest.write(dir, name, words, data);
    }

    @Test
    void aGuestThatLoopsForeverIsStoppedByTimeoutWithStatus3() throws Exception {
        Path loop = guest("loop.elf", new int[] {0x48000000}); // b .
        CliRun.Result r = run("run", "--timeout", "1", loop.toString());
        assertEquals(3, r.status(), r.err());
        assertTrue(r.err().contains("did not power off"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void mmioToNowhereIsAMachineCheckForTheGuestAndAMessageNotAHostException() throws Exception {
        // lis r9,0x10; sldi r9,r9,16 (r9 = 0x10_0000_0000, the UART); lwz r3,0x1000(r9): no device
        // there. The guest has no vectors (0x200 holds zeros: illegal instructions from then on),
        // so it never powers off; the timeout ends it.
        Path p = guest("nowhere.elf", new int[] {0x3d200010, 0x792983e4, 0x80691000, 0x48000000});
        CliRun.Result r = run("run", "--timeout", "2", p.toString());
        assertEquals(3, r.status(), r.err());
        assertTrue(r.err().contains("load of 4 bytes at guest real 0x1000001000: no device there; machine check to the guest"),
                r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertFalse(r.err().contains("host error"), r.err());
    }

    @Test
    void aGuestThatPrintsFailExitsWithStatus1() throws Exception {
        // H_PUT_TERM_CHAR(0x71000000, the vty, 6, "FAIL:\n"), then KVMPPC_H_RTAS with the power-off block at 0x400100.
        int[] code = {0x38600058, 0x3c807100, 0x38a00006, 0x3cc04641, 0x60c6494c, 0x78c607c6, 0x64c63a0a,
                0x38e00000, 0x44000022, 0x38600000, 0x6063f000, 0x3c800040, 0x60840100, 0x44000022, 0x48000000};
        CliRun.Result r = run("run", "--timeout", "20", guest("fail.elf", code, TinyGuest.POWER_OFF_BLOCK).toString());
        assertEquals("FAIL:\n", r.out(), r.err());
        assertEquals(1, r.status(), "a FAIL: line makes the run fail even after power-off; " + r.err());
    }
}
