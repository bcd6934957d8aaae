package jvisor.vmm;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever a device or the hypervisor throws on a vCPU thread — an Error as much as an exception
 * — the machine stops with one line on its log and status 1, and {@code run} returns (no
 * {@code --timeout} here: a hang is what is being looked for).
 */
class HostErrorStopsTheMachineTest {

    static Stream<Arguments> throwables() {
        return Stream.of(
                Arguments.of("OutOfMemoryError", (Supplier<Throwable>) () -> new OutOfMemoryError("Java heap space")),
                Arguments.of("StackOverflowError", (Supplier<Throwable>) StackOverflowError::new),
                Arguments.of("AssertionError", (Supplier<Throwable>) () -> new AssertionError("broken invariant")),
                Arguments.of("IllegalStateException", (Supplier<Throwable>) () -> new IllegalStateException("device bug")));
    }

    /** A console that fails on its first byte, as a device would with a bug in it. */
    private static final class FailingConsole extends OutputStream {
        private final Supplier<Throwable> what;

        FailingConsole(Supplier<Throwable> what) {
            this.what = what;
        }

        @Override
        public void write(int b) {
            Throwable t = what.get();
            if (t instanceof Error e) throw e;
            throw (RuntimeException) t;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("throwables")
    void aThrowableOnTheVcpuThreadStopsTheMachineWithOneLineAndStatus1(String name, Supplier<Throwable> what) {
        // H_PUT_TERM_CHAR(0x71000000, the vty, 1, "A"), then a loop: the guest never powers off by itself.
        int[] print = {0x38600058, 0x3c807100, 0x38a00001, 0x3cc04100, 0x78c607c6, 0x44000022, 0x48000000};
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int status = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            PseriesMachine m = new PseriesMachine(MachineConfig.validated(64L << 20, 2, null, null, ""),
                    new FailingConsole(what), new ByteArrayInputStream(new byte[0]), new PrintStream(log, true));
            m.load("failing console", TinyGuest.elf(print));
            return m.run();
        }, "the machine hung after a " + name + " on a vCPU thread");
        String msg = log.toString();
        assertEquals(1, status, msg);
        assertEquals(1, msg.lines().count(), "one line: " + msg);
        assertTrue(msg.startsWith("jvisor: vCPU 0"), msg);
        assertTrue(msg.contains(name), msg);
        assertFalse(msg.contains("\tat "), "no stack trace: " + msg);
    }

    @Test
    void threadsThatStoppedTheMachineAndEndedAreNoHostFailureThoseThatDidNotAre() throws Exception {
        // A vCPU that powers off counts the machine's latch down, then its thread ends; the watch
        // may look at the threads only after both. That is a clean stop, not a failure.
        CountDownLatch stopped = new CountDownLatch(1);
        Thread poweredOff = Thread.ofPlatform().start(stopped::countDown);
        poweredOff.join();
        assertFalse(PseriesMachine.endedWithoutStop(List.of(poweredOff), stopped));
        // Threads that ended with the machine never stopped: that is the failure to report.
        CountDownLatch never = new CountDownLatch(1);
        Thread died = Thread.ofPlatform().start(() -> { });
        died.join();
        assertTrue(PseriesMachine.endedWithoutStop(List.of(died), never));
        // While a thread runs, there is nothing to say yet.
        CountDownLatch release = new CountDownLatch(1);
        Thread running = Thread.ofPlatform().start(() -> {
            try {
                release.await();
            } catch (InterruptedException ignored) {
                // ends
            }
        });
        assertFalse(PseriesMachine.endedWithoutStop(List.of(died, running), never));
        release.countDown();
        running.join();
    }
}
