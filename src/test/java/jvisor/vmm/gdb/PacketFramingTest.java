package jvisor.vmm.gdb;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The remote protocol's wire format, both ways, including what a confused or hostile client sends. */
class PacketFramingTest {
    private static List<PacketDecoder.Received> decode(String wire) {
        PacketDecoder d = new PacketDecoder();
        List<PacketDecoder.Received> out = new ArrayList<>();
        for (byte b : wire.getBytes(StandardCharsets.ISO_8859_1)) {
            PacketDecoder.Received r = d.feed(b & 0xFF);
            if (r != null) out.add(r);
        }
        return out;
    }

    @Test
    void packetsAreFramedWithTheSumOfTheirBytes() {
        // 'O' + 'K' = 0x4f + 0x4b = 0x9a; 'g' = 0x67; "m0,4" = 0x6d + 0x30 + 0x2c + 0x34 = 0xfd
        assertEquals("$OK#9a", new String(PacketFraming.frame("OK"), StandardCharsets.ISO_8859_1));
        assertEquals("$g#67", new String(PacketFraming.frame("g"), StandardCharsets.ISO_8859_1));
        assertEquals("$#00", new String(PacketFraming.frame(""), StandardCharsets.ISO_8859_1));
        assertEquals(List.of(new PacketDecoder.Received.Packet("m0,4")), decode("$m0,4#fd"));
        assertEquals(List.of(new PacketDecoder.Received.Packet("m0,4")), decode("$m0,4#FD"), "either case of hex digits");
    }

    @Test
    void theFourSpecialBytesAreEscapedAndTheChecksumCoversTheEscapes() {
        byte[] f = PacketFraming.frame("a#b$c}d*");
        String wire = new String(f, StandardCharsets.ISO_8859_1);
        assertEquals("$a}\u0003b}\u0004c}]d}\n#", wire.substring(0, wire.length() - 2));
        int sum = 0;
        for (int i = 1; i < f.length - 3; i++) sum += f[i] & 0xFF;
        assertEquals(String.format("%02x", sum & 0xFF), wire.substring(wire.length() - 2));
        assertEquals(List.of(new PacketDecoder.Received.Packet("a#b$c}d*")), decode(wire), "and decoded back");
    }

    @Test
    void acknowledgementsInterruptsAndStrayBytesBetweenPackets() {
        assertEquals(List.of(new PacketDecoder.Received.Ack(), new PacketDecoder.Received.Interrupt(),
                new PacketDecoder.Received.Nak(), new PacketDecoder.Received.Packet("g")), decode("+x\u0003\n-$g#67"));
    }

    @Test
    void aWrongChecksumOrBadDigitsMakeACorruptPacket() {
        assertEquals(List.of(new PacketDecoder.Received.Corrupt()), decode("$g#68"));
        assertEquals(List.of(new PacketDecoder.Received.Corrupt()), decode("$g#6z"));
        assertEquals(List.of(new PacketDecoder.Received.Corrupt(), new PacketDecoder.Received.Packet("g")),
                decode("$g#zz$g#67"), "and the next packet is read normally");
    }

    @Test
    void aPacketStartingAnewDropsTheUnfinishedOne() {
        assertEquals(List.of(new PacketDecoder.Received.Packet("g")), decode("$m0,$g#67"));
    }

    @Test
    void anOverlongPacketIsDroppedWithoutKeepingIt() {
        String big = "X".repeat(PacketDecoder.MAX_PAYLOAD + 10);
        int sum = 0;
        for (char c : big.toCharArray()) sum += c;
        String wire = "$" + big + "#" + String.format("%02x", sum & 0xFF);
        assertEquals(List.of(new PacketDecoder.Received.Corrupt()), decode(wire));
    }

    @Test
    void hexAndNumbers() {
        assertEquals("00017fff", PacketFraming.hex(new byte[] {0, 1, 0x7f, (byte) 0xff}));
        assertArrayEquals(new byte[] {0, 1, 0x7f, (byte) 0xff}, PacketFraming.unhex("00017FfF"));
        assertNull(PacketFraming.unhex("123"));
        assertNull(PacketFraming.unhex("zz"));
        assertEquals(0xffffffffffffffffL, PacketFraming.number("ffffffffffffffff"));
        assertNull(PacketFraming.number("1ffffffffffffffff"), "more than 64 bits");
        assertNull(PacketFraming.number(""));
        assertNull(PacketFraming.number("-1"));
    }
}
