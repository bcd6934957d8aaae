package jvisor.cli;

/**
 * The address of {@code run --gdb}, as QEMU's {@code -gdb} writes it: {@code tcp::PORT}, or
 * {@code tcp:127.0.0.1:PORT} / {@code tcp:localhost:PORT}. The stub listens on the loopback
 * interface only (anyone who reaches it controls the guest), so another host is refused.
 */
final class GdbEndpoint {
    private GdbEndpoint() {}

    /** The port (0: any free one); a {@link UserError} for anything else. */
    static int port(String spec) {
        String rest = spec.startsWith("tcp:") ? spec.substring(4) : null;
        int colon = rest == null ? -1 : rest.lastIndexOf(':');
        if (colon < 0) {
            throw new UserError("--gdb takes tcp::PORT (gdb listens on 127.0.0.1), not '" + spec + "'");
        }
        String host = rest.substring(0, colon), port = rest.substring(colon + 1);
        if (!host.isEmpty() && !host.equals("127.0.0.1") && !host.equals("localhost")) {
            throw new UserError("--gdb listens on 127.0.0.1 only, not on '" + host + "'");
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            p = -1;
        }
        if (p < 0 || p > 65535 || !port.chars().allMatch(Character::isDigit)) {
            throw new UserError("--gdb port must be a number from 0 to 65535, not '" + port + "'");
        }
        return p;
    }
}
