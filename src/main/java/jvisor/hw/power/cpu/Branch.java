package jvisor.hw.power.cpu;

/**
 * Branches and condition-register instructions. Every taken branch records its own address in
 * CFAR. Targets are truncated to 32 bits in 32-bit mode; LR receives the (already truncated)
 * address of the next instruction when LK=1, whether or not the branch is taken.
 */
final class Branch {
    private Branch() {
    }

    private static int taken(Core c, long target) {
        c.sprs[Spr.CFAR] = c.cia;
        c.pc = target & c.addrMask;
        return Core.OK;
    }

    static int b(Core c, int w) {
        long li = ((w & 0x03FF_FFFC) << 6) >> 6;
        long target = (w & 2) != 0 ? li : c.cia + li;
        if ((w & 1) != 0) {
            c.lr = c.pc;
        }
        return taken(c, target);
    }

    /** BO/BI test, decrementing CTR when BO[2]=0 (CTR compared 32 bits wide in 32-bit mode). */
    private static boolean condition(Core c, int w) {
        int bo = (w >>> 21) & 31;
        if ((bo & 4) == 0) {
            long ctr = --c.ctr;
            boolean nonZero = (c.is64() ? ctr : ctr & 0xFFFF_FFFFL) != 0;
            if (nonZero == ((bo & 2) != 0)) {
                return false;
            }
        }
        if ((bo & 0x10) != 0) {
            return true;
        }
        int bit = (c.cr >>> (31 - ((w >>> 16) & 31))) & 1;
        return bit == ((bo >>> 3) & 1);
    }

    static int bc(Core c, int w) {
        boolean go = condition(c, w);
        if ((w & 1) != 0) {
            c.lr = c.pc;
        }
        if (!go) {
            return Core.OK;
        }
        long bd = (short) (w & 0xFFFC);
        return taken(c, (w & 2) != 0 ? bd : c.cia + bd);
    }

    private static int toRegister(Core c, int w, long target) {
        boolean go = condition(c, w);
        if ((w & 1) != 0) {
            c.lr = c.pc;
        }
        return go ? taken(c, target & ~3L) : Core.OK;
    }

    static int bclr(Core c, int w) {
        return toRegister(c, w, c.lr); // LR read before LK updates it
    }

    static int bcctr(Core c, int w) {
        return toRegister(c, w, c.ctr);
    }

    static int bctar(Core c, int w) {
        return toRegister(c, w, c.sprs[Spr.TAR]);
    }

    // ---- condition register ----

    private static int bit(Core c, int n) {
        return (c.cr >>> (31 - n)) & 1;
    }

    /** Sets CR bit BT from f(CR[BA], CR[BB]) where f is given as a 4-entry truth table. */
    static int crLogical(Core c, int w, int truth) {
        int a = bit(c, (w >>> 16) & 31), b = bit(c, (w >>> 11) & 31);
        int v = (truth >>> ((a << 1) | b)) & 1;
        int bt = 31 - ((w >>> 21) & 31);
        c.cr = (c.cr & ~(1 << bt)) | (v << bt);
        return Core.OK;
    }

    // Truth tables indexed by (a<<1)|b: bit k is the result for that input pair.
    static final int AND = 0b1000, ANDC = 0b0100, EQV = 0b1001, NAND = 0b0111, NOR = 0b0001, OR = 0b1110,
            ORC = 0b1101, XOR = 0b0110;

    static int mcrf(Core c, int w) {
        int field = (c.cr >>> (28 - 4 * ((w >>> 18) & 7))) & 0xF;
        c.setCrField((w >>> 23) & 7, field);
        return Core.OK;
    }

    static int mfcr(Core c, int w) {
        c.gpr[(w >>> 21) & 31] = c.cr & 0xFFFF_FFFFL;
        return Core.OK;
    }

    static int fieldMask(int fxm) {
        int m = 0;
        for (int i = 0; i < 8; i++) {
            if ((fxm & (0x80 >>> i)) != 0) {
                m |= 0xF << (28 - 4 * i);
            }
        }
        return m;
    }

    /** mfocrf: the selected field(s) of CR, zeros elsewhere. */
    static int mfocrf(Core c, int w) {
        c.gpr[(w >>> 21) & 31] = c.cr & fieldMask((w >>> 12) & 0xFF) & 0xFFFF_FFFFL;
        return Core.OK;
    }

    static int mtcrf(Core c, int w) {
        int m = fieldMask((w >>> 12) & 0xFF);
        c.cr = (c.cr & ~m) | ((int) c.gpr[(w >>> 21) & 31] & m);
        return Core.OK;
    }

    /** mcrxr BF: CR field BF from XER bits 32:35 (SO, OV, CA, a reserved bit), which are then cleared. */
    static int mcrxr(Core c, int w) {
        c.setCrField((w >>> 23) & 7, (c.so << 3) | (c.ov << 2) | (c.ca << 1) | ((c.xerReserved >>> 28) & 1));
        c.so = 0;
        c.ov = 0;
        c.ca = 0;
        c.xerReserved &= ~(1 << 28);
        return Core.OK;
    }
}
