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

    @Test
    void decodesExactlyTheLoadsAndStoresOfTheIsaOpcodeTable() {
        // Every primary opcode (D and DS forms) and every extended opcode of primary 31 (X forms),
        // with registers that make no invalid form, against the opcode table written out below.
        int checked = 0;
        for (int primary = 0; primary < 64; primary++) {
            for (int low = 0; low < 4; low++) {
                int w = primary << 26 | 3 << 21 | 4 << 16 | 0x0010 | low;
                assertEquals(Reference.decode(w), MmioInstruction.decode(w), () -> Integer.toHexString(w));
                checked += Reference.decode(w) != null ? 1 : 0;
            }
        }
        for (int xo = 0; xo < 1024; xo++) {
            int w = 31 << 26 | 3 << 21 | 4 << 16 | 5 << 11 | xo << 1;
            assertEquals(Reference.decode(w), MmioInstruction.decode(w), () -> Integer.toHexString(w));
            checked += Reference.decode(w) != null ? 1 : 0;
        }
        assertEquals(4 * 22 + 3 + 2 + 34, checked, "every form of the table was met");
    }

    @Test
    void aWordTheCoreCallsIllegalIsNotEmulated() {
        // lhbrx with its reserved bit 31 set, and lwzu with RA = RT: the core raises the illegal
        // instruction interrupt for these before any access, so no MMIO fault can come from them.
        assertNull(MmioInstruction.decode(0x7c642e2d));
        assertNull(MmioInstruction.decode(0x84630000));
        assertNotNull(MmioInstruction.decode(0x7c642e2c)); // lhbrx r3,r4,r5
    }

    /** The loads and stores MMIO emulation handles, by opcode (Power ISA v3.0B Book I 3.3, 4.6). */
    private static final class Reference {
        static MmioInstruction decode(int word) {
            int op = word >>> 26, rt = (word >>> 21) & 31, ra = (word >>> 16) & 31;
            return switch (op) {
                case 32 -> load(4, false, false, rt, ra);   // lwz
                case 33 -> load(4, false, true, rt, ra);    // lwzu
                case 34 -> load(1, false, false, rt, ra);   // lbz
                case 35 -> load(1, false, true, rt, ra);    // lbzu
                case 36 -> store(4, false, rt, ra);         // stw
                case 37 -> store(4, true, rt, ra);          // stwu
                case 38 -> store(1, false, rt, ra);         // stb
                case 39 -> store(1, true, rt, ra);          // stbu
                case 40 -> load(2, false, false, rt, ra);   // lhz
                case 41 -> load(2, false, true, rt, ra);    // lhzu
                case 42 -> load(2, true, false, rt, ra);    // lha
                case 43 -> load(2, true, true, rt, ra);     // lhau
                case 44 -> store(2, false, rt, ra);         // sth
                case 45 -> store(2, true, rt, ra);          // sthu
                case 48, 49 -> fp(false, 4, op == 49, rt, ra);  // lfs, lfsu
                case 50, 51 -> fp(false, 8, op == 51, rt, ra);  // lfd, lfdu
                case 52, 53 -> fp(true, 4, op == 53, rt, ra);   // stfs, stfsu
                case 54, 55 -> fp(true, 8, op == 55, rt, ra);   // stfd, stfdu
                case 58 -> switch (word & 3) {              // ld, ldu, lwa
                    case 0 -> load(8, false, false, rt, ra);
                    case 1 -> load(8, false, true, rt, ra);
                    case 2 -> load(4, true, false, rt, ra);
                    default -> null;
                };
                case 62 -> switch (word & 3) {              // std, stdu
                    case 0 -> store(8, false, rt, ra);
                    case 1 -> store(8, true, rt, ra);
                    default -> null;
                };
                case 31 -> indexed((word >>> 1) & 0x3FF, rt, ra);
                default -> null;
            };
        }

        static MmioInstruction indexed(int xo, int rt, int ra) {
            return switch (xo) {
                case 23 -> load(4, false, false, rt, ra);   // lwzx
                case 55 -> load(4, false, true, rt, ra);    // lwzux
                case 87 -> load(1, false, false, rt, ra);   // lbzx
                case 119 -> load(1, false, true, rt, ra);   // lbzux
                case 279 -> load(2, false, false, rt, ra);  // lhzx
                case 311 -> load(2, false, true, rt, ra);   // lhzux
                case 343 -> load(2, true, false, rt, ra);   // lhax
                case 375 -> load(2, true, true, rt, ra);    // lhaux
                case 341 -> load(4, true, false, rt, ra);   // lwax
                case 373 -> load(4, true, true, rt, ra);    // lwaux
                case 21 -> load(8, false, false, rt, ra);   // ldx
                case 53 -> load(8, false, true, rt, ra);    // ldux
                case 151 -> store(4, false, rt, ra);        // stwx
                case 183 -> store(4, true, rt, ra);         // stwux
                case 215 -> store(1, false, rt, ra);        // stbx
                case 247 -> store(1, true, rt, ra);         // stbux
                case 407 -> store(2, false, rt, ra);        // sthx
                case 439 -> store(2, true, rt, ra);         // sthux
                case 149 -> store(8, false, rt, ra);        // stdx
                case 181 -> store(8, true, rt, ra);         // stdux
                case 790 -> reversed(false, 2, rt, ra);     // lhbrx
                case 534 -> reversed(false, 4, rt, ra);     // lwbrx
                case 532 -> reversed(false, 8, rt, ra);     // ldbrx
                case 918 -> reversed(true, 2, rt, ra);      // sthbrx
                case 662 -> reversed(true, 4, rt, ra);      // stwbrx
                case 660 -> reversed(true, 8, rt, ra);      // stdbrx
                case 535, 567 -> fp(false, 4, xo == 567, rt, ra);   // lfsx, lfsux
                case 599, 631 -> fp(false, 8, xo == 631, rt, ra);   // lfdx, lfdux
                case 663, 695 -> fp(true, 4, xo == 695, rt, ra);    // stfsx, stfsux
                case 727, 759 -> fp(true, 8, xo == 759, rt, ra);    // stfdx, stfdux
                default -> null;
            };
        }

        static MmioInstruction load(int len, boolean sign, boolean update, int rt, int ra) {
            return new MmioInstruction(false, len, sign, false, update, false, false, rt, ra);
        }

        static MmioInstruction store(int len, boolean update, int rs, int ra) {
            return new MmioInstruction(true, len, false, false, update, false, false, rs, ra);
        }

        static MmioInstruction reversed(boolean store, int len, int rt, int ra) {
            return new MmioInstruction(store, len, false, true, false, false, false, rt, ra);
        }

        static MmioInstruction fp(boolean store, int len, boolean update, int rt, int ra) {
            return new MmioInstruction(store, len, false, false, update, true, len == 4, rt, ra);
        }
    }
}
