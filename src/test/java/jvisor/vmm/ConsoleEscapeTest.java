package jvisor.vmm;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ctrl-A and the key after it are the VMM's, as on QEMU's console; everything else is the guest's. */
class ConsoleEscapeTest {
    final List<String> actions = new ArrayList<>();
    final ConsoleEscape escape = new ConsoleEscape(new ConsoleEscape.Actions() {
        @Override
        public void quit() {
            actions.add("quit");
        }

        @Override
        public void show(String text) {
            actions.add("show");
        }

        @Override
        public void migrate() {
            actions.add("migrate");
        }
    });

    private String filter(String in) {
        byte[] b = in.getBytes(StandardCharsets.ISO_8859_1);
        int n = escape.filter(b, b.length);
        return new String(b, 0, n, StandardCharsets.ISO_8859_1);
    }

    @Test
    void ctrlAXQuitsAndNeitherKeyReachesTheGuest() {
        assertEquals("ls\r", filter("ls\r\u0001x"));
        assertEquals(List.of("quit"), actions);
    }

    @Test
    void ctrlAHShowsTheKeys() {
        assertEquals("ab", filter("a\u0001hb"));
        assertEquals(List.of("show"), actions);
        assertTrue(ConsoleEscape.HELP.contains("C-a x"));
    }

    @Test
    void ctrlAMAsksForAMigration() {
        assertEquals("ab", filter("a\u0001mb"));
        assertEquals(List.of("migrate"), actions);
        assertTrue(ConsoleEscape.HELP.contains("C-a m"));
    }

    @Test
    void twoCtrlAsSendOneAndOtherKeysAfterCtrlAAreDropped() {
        assertEquals("\u0001z", filter("\u0001\u0001\u0001qz"));
        assertTrue(actions.isEmpty());
    }

    @Test
    void theSequenceMaySpanTwoReads() {
        assertEquals("a", filter("a\u0001"));
        assertEquals("", filter("x"));
        assertEquals(List.of("quit"), actions);
    }

    @Test
    void theConsoleFiltersItsInputOnlyWhenAskedTo() {
        Console plain = new Console(new PrintStream(new ByteArrayOutputStream()), new ByteArrayInputStream(new byte[] {1, 'x', 'y'}));
        byte[] buf = new byte[16];
        assertEquals(3, plain.poll(buf, 16), "a console without escapes passes Ctrl-A through");

        Console interactive = new Console(new PrintStream(new ByteArrayOutputStream()), new ByteArrayInputStream(new byte[] {1, 'x', 'y'}));
        interactive.enableEscape(escape);
        assertEquals(1, interactive.poll(buf, 16));
        assertEquals('y', buf[0]);
        assertEquals(List.of("quit"), actions);
    }

    @Test
    void theInputPumpActsOnEscapesBeforeTheGuestReadsAndKeepsTheRestInOrder() throws Exception {
        java.io.PipedOutputStream keyboard = new java.io.PipedOutputStream();
        Console c = new Console(new PrintStream(new ByteArrayOutputStream()), new java.io.PipedInputStream(keyboard));
        java.util.concurrent.CountDownLatch quit = new java.util.concurrent.CountDownLatch(1);
        c.startInputPump(new ConsoleEscape(new ConsoleEscape.Actions() {
            @Override
            public void quit() {
                quit.countDown();
            }

            @Override
            public void show(String text) {}
        }), () -> {});
        keyboard.write("hello\u0001".getBytes(StandardCharsets.ISO_8859_1));
        keyboard.write('x');
        keyboard.flush();
        assertTrue(quit.await(10, java.util.concurrent.TimeUnit.SECONDS), "C-a x acted on with no guest reading");
        byte[] buf = new byte[16];
        int n = c.poll(buf, 3);
        assertEquals("hel", new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        n = c.poll(buf, 16);
        assertEquals("lo", new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        assertEquals(0, c.poll(buf, 16));
    }
}
