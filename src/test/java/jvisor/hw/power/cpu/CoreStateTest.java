package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import jvisor.hw.power.Msr;

/**
 * A core's state saved and restored into another core (a migration's destination) reads back
 * the same through the core's own accessors: every GPR, pc, MSR, CR, XER, LR, CTR, all 64 VSRs
 * (so the FPRs and VRs), FPSCR, VSCR, the SPRs, and the decrementer counting on from the same
 * value against the same timebase. A reservation does not travel.
 */
class CoreStateTest {
    private static final int[] SPRS = {Spr.SRR0, Spr.SRR1, Spr.DAR, Spr.DSISR, Spr.SPRG0, Spr.SPRG1, Spr.SPRG2,
        Spr.SPRG3, Spr.VRSAVE, Spr.FSCR, Spr.TAR, Spr.PIDR, Spr.AMR, Spr.IAMR, Spr.CFAR, Spr.DSCR, Spr.PPR, Spr.CIABR,
        Spr.DAWR0, Spr.DAWRX0, Spr.UAMOR, Spr.TIDR, Spr.PSPB};

    private static byte[] save(Core c) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        CoreState.save(c, new DataOutputStream(b));
        return b.toByteArray();
    }

    @Test
    void everyRegisterComesBackOnAnotherCore() throws IOException {
        TestMachine a = new TestMachine(), b = new TestMachine();
        Core src = a.core, dst = b.core;
        SplittableRandom r = new SplittableRandom(15);
        for (int i = 0; i < 32; i++) src.setGpr(i, r.nextLong());
        src.setMsr(Msr.SF | Msr.ME | Msr.FP | Msr.VEC | Msr.VSX | Msr.EE | Msr.DR | Msr.IR | Msr.LE);
        src.setPc(0x1234_5678_9ABCL);
        src.setCr(0x8421_1248);
        src.setXer(0xE000_007FL);
        src.setLr(r.nextLong());
        src.setCtr(r.nextLong());
        for (int i = 0; i < 64; i++) src.vectorScalar().set(i, r.nextLong(), r.nextLong());
        src.vectorScalar().setFpscr(0x0000_0000_8200_00F3L);
        src.vectorScalar().setVscr(0x0001_0001);
        long[] sprs = new long[SPRS.length];
        for (int i = 0; i < SPRS.length; i++) {
            src.writeSpr(SPRS[i], r.nextLong() & 0x7FFF_FFFFL);
            sprs[i] = src.readSpr(SPRS[i]);
        }
        src.writeSpr(Spr.DEC, 5000);
        a.now = b.now = 7777; // the destination's timebase continues from the source's
        long dec = src.readSpr(Spr.DEC);

        CoreState.restore(dst, new DataInputStream(new ByteArrayInputStream(save(src))));

        for (int i = 0; i < 32; i++) assertEquals(src.gpr(i), dst.gpr(i), "r" + i);
        assertEquals(src.msr(), dst.msr());
        assertEquals(src.pc(), dst.pc());
        assertEquals(src.cr(), dst.cr());
        assertEquals(src.xer(), dst.xer());
        assertEquals(src.lr(), dst.lr());
        assertEquals(src.ctr(), dst.ctr());
        for (int i = 0; i < 64; i++) {
            assertEquals(src.vectorScalar().dw0(i), dst.vectorScalar().dw0(i), "vs" + i);
            assertEquals(src.vectorScalar().dw1(i), dst.vectorScalar().dw1(i), "vs" + i);
        }
        assertEquals(0x0000_0000_8200_00F3L, dst.vectorScalar().fpscr());
        assertEquals(0x0001_0001, dst.vectorScalar().vscr());
        for (int i = 0; i < SPRS.length; i++) assertEquals(sprs[i], dst.readSpr(SPRS[i]), "SPR " + SPRS[i]);
        assertEquals(dec, dst.readSpr(Spr.DEC), "the decrementer holds what it held");
        assertArrayEquals(save(src), save(dst), "saving the copy gives the same bytes");
        b.now += 100;
        assertEquals(dec - 100, dst.readSpr(Spr.DEC), "and counts down with the timebase");
    }

    @Test
    void aStateOfAnotherLayoutIsRefused() throws IOException {
        byte[] s = save(new TestMachine().core);
        s[3] = 99; // the version
        assertThrows(IOException.class, () -> CoreState.restore(new TestMachine().core,
                new DataInputStream(new ByteArrayInputStream(s))));
    }
}
