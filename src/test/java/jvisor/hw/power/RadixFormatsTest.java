package jvisor.hw.power;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RadixFormatsTest {

    @Test
    void aRootFor52BitsSetsRts1To2AndRts2To5() {
        // RTS = 21 = 0b10_101: RTS1 (MSB 1:2) = 0b10 -> 0x4000..., RTS2 (MSB 56:58) = 0b101 -> 0xA0.
        long root = RadixTreeRoot.of52(0x123450000L);
        assertEquals(0x4000000000000000L | 0x123450000L | 0xA0 | 13, root);
        assertEquals(21, RadixTreeRoot.rts(root));
        assertEquals(52, RadixTreeRoot.addressBits(root));
        assertEquals(0x123450000L, RadixTreeRoot.rpdb(root));
        assertEquals(13, RadixTreeRoot.rpds(root));
    }

    @Test
    void rpdbAndNlbKeepBits4To55WhileRpnKeepsBits7To51() {
        long all = -1L;
        assertEquals(0x0FFFFFFFFFFFFF00L, RadixTreeRoot.rpdb(all));
        assertEquals(0x0FFFFFFFFFFFFF00L, RadixEntry.nlb(all));
        assertEquals(0x01FFFFFFFFFFF000L, RadixEntry.rpn(all));
        assertEquals(0x1F, RadixEntry.nls(all));
    }

    @Test
    void pateFieldsSitWhereTheSpecPutsThem() {
        PartitionTableEntry pate = PartitionTableEntry.radix(0x40000, 0x7000, 3);
        assertEquals(0x8000000000000000L | 0x4000000000000000L | 0x40000 | 0xA0 | 13, pate.dword0());
        assertEquals(0x8000000000000000L | 0x7000 | 3, pate.dword1());
        assertTrue(pate.hr());
        assertTrue(PartitionTableEntry.gr(pate.dword1()));
        assertEquals(0x7000, pate.prtb());
        assertEquals(3, pate.prts());
        assertEquals(1L << 15, PartitionTableEntry.processTableBytes(pate.dword1()));
        assertFalse(PartitionTableEntry.hr(ProcessTableEntry.radixDword0(0x40000)));
    }

    @Test
    void ptcrGivesBaseSizeAndEntryAddress() {
        long ptcr = Ptcr.of(0xABC000, 2);
        assertEquals(0xABC002L, ptcr);
        assertEquals(0xABC000L, Ptcr.patb(ptcr));
        assertEquals(1L << 14, Ptcr.tableBytes(ptcr));
        assertEquals(1024, Ptcr.entries(ptcr));
        assertEquals(0xABC000L + 16 * 7, Ptcr.entryAddress(ptcr, 7));
        // Low bits of PATB below 4K are not part of the field.
        assertEquals(0xABC000L, Ptcr.patb(0xABC0FFL));
    }

    @Test
    void pteBuilderSetsValidLeafRpnAndKeepsFlags() {
        long pte = RadixEntry.pte(0x12345678000L, RadixEntry.READ | RadixEntry.REFERENCE | RadixEntry.ATT_TOLERANT_IO);
        assertEquals(0xC000000000000000L | 0x12345678000L | 0x4 | 0x100 | 0x30, pte);
        assertTrue(RadixEntry.valid(pte));
        assertTrue(RadixEntry.leaf(pte));
        assertTrue(RadixEntry.referenced(pte));
        assertFalse(RadixEntry.changed(pte));
        assertEquals(RadixEntry.ATT_TOLERANT_IO, RadixEntry.att(pte));
    }

    @Test
    void pdeBuilderSetsValidNlbNls() {
        long pde = RadixEntry.pde(0x5000, 9);
        assertEquals(0x8000000000000000L | 0x5000 | 9, pde);
        assertFalse(RadixEntry.leaf(pde));
    }

    @Test
    void entriesAreBigEndianInMemory() {
        ArrayRealMemory m = new ArrayRealMemory(64);
        new PartitionTableEntry(0x0102030405060708L, 0x1112131415161718L).writeTo(m, 16);
        assertEquals(0x01, m.readByte(16));
        assertEquals(0x08, m.readByte(23));
        assertEquals(0x11, m.readByte(24));
    }
}
