package jvisor.fuzz;

/**
 * Encodings of the Power ISA instructions the fuzzer writes on purpose (the rest of its code is
 * random words in chosen opcode spaces). Each method returns the instruction word; byte order is
 * decided when the words are written to guest memory.
 */
final class PowerAsm {
    private PowerAsm() {
    }

    static final int NOP = 0x6000_0000;
    static final int SC = 0x4400_0002, SC_HV = 0x4400_0022;
    static final int RFID = 0x4C00_0024, HRFID = 0x4C00_0224, ISYNC = 0x4C00_012C;
    static final int SYNC = 0x7C00_04AC, LWSYNC = 0x7C20_04AC, PTESYNC = 0x7C40_04AC, EIEIO = 0x7C00_06AC;
    static final int TLBSYNC = 0x7C00_046C, SLBIA = 0x7C00_03E4;
    static final int STOP = 0x4C00_02E4, ATTN = 0x0000_0200, TRAP = 0x7FE0_0008;
    /** bcl 20,31,$+4: the address of the next instruction into LR. */
    static final int BCL_NEXT = 0x429F_0005;

    static int dForm(int op, int rt, int ra, int d) {
        return (op << 26) | (rt & 31) << 21 | (ra & 31) << 16 | (d & 0xFFFF);
    }

    static int dsForm(int op, int rt, int ra, int ds, int xo) {
        return (op << 26) | (rt & 31) << 21 | (ra & 31) << 16 | (ds & 0xFFFC) | (xo & 3);
    }

    static int xForm(int op, int rt, int ra, int rb, int xo, int rc) {
        return (op << 26) | (rt & 31) << 21 | (ra & 31) << 16 | (rb & 31) << 11 | (xo & 0x3FF) << 1 | (rc & 1);
    }

    static int li(int rt, int value) {
        return dForm(14, rt, 0, value);
    }

    static int lis(int rt, int value) {
        return dForm(15, rt, 0, value);
    }

    static int addi(int rt, int ra, int value) {
        return dForm(14, rt, ra, value);
    }

    static int ori(int ra, int rs, int value) {
        return dForm(24, rs, ra, value);
    }

    static int oris(int ra, int rs, int value) {
        return dForm(25, rs, ra, value);
    }

    /** rldicl ra,rs,sh,mb (MD-form; the 6-bit fields are split as the ISA splits them). */
    static int rldicl(int ra, int rs, int sh, int mb) {
        return md(ra, rs, sh, mb, 0);
    }

    /** rldicr ra,rs,sh,me. */
    static int rldicr(int ra, int rs, int sh, int me) {
        return md(ra, rs, sh, me, 1);
    }

    private static int md(int ra, int rs, int sh, int m, int xo) {
        return (30 << 26) | (rs & 31) << 21 | (ra & 31) << 16 | (sh & 31) << 11 | ((m & 31) << 1 | (m >>> 5 & 1)) << 5
                | xo << 2 | (sh >>> 5 & 1) << 1;
    }

    /** The SPR field of mtspr/mfspr: the two 5-bit halves of the number swapped. */
    private static int sprField(int spr) {
        return (spr & 31) << 16 | (spr >>> 5 & 31) << 11;
    }

    static int mtspr(int spr, int rs) {
        return (31 << 26) | (rs & 31) << 21 | sprField(spr) | 467 << 1;
    }

    static int mfspr(int rt, int spr) {
        return (31 << 26) | (rt & 31) << 21 | sprField(spr) | 339 << 1;
    }

    static int mtmsrd(int rs, int l) {
        return xForm(31, rs, l & 1, 0, 178, 0);
    }

    static int mtmsr(int rs, int l) {
        return xForm(31, rs, l & 1, 0, 146, 0);
    }

    /** tlbie rb,rs,ric,prs,r (ISA 3.0 operand order). */
    static int tlbie(int rb, int rs, int ric, int prs, int r) {
        return (31 << 26) | (rs & 31) << 21 | (ric & 3) << 18 | (prs & 1) << 17 | (r & 1) << 16 | (rb & 31) << 11 | 306 << 1;
    }

    static int tlbiel(int rb, int rs, int ric, int prs, int r) {
        return tlbie(rb, rs, ric, prs, r) & ~(0x3FF << 1) | 274 << 1;
    }

    /** b target-relative (I-form). */
    static int b(long offset, boolean link) {
        return (18 << 26) | (int) (offset & 0x03FF_FFFC) | (link ? 1 : 0);
    }

    static int bc(int bo, int bi, int offset, boolean link) {
        return (16 << 26) | (bo & 31) << 21 | (bi & 31) << 16 | (offset & 0xFFFC) | (link ? 1 : 0);
    }

    /** bclr/bcctr/bctar: xo 16, 528, 560 of primary 19. */
    static int bcReg(int bo, int bi, int xo, boolean link) {
        return (19 << 26) | (bo & 31) << 21 | (bi & 31) << 16 | xo << 1 | (link ? 1 : 0);
    }

    /**
     * Loads a 64-bit constant into {@code rt} (five instructions: the upper word with lis/ori,
     * shifted up, then the lower with oris/ori), appended to {@code out} at {@code at}.
     */
    static int load64(int[] out, int at, int rt, long value) {
        out[at++] = lis(rt, (int) (value >>> 48));
        out[at++] = ori(rt, rt, (int) (value >>> 32));
        out[at++] = rldicr(rt, rt, 32, 31);
        out[at++] = oris(rt, rt, (int) (value >>> 16));
        out[at++] = ori(rt, rt, (int) value);
        return at;
    }
}
