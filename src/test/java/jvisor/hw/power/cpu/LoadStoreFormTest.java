package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import jvisor.hw.power.cpu.LoadStoreForm.Addressing;
import org.junit.jupiter.api.Test;

/** What the instruction table says a load or store moves, for the words the core decodes (encodings from the assembler). */
class LoadStoreFormTest {

    @Test
    void fixedPointFormsCarrySizeSignUpdateAndAddressing() {
        assertEquals(new LoadStoreForm("lwz", false, 4, false, false, false, false, false, Addressing.D),
                LoadStoreForm.decode(0x80640008)); // lwz r3,8(r4)
        assertEquals(new LoadStoreForm("lhau", false, 2, true, false, true, false, false, Addressing.D),
                LoadStoreForm.decode(0xaca60002)); // lhau r5,2(r6)
        assertEquals(new LoadStoreForm("lwa", false, 4, true, false, false, false, false, Addressing.DS),
                LoadStoreForm.decode(0xe8e80006)); // lwa r7,4(r8)
        assertEquals(new LoadStoreForm("stdux", true, 8, false, false, true, false, false, Addressing.X),
                LoadStoreForm.decode(0x7d8d716a)); // stdux r12,r13,r14
        assertEquals(new LoadStoreForm("sthbrx", true, 2, false, true, false, false, false, Addressing.X),
                LoadStoreForm.decode(0x7c642f2c)); // sthbrx r3,r4,r5
    }

    @Test
    void floatingPointSingleAndDoubleForms() {
        assertEquals(new LoadStoreForm("lfs", false, 4, false, false, false, true, true, Addressing.D),
                LoadStoreForm.decode(0xc0220010)); // lfs f1,16(r2)
        assertEquals(new LoadStoreForm("stfdux", true, 8, false, false, true, true, false, Addressing.X),
                LoadStoreForm.decode(0x7c2315ee)); // stfdux f1,r3,r2
    }

    @Test
    void everythingElseHasNoForm() {
        assertNull(LoadStoreForm.decode(0xb8a40000)); // lmw r5,0(r4)
        assertNull(LoadStoreForm.decode(0xe0c40000)); // lq r6,0(r4)
        assertNull(LoadStoreForm.decode(0x7c6020a8)); // ldarx r3,0,r4
        assertNull(LoadStoreForm.decode(0x7c2316ae)); // lfiwax f1,r3,r2
        assertNull(LoadStoreForm.decode(0xe4430000)); // lfdp f2,0(r3)
        assertNull(LoadStoreForm.decode(0x7c0320ce)); // lvx v0,r3,r4
        assertNull(LoadStoreForm.decode(0x7c0004ac)); // sync
        assertNull(LoadStoreForm.decode(0));
    }

    @Test
    void theRegisterFieldsOfTheWord() {
        assertEquals(12, LoadStoreForm.register(0x7d8d716a));
        assertEquals(13, LoadStoreForm.ra(0x7d8d716a));
    }
}
