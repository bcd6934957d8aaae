package jvisor.vmm.gdb;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal client of the remote protocol, written from the protocol's description and not from
 * the stub: frames packets, checks the stub's checksums and acknowledgements, and gives up after
 * a timeout instead of hanging a test.
 */
final class GdbClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private boolean ackMode = true;

    GdbClient(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(60_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    static String frame(String payload) {
        int sum = 0;
        for (char c : payload.toCharArray()) sum += c;
        return "$" + payload + "#" + String.format("%02x", sum & 0xFF);
    }

    void sendRaw(String bytes) throws IOException {
        out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Sends a packet and, in acknowledgement mode, expects the stub's '+'. */
    void send(String payload) throws IOException {
        sendRaw(frame(payload));
        if (ackMode) assertEquals('+', in.read(), "the stub acknowledges " + payload);
    }

    /** Reads the next packet (skipping nothing but what the protocol allows) and acknowledges it. */
    String receive() throws IOException {
        int c = in.read();
        assertEquals('$', c, "a packet starts with $, not " + (char) c);
        StringBuilder p = new StringBuilder();
        int sum = 0;
        while ((c = in.read()) != '#') {
            assertTrue(c >= 0, "connection closed inside a packet");
            p.append((char) c);
            sum += c;
        }
        String check = "" + (char) in.read() + (char) in.read();
        assertEquals(String.format("%02x", sum & 0xFF), check, "checksum of " + p);
        if (ackMode) sendRaw("+");
        return unescape(p.toString());
    }

    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c == '}' ? (char) (s.charAt(++i) ^ 0x20) : c);
        }
        return sb.toString();
    }

    String request(String payload) throws IOException {
        send(payload);
        return receive();
    }

    void noAck() throws IOException {
        assertEquals("OK", request("QStartNoAckMode"));
        ackMode = false;
    }

    /** The next byte from the stub (for checking what it sends outside packets), or -1 at the end. */
    int read() throws IOException {
        return in.read();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
