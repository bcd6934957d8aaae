package jvisor.fuzz;

import static jvisor.fuzz.PowerAsm.*;

import jvisor.hw.power.cpu.Spr;

/**
 * The fuzz guest's interrupt handlers, so that random code keeps running after each interrupt it
 * provokes. Every vector from 0x100 to 0xFE0 (the architected ones are all 0x20 apart or more)
 * holds a stub that returns past the interrupted instruction with MSR[EE] and MSR[PR] cleared (else
 * a pending decrementer or external interrupt would fire again at once; and problem state forces
 * EE, IR and DR on, Book III 4.2.1), and for the instruction storage interrupts with MSR[IR]
 * cleared as well (the code is at the same real address, so a fetch that failed through a hostile
 * tree goes on untranslated). The stub saves r1 in SPRG2 and the common
 * tail at {@link PowerFuzzLayout#COMMON_HANDLER} restores it before {@code rfid}.
 */
final class PowerVectors {
    private PowerVectors() {
    }

    /** MSR[EE] and MSR[PR] are MSB bits 48 and 49, MSR[IR] MSB bit 58: rotated to bit 0 to be cleared by rldicl. */
    private static final int EE_BIT = 48, IR_BIT = 58;

    /** The words of guest real {@code [0, HCALL_STUB + 8)}: the stub's {@code sc 1} goes on to the code. */
    static int[] words() {
        int[] w = new int[(int) (PowerFuzzLayout.HCALL_STUB / 4) + 2];
        for (int v = 0x100; v < PowerFuzzLayout.VECTORS_END; v += 0x20) {
            int i = v / 4;
            boolean isi = v == 0x400 || v == 0x480;
            w[i] = mtspr(Spr.SPRG2, 1);
            w[i + 1] = mfspr(1, Spr.SRR1);
            w[i + 2] = rldicl(1, 1, EE_BIT, 2);   // EE and PR, next to each other, cleared together
            w[i + 3] = rldicl(1, 1, 64 - EE_BIT, 0);
            w[i + 4] = isi ? rldicl(1, 1, IR_BIT, 1) : NOP;
            w[i + 5] = isi ? rldicl(1, 1, 64 - IR_BIT, 0) : NOP;
            w[i + 6] = b(PowerFuzzLayout.COMMON_HANDLER - (v + 24), false);
            w[i + 7] = NOP;
        }
        int c = (int) (PowerFuzzLayout.COMMON_HANDLER / 4);
        w[c] = mtspr(Spr.SRR1, 1);
        w[c + 1] = mfspr(1, Spr.SRR0);
        w[c + 2] = addi(1, 1, 4);
        w[c + 3] = mtspr(Spr.SRR0, 1);
        w[c + 4] = mfspr(1, Spr.SPRG2);
        w[c + 5] = RFID;
        w[(int) (PowerFuzzLayout.HCALL_STUB / 4)] = SC_HV;
        w[(int) (PowerFuzzLayout.HCALL_STUB / 4) + 1] = b(PowerFuzzLayout.CODE - (PowerFuzzLayout.HCALL_STUB + 4), false);
        return w;
    }

    /** Instruction words as bytes in the given byte order. */
    static byte[] bytes(int[] words, boolean littleEndian) {
        byte[] b = new byte[words.length * 4];
        for (int i = 0; i < words.length; i++) {
            int x = littleEndian ? Integer.reverseBytes(words[i]) : words[i];
            b[4 * i] = (byte) (x >>> 24);
            b[4 * i + 1] = (byte) (x >>> 16);
            b[4 * i + 2] = (byte) (x >>> 8);
            b[4 * i + 3] = (byte) x;
        }
        return b;
    }
}
