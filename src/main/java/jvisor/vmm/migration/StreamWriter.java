package jvisor.vmm.migration;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32C;

/** Writes a migration stream: the header, then sections framed and checksummed ({@link Section}). */
final class StreamWriter {
    private final DataOutputStream out;
    private final ByteArrayOutputStream payload = new ByteArrayOutputStream(StreamFormat.PAGE * 260);
    private final DataOutputStream body = new DataOutputStream(payload);
    private final CRC32C crc = new CRC32C();
    private long bytes;
    private int sections;

    StreamWriter(OutputStream out) {
        this.out = new DataOutputStream(new java.io.BufferedOutputStream(out, 1 << 16));
    }

    void header() throws IOException {
        out.write(StreamFormat.MAGIC);
        out.writeInt(StreamFormat.VERSION);
        bytes += StreamFormat.MAGIC.length + 4;
    }

    /** The payload of the next section: write into it, then {@link #finish} the section. */
    DataOutputStream begin() {
        payload.reset();
        return body;
    }

    void finish(Section type) throws IOException {
        byte[] b = payload.toByteArray();
        if (b.length > StreamFormat.MAX_SECTION) throw new IllegalStateException(type + " section of " + b.length + " bytes");
        byte[] head = {(byte) (type.code >>> 24), (byte) (type.code >>> 16), (byte) (type.code >>> 8), (byte) type.code,
            (byte) (b.length >>> 24), (byte) (b.length >>> 16), (byte) (b.length >>> 8), (byte) b.length};
        crc.reset();
        crc.update(head);
        crc.update(b);
        out.write(head);
        out.write(b);
        out.writeInt((int) crc.getValue());
        bytes += head.length + b.length + 4;
        sections++;
    }

    void flush() throws IOException {
        out.flush();
    }

    long bytes() {
        return bytes;
    }

    int sections() {
        return sections;
    }
}
