package jvisor.vmm;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class FdtWriterTest {

    private static byte[] small() {
        return new FdtWriter().reserve(0x400000, 0x1000)
                .beginNode("")
                .propertyCells("#address-cells", 2)
                .propertyStrings("compatible", "a", "b")
                .beginNode("child@1").propertyLongs("reg", 1, 2).property("flag").endNode()
                .endNode()
                .finish(3);
    }

    @Test
    void theHeaderIsVersion17CompatibleWith16() {
        byte[] blob = small();
        ByteBuffer b = ByteBuffer.wrap(blob);
        assertEquals(0xd00dfeed, b.getInt(0));
        assertEquals(blob.length, b.getInt(4));
        assertEquals(17, b.getInt(20));
        assertEquals(16, b.getInt(24));
        assertEquals(3, b.getInt(28), "boot_cpuid_phys");
        assertEquals(0, b.getInt(8) % 4, "structure block aligned");
        assertEquals(0, b.getInt(16) % 8, "reservation map aligned");
        assertEquals(blob.length, b.getInt(12) + b.getInt(32), "strings block ends the blob");
    }

    @Test
    void nodesPropertiesAndReservationsReadBack() {
        FdtReader r = new FdtReader(small());
        assertEquals(1, r.reservations.size());
        assertArrayEquals(new long[] {0x400000, 0x1000}, r.reservations.get(0));
        assertEquals(2, r.cell("/", "#address-cells"));
        assertEquals(java.util.List.of("a", "b"), r.strings("/", "compatible"));
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2}, r.prop("/child@1", "reg"));
        assertEquals(0, r.prop("/child@1", "flag").length);
    }

    @Test
    void propertyNamesAreStoredOnce() {
        FdtWriter w = new FdtWriter().beginNode("");
        for (int i = 0; i < 10; i++) w.beginNode("n" + i).propertyCells("reg", i).endNode();
        byte[] blob = w.endNode().finish(0);
        assertEquals(4, ByteBuffer.wrap(blob).getInt(32), "strings block holds \"reg\\0\" once");
    }

    @Test
    void malformedTreesAreProgrammingErrors() {
        assertThrows(IllegalStateException.class, () -> new FdtWriter().beginNode("").beginNode("c").endNode()
                .propertyCells("late", 1));
        assertThrows(IllegalStateException.class, () -> new FdtWriter().beginNode("").finish(0));
        assertThrows(IllegalStateException.class, () -> new FdtWriter().endNode());
        assertThrows(IllegalArgumentException.class, () -> new FdtWriter().beginNode("").beginNode("a/b"));
        assertThrows(IllegalStateException.class, () -> new FdtWriter().beginNode("x"));
    }
}
