package jvisor.cli;

import static jvisor.cli.CliRun.assertRefused;
import static jvisor.cli.CliRun.assertUserError;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import jvisor.kvm.power.PowerVmState;
import jvisor.vmm.MachineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every option of {@code jvisor run} at its extremes: zero, negative, huge, malformed, missing.
 * What the engine cannot do is refused in one line with status 2 before anything starts; the
 * largest value the engine can do is accepted.
 */
class RunCommandOptionsTest {
    @TempDir
    Path dir;

    @Test
    void smpIsCheckedAgainstTheHypervisorsLimit() {
        for (String n : new String[] {"0", "-1", "65", "256", "257", "2147483647"}) {
            assertRefused("cpu count", "run", "--smp", n);
        }
        for (String n : new String[] {"99999999999", "x", "1.5", ""}) {
            assertRefused("--smp", "run", "--smp", n);
        }
        assertRefused("--smp", "run", "--smp");
    }

    @Test
    void theLargestSmpTheCommandLineAcceptsIsOneTheVmCanCreate() {
        assertEquals(PowerVmState.MAX_VCPUS, MachineConfig.MAX_CPUS, "one limit for the vCPU count");
        CliRun.Result r = CliRun.run("run", "--smp", Integer.toString(MachineConfig.MAX_CPUS), "--timeout", "120");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("hello from"), r.out());
        assertRefused("cpu count", "run", "--smp", Integer.toString(MachineConfig.MAX_CPUS + 1));
    }

    @Test
    void memIsASizeWithinTheMachinesRange() {
        for (String m : new String[] {"0", "-5", "", "1.5G", "0x100M", "8E", "12Q", "9223372036854775807"}) {
            assertRefused("size", "run", "--mem", m);
        }
        for (String m : new String[] {"16M", "63M", "65G", "99T", "8388607T", "513M"}) {
            assertRefused("memory size", "run", "--mem", m);
        }
        assertRefused("--mem", "run", "--mem");
    }

    @Test
    void timeoutIsZeroOrAPositiveNumberOfSeconds() {
        for (String t : new String[] {"-1", "-9223372036854775808", "9223372036854776", "9223372036854775807"}) {
            assertRefused("--timeout", "run", "--timeout", t);
        }
        for (String t : new String[] {"x", "1.5", "99999999999999999999"}) {
            assertRefused("--timeout", "run", "--timeout", t);
        }
        // The largest is accepted and does not overflow into "never" or "at once".
        CliRun.Result r = CliRun.run("run", "--timeout", Long.toString(RunCommand.MAX_TIMEOUT_SECONDS));
        assertEquals(0, r.status(), r.err());
    }

    @Test
    void statsEveryIsAnIntervalOfAMillisecondOrMoreAndNeedsStats() {
        for (String t : new String[] {"-1", "0.0009", "1e300", "NaN", "Infinity"}) {
            assertRefused("--stats-every", "run", "--stats", "--stats-every", t);
        }
        assertRefused("--stats-every", "run", "--stats", "--stats-every", "x");
        assertRefused("needs --stats", "run", "--stats-every", "0.1");
        // Asked for, every interval is a row (a busy host may join two): the demo's run in 1 ms
        // steps (the least the option takes), which takes more than two of them (some 5 ms in a
        // warm JVM). On a busy host the watching thread may get no processor within so short a
        // run: then it runs again, at most five times.
        Pattern row = Pattern.compile("\\n +[0-9.]+-[0-9.]+ s +[0-9.]+ M ");
        CliRun.Result r;
        int runs = 0;
        do {
            r = CliRun.run("run", "--stats", "--stats-every", "0.001");
            assertEquals(0, r.status(), r.err());
        } while (row.matcher(r.err()).results().count() < 2 && ++runs < 5);
        assertTrue(r.err().contains("the run by 0.001 s"), r.err());
        assertTrue(row.matcher(r.err()).results().count() >= 2, r.err());
    }

    @Test
    void appendMustFitTheDeviceTree() {
        assertRefused("command line", "run", "--append", "a".repeat(MachineConfig.MAX_COMMAND_LINE + 1));
        assertRefused("command line", "run", "--append", "console=hvc0\u00e9");
        assertRefused("command line", "run", "--append", "a\nb");
    }

    @Test
    void initrdAndKernelMustBeReadableFilesThatFit() throws Exception {
        assertRefused("no such file", "run", "--initrd", dir.resolve("none").toString());
        assertRefused("not a regular file", "run", "--initrd", dir.toString());
        assertRefused("no such file", "run", dir.resolve("none.elf").toString());
        assertRefused("not a regular file", "run", dir.toString());
        Path big = dir.resolve("big.img");
        try (var f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(40L << 20); // sparse: more than half of a 64 MiB machine
        }
        assertRefused("initrd", "run", "--mem", "64M", "--initrd", big.toString());
        Path empty = dir.resolve("empty.elf");
        Files.write(empty, new byte[0]);
        assertUserError("run", empty.toString());
    }

    @Test
    void gdbTakesATcpPortOnTheLoopbackInterface() {
        for (String g : new String[] {"1234", "tcp:1234", "udp::1234", "tcp::", "tcp::x", "tcp::-1", "tcp::65536",
                "tcp::99999999999", "tcp::+80", "unix:/tmp/gdb"}) {
            assertRefused("--gdb", "run", "--gdb", g);
        }
        for (String host : new String[] {"0.0.0.0", "example.com", "::1"}) {
            assertRefused("127.0.0.1 only", "run", "--gdb", "tcp:" + host + ":1234");
        }
        assertRefused("--gdb", "run", "--gdb");
        assertRefused("either -s or --gdb", "run", "-s", "--gdb", "tcp::1234");
        assertRefused("needs --gdb", "run", "--gdb-wait");
        assertRefused("needs --gdb", "run", "-S");
    }

    @Test
    void aGdbPortInUseIsRefused() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertRefused("cannot listen for gdb", "run", "--gdb", "tcp::" + taken.getLocalPort());
        }
    }

    @Test
    void unknownOptionsAndExtraArgumentsAreOneLineErrors() {
        assertUserError("run", "--no-such-option");
        assertUserError("run", "a.elf", "b.elf");
        assertUserError("nosuchcommand");
    }
}
