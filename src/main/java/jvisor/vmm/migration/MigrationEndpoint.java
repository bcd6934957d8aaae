package jvisor.vmm.migration;

import java.nio.file.Path;

/**
 * Where a migration stream goes or comes from, as QEMU names it: {@code tcp:HOST:PORT} (the source
 * connects; the destination listens on HOST, all interfaces when HOST is empty, {@code tcp::PORT}),
 * or {@code file:PATH} (a snapshot).
 */
public sealed interface MigrationEndpoint {
    record Tcp(String host, int port) implements MigrationEndpoint {
        @Override
        public String toString() {
            return "tcp:" + host + ":" + port;
        }
    }

    record File(Path path) implements MigrationEndpoint {
        @Override
        public String toString() {
            return "file:" + path;
        }
    }

    /** Parses the option's text; {@link IllegalArgumentException} with a one-line reason when it is not one. */
    static MigrationEndpoint parse(String text) {
        if (text.startsWith("file:") && text.length() > 5) return new File(Path.of(text.substring(5)));
        if (text.startsWith("tcp:")) {
            String rest = text.substring(4);
            int colon = rest.lastIndexOf(':');
            if (colon >= 0) {
                String host = rest.substring(0, colon);
                if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
                try {
                    int port = Integer.parseInt(rest.substring(colon + 1));
                    if (port >= 0 && port <= 65535) return new Tcp(host, port);
                } catch (NumberFormatException e) {
                    // falls through to the message
                }
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not tcp:HOST:PORT, tcp::PORT or file:PATH");
    }
}
