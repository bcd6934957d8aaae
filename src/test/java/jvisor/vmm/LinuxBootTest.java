package jvisor.vmm;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Debian's own ppc64el kernel boots on two processors under jvisor and under QEMU 10 to a small
 * init (guests/linux/init.c) that reports what user space sees through system calls (fork with
 * copy-on-write, a pipe, anonymous memory, /proc, a line read from the console through the vty's
 * interrupt), then powers off: the init's lines must be the
 * same on both machines and jvisor must end with status 0. The kernel is fetched from Debian's
 * archive by guests/linux/fetch.sh and kept in guests/linux/build; without it, and without
 * JVISOR_REQUIRE_QEMU (CI), the test is skipped.
 */
class LinuxBootTest {
    private static final int CPUS = 2;
    private static final long MEMORY = 1L << 30;
    /** readline=1: the init reads a line from the console (the vty's input interrupt) and echoes it. */
    private static final String ARGS = "console=hvc0 quiet readline=1";
    private static final String TYPED = "hello from the console\n";

    @BeforeAll
    static void kernelAndInitrd() throws Exception {
        LinuxGuests.prepare();
    }

    @Test
    void debiansKernelRunsTheSameUserSpaceUnderJvisorAndQemu() throws Exception {
        List<String> expected = LinuxGuests.lines(LinuxGuests.qemu("tiny", CPUS, MEMORY, ARGS, TYPED), "init: ");
        assertTrue(expected.contains("init: powering off"), "QEMU's run reached the end of init: " + expected);
        assertTrue(expected.contains("init: the console said: " + TYPED.strip()), "QEMU's init read the line: " + expected);

        LinuxGuests.Boot jvisor = LinuxGuests.jvisor("tiny", CPUS, MEMORY, ARGS, TYPED);
        assertEquals(expected, LinuxGuests.lines(jvisor.console(), "init: "),
                "jvisor's console:\n" + jvisor.console() + "\nmessages: " + jvisor.messages());
        assertEquals(0, jvisor.status(), "jvisor's exit status; messages: " + jvisor.messages());
    }
}
