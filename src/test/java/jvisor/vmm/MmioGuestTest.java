package jvisor.vmm;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The mmio guest under jvisor (QEMU's pseries has no ns16550, so it is not compared with QEMU):
 * the UART driven with the MMU off and on in every access form, THR output on the console, and a
 * load from an address with no device ending in a machine check at the load, with a message.
 */
class MmioGuestTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"le", "be"})
    void theUartAnswersEveryAccessFormAndALoadFromNowhereIsAMachineCheck(String endian) throws Exception {
        Path elf = GuestImages.require(endian, "mmio");
        ByteArrayOutputStream out = new ByteArrayOutputStream(), log = new ByteArrayOutputStream();
        PseriesMachine m = new PseriesMachine(MachineConfig.validated(512L << 20, 1, elf, null, ""), out,
                new ByteArrayInputStream(new byte[0]), new PrintStream(log, true));
        m.load();
        int status = m.run(120_000);
        String console = out.toString(StandardCharsets.ISO_8859_1);
        String messages = log.toString(StandardCharsets.ISO_8859_1);

        assertEquals(0, status, console + messages);
        assertFalse(console.contains("FAIL:"), console);
        Matcher done = Pattern.compile("(?m)^done: (\\d+) passed, 0 failed, 0 skipped$").matcher(console);
        assertTrue(done.find(), console);
        assertEquals(62, Integer.parseInt(done.group(1)), "checks passed: " + console);
        assertTrue(console.contains("uart: serial@1000000000 at 0x1000000000, 8 registers\n"), console);
        for (String mode : new String[] {"MMU off", "MMU on"}) {
            assertTrue(console.contains("THR: " + mode + "\n"), "characters written through THR, " + mode);
            assertTrue(console.contains("THR: done with " + mode + "\n"));
        }
        assertTrue(console.contains("MMU off: machine check vec 0x200 srr0 t_nowhere+0 dar 0x1000001000 "), console);
        assertTrue(console.contains("MMU on: machine check vec 0x200 srr0 t_nowhere+0 dar 0x80001000 "),
                "DAR is the effective address with the MMU on: " + console);
        long reports = messages.lines().filter(l -> l.contains("no device there; machine check to the guest")).count();
        assertEquals(2, reports, "one message per access to nowhere: " + messages);
        assertTrue(messages.contains("load of 4 bytes at guest real 0x1000001000"), messages);
    }
}
