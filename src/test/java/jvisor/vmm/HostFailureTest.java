package jvisor.vmm;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** A host failure is told in one line: what was thrown, its message on one line, where. */
class HostFailureTest {
    @Test
    void aMultiLineMessageBecomesOneLineWithTheThrowingFrame() {
        String line = HostFailure.oneLine(new IllegalStateException("first\nsecond\r\n\tthird"));
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.startsWith("java.lang.IllegalStateException: first second third (at jvisor.vmm.HostFailureTest."), line);
    }

    @Test
    void noMessageNoStackAndAHugeMessageAreStillOneShortLine() {
        StackOverflowError bare = new StackOverflowError();
        bare.setStackTrace(new StackTraceElement[0]);
        assertEquals("java.lang.StackOverflowError", HostFailure.oneLine(bare));
        String huge = HostFailure.oneLine(new AssertionError("x".repeat(100_000)));
        assertTrue(huge.length() < 400, huge.length() + " characters");
    }
}
