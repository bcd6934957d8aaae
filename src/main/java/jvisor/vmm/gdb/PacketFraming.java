package jvisor.vmm.gdb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The GDB remote protocol's packet format: {@code $payload#cc} where cc is the sum of the payload's
 * bytes modulo 256 in two hex digits. Inside a payload {@code $ # } *} are sent as {@code }} and
 * the byte XOR 0x20, so binary data survives. Payloads are handled as ISO-8859-1 strings, one char
 * per byte.
 */
final class PacketFraming {
    private PacketFraming() {}

    static final byte START = '$', END = '#', ESCAPE = '}', REPEAT = '*', ACK = '+', NAK = '-';
    /** The byte gdb sends on its own to ask a running target to stop (Ctrl-C). */
    static final int INTERRUPT = 0x03;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** The checksum of {@code len} bytes at {@code off}: their sum modulo 256. */
    static int checksum(byte[] b, int off, int len) {
        int sum = 0;
        for (int i = 0; i < len; i++) sum += b[off + i] & 0xFF;
        return sum & 0xFF;
    }

    /** The bytes on the wire for {@code payload}: escaped, framed and checksummed. */
    static byte[] frame(String payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length() + 8);
        out.write(START);
        int sum = 0;
        for (int i = 0; i < payload.length(); i++) {
            int c = payload.charAt(i) & 0xFF;
            if (c == '$' || c == '#' || c == '}' || c == '*') {
                out.write(ESCAPE);
                out.write(c ^ 0x20);
                sum += ESCAPE + (c ^ 0x20);
            } else {
                out.write(c);
                sum += c;
            }
        }
        out.write(END);
        out.write(HEX[(sum >> 4) & 0xF]);
        out.write(HEX[sum & 0xF]);
        return out.toByteArray();
    }

    static String text(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }

    /** {@code bytes} as lower-case hex, two digits a byte. */
    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) sb.append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
        return sb.toString();
    }

    /** {@code s} (a string of bytes) as hex. */
    static String hex(String s) {
        return hex(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The bytes {@code hex} spells, or null if it is not an even number of hex digits. */
    static byte[] unhex(String hex) {
        if ((hex.length() & 1) != 0) return null;
        byte[] b = new byte[hex.length() / 2];
        for (int i = 0; i < b.length; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16), lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) return null;
            b[i] = (byte) ((hi << 4) | lo);
        }
        return b;
    }

    /**
     * An unsigned hex number of at most 16 digits, as gdb writes addresses, lengths and thread
     * ids; {@code -1} and other values gdb allows are the caller's to check. Returns null if it
     * is not one.
     */
    static Long number(String s) {
        if (s.isEmpty() || s.length() > 16) return null;
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) return null;
            v = (v << 4) | d;
        }
        return v;
    }
}
