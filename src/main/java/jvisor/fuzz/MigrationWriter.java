package jvisor.fuzz;

import static jvisor.fuzz.PowerAsm.*;

import java.util.SplittableRandom;

/**
 * The guest side of a randomized migration: a loop that writes memory in a pattern drawn at
 * random. Each pass bumps a counter (r5) and picks the page {@code (r5 * P) mod pages} and the
 * offset {@code (r5 * Q) & 0xFF8} within it (P = 1 sweeps, an odd P scatters, few pages make a hot
 * set), then stores there with one to three of: std, stw, sth, stb, stdx, stdbrx, stdu, stmw (20
 * bytes, which may run into the next page), dcbz (a whole cache block), and lwarx/stwcx. Base
 * address in r4; r5..r9 and r27..r31 are the loop's own.
 */
final class MigrationWriter {
    private MigrationWriter() {
    }

    /** The loop's words (big-endian instruction words); {@code pageBits} = log2 of the pages it writes. */
    static int[] program(SplittableRandom r, int pageBits) {
        int[] w = new int[64];
        int at = 0;
        int p = r.nextInt(4) == 0 ? 1 : 1 + 2 * r.nextInt(16383);
        int q = 1 + r.nextInt(4095);
        w[at++] = addi(5, 5, 1);
        w[at++] = dForm(7, 6, 5, p);                    // mulli r6,r5,P
        w[at++] = rldicl(6, 6, 0, 64 - pageBits);       // mod pages
        w[at++] = rldicr(6, 6, 12, 51);                 // * 4096
        w[at++] = dForm(7, 7, 5, q);                    // mulli r7,r5,Q
        w[at++] = dForm(28, 7, 7, 0xFF8);               // andi. r7,r7,0xFF8
        w[at++] = xForm(31, 6, 6, 7, 266, 0);           // add r6,r6,r7
        w[at++] = xForm(31, 6, 6, 4, 266, 0);           // add r6,r6,r4
        int kinds = 1 + r.nextInt(3);
        for (int i = 0; i < kinds; i++) {
            switch (r.nextInt(11)) {
                case 0 -> w[at++] = dsForm(62, 5, 6, 0, 0);          // std r5,0(r6)
                case 1 -> w[at++] = dForm(36, 5, 6, 4);              // stw r5,4(r6)
                case 2 -> w[at++] = dForm(44, 5, 6, 2);              // sth r5,2(r6)
                case 3 -> w[at++] = dForm(38, 5, 6, 7);              // stb r5,7(r6)
                case 4 -> w[at++] = xForm(31, 5, 0, 6, 149, 0);      // stdx r5,0,r6
                case 5 -> w[at++] = xForm(31, 5, 0, 6, 660, 0);      // stdbrx r5,0,r6
                case 6 -> {
                    w[at++] = addi(9, 6, 0);                         // stdu r5,0(r9) with r9 = r6
                    w[at++] = dsForm(62, 5, 9, 0, 1);
                }
                case 7 -> {
                    for (int g = 27; g < 32; g++) w[at++] = addi(g, 5, g);
                    w[at++] = dForm(47, 27, 6, 0);                    // stmw r27,0(r6)
                }
                case 8 -> w[at++] = xForm(31, 0, 0, 6, 1014, 0);     // dcbz 0,r6
                case 9 -> {
                    w[at++] = xForm(31, 8, 0, 6, 20, 0);             // lwarx r8,0,r6
                    w[at++] = xForm(31, 5, 0, 6, 150, 1);            // stwcx. r5,0,r6
                }
                default -> w[at++] = dForm(36, 5, 6, 0);             // stw r5,0(r6)
            }
        }
        w[at] = b(-4L * at, false);
        return java.util.Arrays.copyOf(w, at + 1);
    }
}
