package jvisor.hw.arm;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class SyndromeEncodingTest {

    @Test
    void aDataAbortCarriesTheSpecSheetFieldsAtTheirBits() {
        int ldrsh = AccessInfo.single(1, 7, true, false);
        long esr = Esr.dataAbort(Esr.fsc(Esr.FSC_TRANSLATION, 3), true, false, ldrsh, true);
        assertEquals(0x24, esr >>> 26, "EC data abort from a lower EL");
        assertEquals(1, (esr >>> 25) & 1, "IL");
        assertEquals(1, (esr >>> 24) & 1, "ISV");
        assertEquals(1, (esr >>> 22) & 3, "SAS halfword");
        assertEquals(1, (esr >>> 21) & 1, "SSE");
        assertEquals(7, (esr >>> 16) & 0x1F, "SRT");
        assertEquals(0, (esr >>> 15) & 1, "SF clear for a W register");
        assertEquals(0, (esr >>> 7) & 1, "S1PTW");
        assertEquals(1, (esr >>> 6) & 1, "WnR");
        assertEquals(0x07, esr & 0x3F, "translation fault level 3");
        assertEquals(Esr.FaultKind.TRANSLATION, Esr.kind(esr));
        assertEquals(3, Esr.level(esr));
    }

    @Test
    void statusCodesFollowTheTableForEveryKindAndLevel() {
        assertEquals(0x04, Esr.fsc(Esr.FSC_TRANSLATION, 0));
        assertEquals(0x09, Esr.fsc(Esr.FSC_ACCESS_FLAG, 1));
        assertEquals(0x0B, Esr.fsc(Esr.FSC_ACCESS_FLAG, 3));
        assertEquals(0x0D, Esr.fsc(Esr.FSC_PERMISSION, 1));
        assertEquals(0x0F, Esr.fsc(Esr.FSC_PERMISSION, 3));
        assertEquals(0x02, Esr.fsc(Esr.FSC_ADDRESS_SIZE, 2));
        assertEquals(Esr.FaultKind.PERMISSION, Esr.kind(0x0E));
        assertEquals(Esr.FaultKind.ACCESS_FLAG, Esr.kind(0x0A));
        assertEquals(Esr.FaultKind.EXTERNAL, Esr.kind(0x10));
        assertEquals(Esr.FaultKind.ALIGNMENT, Esr.kind(0x21));
    }

    @Test
    void aWalkFaultSetsS1ptwAndNeverTheInstructionSyndrome() {
        long esr = Esr.dataAbort(Esr.fsc(Esr.FSC_TRANSLATION, 2), true, true, AccessInfo.single(3, 1, false, true), true);
        assertTrue(Esr.s1ptw(esr));
        assertFalse(Esr.isv(esr));
        assertFalse(Esr.wnr(esr), "the walk read, whatever the instruction did");
        long iabt = Esr.instructionAbort(Esr.fsc(Esr.FSC_PERMISSION, 3), false, true);
        assertEquals(0x20, Esr.ec(iabt));
        assertEquals(0x0F, Esr.fsc(iabt));
    }

    @Test
    void pairsAndWritebackLeaveIsvClear() {
        long esr = Esr.dataAbort(Esr.fsc(Esr.FSC_TRANSLATION, 3), false, false, AccessInfo.noSyndrome(3), true);
        assertFalse(Esr.isv(esr));
        assertEquals(0, (esr >>> 16) & 0xFF, "SAS/SSE/SRT stay zero without ISV");
    }

    @Test
    void hpfarHoldsTheIpaPageShiftedAndFarGivesTheOffset() {
        long ipa = 0xAB_CDEF_1234L;
        long hpfar = Hpfar.fromIpa(ipa);
        assertEquals((ipa >>> 12) << 4, hpfar);
        assertEquals(ipa & ~0xFFFL, Hpfar.ipa(hpfar));
        assertEquals(ipa, Hpfar.ipa(hpfar, 0xFFFF_0234L));
    }

    @Test
    void vtcrDescribesAFortyBitIpaStartingAtLevelOneWithTwoConcatenatedTables() {
        long vtcr = Vtcr.make(40, 1, 48, true);
        assertEquals(24, vtcr & 0x3F, "T0SZ");
        assertEquals(1, (vtcr >>> 6) & 3, "SL0 = 1: start at level 1");
        assertEquals(0, (vtcr >>> 14) & 3, "TG0 4K");
        assertEquals(5, (vtcr >>> 16) & 7, "PS 48 bits");
        assertTrue(Vtcr.vmid16(vtcr));
        assertEquals(2, Vtcr.concatenatedTables(vtcr));
        assertEquals(1, Vtcr.concatenatedTables(Vtcr.make(39, 1, 48, false)));
        long vttbr = Vttbr.make(0x4000_2000L, 0x1234);
        assertEquals(0x1234, Vttbr.vmid(vttbr, true));
        assertEquals(0x34, Vttbr.vmid(vttbr, false));
        assertEquals(0x4000_2000L, Vttbr.baddr(vttbr));
    }

    @Test
    void stage2LeavesCarryTheirAttributesAtTheSpecSheetBits() {
        long d = Stage2Descriptor.leaf(0x1234_5000L, 3, Stage2Descriptor.PROT_R | Stage2Descriptor.PROT_W);
        assertEquals(3, d & 3, "valid page");
        assertEquals(0xF, (d >>> 2) & 0xF, "normal write-back");
        assertEquals(3, (d >>> 6) & 3, "S2AP read-write");
        assertEquals(1, (d >>> 10) & 1, "AF");
        assertEquals(2, (d >>> 53) & 3, "XN never");
        long dev = Stage2Descriptor.leaf(0x1000, 2, Stage2Descriptor.PROT_R | Stage2Descriptor.PROT_DEVICE);
        assertEquals(1, dev & 3, "valid block");
        assertEquals(0x1, (dev >>> 2) & 0xF, "Device-nGnRE");
        assertTrue(Stage2Descriptor.device(dev));
        assertFalse(Stage2Descriptor.permits(dev, Mmu.STORE));
    }
}
