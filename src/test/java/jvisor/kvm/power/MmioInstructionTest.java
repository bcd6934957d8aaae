package jvisor.kvm.power;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Decoding loads and stores for MMIO and converting their data, with encodings from the assembler. */
class MmioInstructionTest {

    @Test
    void decodesSizesSignsUpdatesAndRegisters() {
        assertEquals(new MmioInstruction(false, 4, false, false, false, false, false, 3, 4), MmioInstruction.decode(0x80640008)); // lwz r3,8(r4)
        assertEquals(new MmioInstruction(false, 2, true, false, true, false, false, 5, 6), MmioInstruction.decode(0xaca60002));   // lhau r5,2(r6)
        assertEquals(new MmioInstruction(false, 4, true, false, false, false, false, 7, 8), MmioInstruction.decode(0xe8e80006));  // lwa r7,4(r8)
        assertEquals(new MmioInstruction(false, 8, false, true, false, false, false, 9, 10), MmioInstruction.decode(0x7d2a5c28)); // ldbrx r9,r10,r11
        assertEquals(new MmioInstruction(true, 1, false, false, true, false, false, 3, 1), MmioInstruction.decode(0x9c61ffff));   // stbu r3,-1(r1)
        assertEquals(new MmioInstruction(true, 8, false, false, true, false, false, 12, 13), MmioInstruction.decode(0x7d8d716a)); // stdux r12,r13,r14
        assertEquals(new MmioInstruction(false, 8, false, false, false, true, false, 1, 2), MmioInstruction.decode(0xc8220010));  // lfd f1,16(r2)
        assertEquals(new MmioInstruction(true, 2, false, true, false, false, false, 3, 4), MmioInstruction.decode(0x7c642f2c));   // sthbrx r3,r4,r5
        assertEquals(new MmioInstruction(false, 8, false, false, false, false, false, 3, 4), MmioInstruction.decode(0xe8640000)); // ld r3,0(r4)
    }

    @Test
    void multipleAndUnknownFormsAreNotEmulated() {
        assertNull(MmioInstruction.decode(0xb8a40000)); // lmw r5,0(r4)
        assertNull(MmioInstruction.decode(0));
        assertNull(MmioInstruction.decode(0x7c0004ac)); // sync
    }

    @Test
    void storeBytesFollowMsrLeAndByteReversal() {
        MmioInstruction stw = MmioInstruction.decode(0x90640000); // stw r3,0(r4)
        assertArrayEquals(new byte[]{0x11, 0x22, 0x33, 0x44}, stw.storeBytes(0xAABBCCDD11223344L, false));
        assertArrayEquals(new byte[]{0x44, 0x33, 0x22, 0x11}, stw.storeBytes(0xAABBCCDD11223344L, true));
        MmioInstruction sthbrx = MmioInstruction.decode(0x7c642f2c);
        assertArrayEquals(new byte[]{0x44, 0x33}, sthbrx.storeBytes(0x3344, false), "byte-reversed in big-endian mode");
        assertArrayEquals(new byte[]{0x33, 0x44}, sthbrx.storeBytes(0x3344, true));
    }

    @Test
    void loadValuesAreAssembledAndSignExtended() {
        byte[] dev = {(byte) 0x80, 0x01};
        MmioInstruction lhz = MmioInstruction.decode(0xa0640000); // lhz r3,0(r4)
        assertEquals(0x8001L, lhz.loadValue(dev, false));
        assertEquals(0x0180L, lhz.loadValue(dev, true));
        MmioInstruction lha = MmioInstruction.decode(0xaca60002);
        assertEquals(0xFFFF_FFFF_FFFF_8001L, lha.loadValue(dev, false));
        MmioInstruction lwa = MmioInstruction.decode(0xe8e80006);
        assertEquals(0xFFFF_FFFF_8000_0000L, lwa.loadValue(new byte[]{0, 0, 0, (byte) 0x80}, true));
        MmioInstruction ldbrx = MmioInstruction.decode(0x7d2a5c28);
        assertEquals(0x0807060504030201L, ldbrx.loadValue(new byte[]{1, 2, 3, 4, 5, 6, 7, 8}, false));
    }
}
