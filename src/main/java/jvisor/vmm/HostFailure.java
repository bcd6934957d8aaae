package jvisor.vmm;

/**
 * How a failure of the host itself (a bug, the JVM out of memory or stack) is reported to a
 * person: one line with what was thrown and where, never a stack trace on their terminal.
 */
public final class HostFailure {
    private HostFailure() {}

    /** Longest message kept: a line, not a page. */
    private static final int MAX_MESSAGE = 240;

    /** {@code Class: message (at frame)}, on one line. */
    public static String oneLine(Throwable t) {
        StringBuilder b = new StringBuilder(t.getClass().getName());
        String m = t.getMessage();
        if (m != null && !m.isBlank()) {
            m = m.replaceAll("\\s+", " ").strip();
            b.append(": ").append(m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) + "..." : m);
        }
        StackTraceElement[] trace = t.getStackTrace();
        if (trace.length > 0) b.append(" (at ").append(trace[0]).append(')');
        return b.toString();
    }
}
