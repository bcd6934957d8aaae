package jvisor.vmm.gdb;

/**
 * Reads the byte stream from gdb, one byte at a time, into what gdb sent: a packet (its checksum
 * right or wrong), an acknowledgement, a negative acknowledgement, or the interrupt byte. Bytes
 * outside a packet that mean nothing are skipped, as gdb's own stubs do; a packet longer than
 * {@link #MAX_PAYLOAD} is dropped as if its checksum were wrong, so a client cannot make the host
 * keep an unbounded buffer.
 */
final class PacketDecoder {
    /** What the stub advertises as PacketSize (gdb sends no more), with room for escapes. */
    static final int MAX_PAYLOAD = 2 * GdbSession.PACKET_SIZE + 64;

    /** What one byte completed. */
    sealed interface Received {
        /** A packet with a good checksum; escapes removed. */
        record Packet(String payload) implements Received {}

        /** A packet whose checksum did not match (or was too long): gdb must send it again. */
        record Corrupt() implements Received {}

        record Ack() implements Received {}

        record Nak() implements Received {}

        record Interrupt() implements Received {}
    }

    private enum State { IDLE, PAYLOAD, CHECK1, CHECK2 }

    private State state = State.IDLE;
    private final byte[] raw = new byte[MAX_PAYLOAD];
    private int length;
    private boolean overflow;
    private int check;

    /** Feeds one byte (0..255); returns what it completed, or null. */
    Received feed(int b) {
        switch (state) {
            case IDLE -> {
                if (b == PacketFraming.START) {
                    state = State.PAYLOAD;
                    length = 0;
                    overflow = false;
                } else if (b == PacketFraming.ACK) {
                    return new Received.Ack();
                } else if (b == PacketFraming.NAK) {
                    return new Received.Nak();
                } else if (b == PacketFraming.INTERRUPT) {
                    return new Received.Interrupt();
                }
                return null;
            }
            case PAYLOAD -> {
                if (b == PacketFraming.END) {
                    state = State.CHECK1;
                } else if (b == PacketFraming.START) {
                    // A new packet began before this one ended: the old one is lost.
                    length = 0;
                    overflow = false;
                } else if (length < raw.length) {
                    raw[length++] = (byte) b;
                } else {
                    overflow = true;
                }
                return null;
            }
            case CHECK1 -> {
                check = Character.digit(b, 16);
                state = State.CHECK2;
                return null;
            }
            default -> {
                state = State.IDLE;
                int lo = Character.digit(b, 16);
                if (overflow || check < 0 || lo < 0 || ((check << 4) | lo) != PacketFraming.checksum(raw, 0, length)) {
                    return new Received.Corrupt();
                }
                return new Received.Packet(unescape());
            }
        }
    }

    private String unescape() {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int c = raw[i] & 0xFF;
            if (c == PacketFraming.ESCAPE && i + 1 < length) {
                c = (raw[++i] & 0xFF) ^ 0x20;
            }
            sb.append((char) c);
        }
        return sb.toString();
    }
}
