package jvisor.vmm.migration;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * The stream's framing: a reader gets back exactly the sections written, and a stream cut at any
 * byte, or with any single byte changed, is a {@link StreamException} (never another exception,
 * never a section that was not written).
 */
class StreamFormatTest {
    private static byte[] stream() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        StreamWriter w = new StreamWriter(b);
        w.header();
        w.begin().writeUTF("machine");
        w.finish(Section.MACHINE);
        var ram = w.begin();
        ram.writeInt(1);
        ram.writeLong(7);
        ram.write(new byte[StreamFormat.PAGE]);
        w.finish(Section.RAM);
        w.begin().writeLong(0x1122_3344_5566_7788L);
        w.finish(Section.PARTITION);
        w.begin().writeInt(3);
        w.finish(Section.END);
        w.flush();
        assertEquals(b.size(), w.bytes());
        return b.toByteArray();
    }

    /** Reads every section up to END; returns how many there were. */
    private static int readAll(byte[] s) throws StreamException, IOException {
        StreamReader r = new StreamReader(new ByteArrayInputStream(s));
        r.header();
        while (r.next().type() != Section.END) {
            // only the framing is under test
        }
        return r.sections();
    }

    @Test
    void whatIsWrittenIsReadBack() throws Exception {
        byte[] s = stream();
        StreamReader r = new StreamReader(new ByteArrayInputStream(s));
        r.header();
        assertEquals(Section.MACHINE, r.next().type());
        StreamReader.Read ram = r.next();
        assertEquals(Section.RAM, ram.type());
        assertEquals(4 + 8 + StreamFormat.PAGE, ram.payload().length);
        StreamReader.Read p = r.next();
        assertEquals(0x1122_3344_5566_7788L, p.data().readLong());
        assertEquals(Section.END, r.next().type());
        assertEquals(4, r.sections());
    }

    @Test
    void aStreamCutAtAnyByteIsAStreamException() throws Exception {
        byte[] s = stream();
        for (int len = 0; len < s.length; len++) {
            byte[] cut = java.util.Arrays.copyOf(s, len);
            StreamException e = assertThrows(StreamException.class, () -> readAll(cut), "cut at " + len);
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    @Test
    void anySingleChangedByteIsAStreamException() throws Exception {
        byte[] s = stream();
        for (int i = 0; i < s.length; i += (i < 64 || i > s.length - 64 ? 1 : 97)) {
            byte[] bad = s.clone();
            bad[i] ^= (byte) (1 << (i % 8));
            assertThrows(StreamException.class, () -> readAll(bad), "byte " + i + " changed");
        }
    }
}
