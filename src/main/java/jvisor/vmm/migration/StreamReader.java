package jvisor.vmm.migration;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Reads a migration stream and checks each section before anyone looks at its payload: a known
 * type, a length within bounds, the CRC-32C. Everything wrong becomes a {@link StreamException}.
 */
final class StreamReader {
    private final DataInputStream in;
    private final CRC32C crc = new CRC32C();
    private int sections;

    /** A checked section; its payload is safe to parse (the parser still bounds what it reads). */
    record Read(Section type, byte[] payload) {
        DataInputStream data() {
            return new DataInputStream(new java.io.ByteArrayInputStream(payload));
        }
    }

    StreamReader(InputStream in) {
        this.in = new DataInputStream(new java.io.BufferedInputStream(in, 1 << 16));
    }

    void header() throws StreamException, IOException {
        byte[] magic = new byte[StreamFormat.MAGIC.length];
        try {
            in.readFully(magic);
        } catch (EOFException e) {
            throw StreamException.mismatch("not a jvisor migration stream (it ends before its header)");
        }
        if (!Arrays.equals(magic, StreamFormat.MAGIC)) throw StreamException.mismatch("not a jvisor migration stream");
        int version = readInt("the header");
        if (version != StreamFormat.VERSION) {
            throw StreamException.mismatch("migration stream version " + version + "; this jvisor reads version " + StreamFormat.VERSION);
        }
    }

    Read next() throws StreamException, IOException {
        String where = "section " + (sections + 1);
        int code = readInt(where);
        int length = readInt(where);
        Section type = Section.of(code);
        if (type == null) throw StreamException.damaged(where + ": unknown type " + code);
        if (length < 0 || length > StreamFormat.MAX_SECTION) {
            throw StreamException.damaged(where + " (" + type + "): bad length " + Integer.toUnsignedString(length));
        }
        byte[] payload = new byte[length];
        try {
            in.readFully(payload);
        } catch (EOFException e) {
            throw truncated(where + " (" + type + ")");
        }
        int sum = readInt(where + " (" + type + ")");
        crc.reset();
        crc.update(new byte[] {(byte) (code >>> 24), (byte) (code >>> 16), (byte) (code >>> 8), (byte) code,
            (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length});
        crc.update(payload);
        if ((int) crc.getValue() != sum) throw StreamException.damaged(where + " (" + type + "): checksum mismatch");
        sections++;
        return new Read(type, payload);
    }

    int sections() {
        return sections;
    }

    private int readInt(String where) throws StreamException, IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw truncated(where);
        }
    }

    private static StreamException truncated(String where) {
        return StreamException.damaged("the migration stream ends in " + where + " (truncated)");
    }
}
