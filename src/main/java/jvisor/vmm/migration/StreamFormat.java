package jvisor.vmm.migration;

import java.nio.charset.StandardCharsets;

/** The fixed parts of a migration stream: its header and the bounds a reader enforces. */
final class StreamFormat {
    private StreamFormat() {}

    /** The first eight bytes of every stream. */
    static final byte[] MAGIC = "JVISORMS".getBytes(StandardCharsets.US_ASCII);
    /** The layout of the stream and of every section; a reader refuses any other. */
    static final int VERSION = 1;
    /** Guest pages per RAM section (1 MiB of data). */
    static final int PAGES_PER_SECTION = 256;
    static final int PAGE = 4096;
    /** No section is longer (a RAM section of {@link #PAGES_PER_SECTION} pages is the longest). */
    static final int MAX_SECTION = 2 << 20;
    /** The destination's answer once it has checked the whole stream (TCP only). */
    static final int ACCEPTED = 'A';
}
