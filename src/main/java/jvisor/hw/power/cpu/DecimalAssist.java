package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.FixedPoint.ra;
import static jvisor.hw.power.cpu.FixedPoint.rb;
import static jvisor.hw.power.cpu.FixedPoint.rt;

/**
 * The fixed-point decimal assists of Power ISA v3.0B Book I (Fixed-Point Facility, BCD Assist):
 * addg6s (the sixes to add after a binary add of packed BCD) and the conversions between densely
 * packed decimal declets and BCD digits, cdtbcd and cbcdtd, each on the two words of a register.
 */
final class DecimalAssist {
    private DecimalAssist() {
    }

    /** addg6s RT,RA,RB: 6 in every nibble of RT whose digit position produced no carry in RA+RB. */
    static int addg6s(Core c, int w) {
        long a = c.gpr[ra(w)], b = c.gpr[rb(w)], sum = a + b;
        long carries = (a & b) | ((a | b) & ~sum); // carry out of every bit position
        long r = 0;
        for (int nibble = 0; nibble < 16; nibble++) {
            if (((carries >>> (4 * nibble + 3)) & 1) == 0) {
                r |= 6L << (4 * nibble);
            }
        }
        c.gpr[rt(w)] = r;
        return Core.OK;
    }

    /** cdtbcd RA,RS: each word's two low declets become six BCD digits. */
    static int cdtbcd(Core c, int w) {
        long s = c.gpr[rt(w)];
        c.gpr[ra(w)] = (declets(s >>> 32) << 32) | declets(s & 0xFFFF_FFFFL);
        return Core.OK;
    }

    /** cbcdtd RA,RS: each word's six low BCD digits become two declets. */
    static int cbcdtd(Core c, int w) {
        long s = c.gpr[rt(w)];
        c.gpr[ra(w)] = (digits(s >>> 32) << 32) | digits(s & 0xFFFF_FFFFL);
        return Core.OK;
    }

    private static long declets(long word) {
        return ((long) decodeDeclet((int) (word >>> 10) & 0x3FF) << 12) | decodeDeclet((int) word & 0x3FF);
    }

    private static long digits(long word) {
        return ((long) encodeDeclet((int) (word >>> 12) & 0xFFF) << 10) | encodeDeclet((int) word & 0xFFF);
    }

    /** Three BCD digits (12 bits) of a densely packed decimal declet (IEEE 754-2008 DPD). */
    static int decodeDeclet(int d) {
        int p = (d >>> 9) & 1, q = (d >>> 8) & 1, r = (d >>> 7) & 1, s = (d >>> 6) & 1, t = (d >>> 5) & 1;
        int u = (d >>> 4) & 1, v = (d >>> 3) & 1, wb = (d >>> 2) & 1, x = (d >>> 1) & 1, y = d & 1;
        int pqr = (p << 2) | (q << 1) | r, stu = (s << 2) | (t << 1) | u, wxy = (wb << 2) | (x << 1) | y;
        int d2, d1, d0;
        if (v == 0) {
            d2 = pqr;
            d1 = stu;
            d0 = wxy;
        } else {
            switch ((wb << 1) | x) {
                case 0 -> {
                    d2 = pqr;
                    d1 = stu;
                    d0 = 8 | y;
                }
                case 1 -> {
                    d2 = pqr;
                    d1 = 8 | u;
                    d0 = (s << 2) | (t << 1) | y;
                }
                case 2 -> {
                    d2 = 8 | r;
                    d1 = stu;
                    d0 = (p << 2) | (q << 1) | y;
                }
                default -> {
                    switch ((s << 1) | t) {
                        case 0 -> {
                            d2 = 8 | r;
                            d1 = 8 | u;
                            d0 = (p << 2) | (q << 1) | y;
                        }
                        case 1 -> {
                            d2 = 8 | r;
                            d1 = (p << 2) | (q << 1) | u;
                            d0 = 8 | y;
                        }
                        case 2 -> {
                            d2 = pqr;
                            d1 = 8 | u;
                            d0 = 8 | y;
                        }
                        default -> {
                            d2 = 8 | r;
                            d1 = 8 | u;
                            d0 = 8 | y;
                        }
                    }
                }
            }
        }
        return (d2 << 8) | (d1 << 4) | d0;
    }

    /** The densely packed decimal declet of three BCD digits (12 bits; digits above 9 are undefined). */
    static int encodeDeclet(int bcd) {
        int hi = (bcd >>> 8) & 0xF, mid = (bcd >>> 4) & 0xF, lo = bcd & 0xF;
        int a = hi >>> 3, e = mid >>> 3, i = lo >>> 3;
        int bcd2 = hi & 7, fgh = mid & 7, jkm = lo & 7;
        int d = (hi >>> 0) & 1, h = mid & 1, m = lo & 1;
        int jk = (lo >>> 1) & 3, fg = (mid >>> 1) & 3;
        int pqr, stu, wxy, v = 1;
        switch ((a << 2) | (e << 1) | i) {
            case 0 -> {
                pqr = bcd2;
                stu = fgh;
                v = 0;
                wxy = jkm;
            }
            case 1 -> {
                pqr = bcd2;
                stu = fgh;
                wxy = m;
            }
            case 2 -> {
                pqr = bcd2;
                stu = (jk << 1) | h;
                wxy = 2 | m;
            }
            case 3 -> {
                pqr = bcd2;
                stu = 4 | h;
                wxy = 6 | m;
            }
            case 4 -> {
                pqr = (jk << 1) | d;
                stu = fgh;
                wxy = 4 | m;
            }
            case 5 -> {
                pqr = (fg << 1) | d;
                stu = 2 | h;
                wxy = 6 | m;
            }
            case 6 -> {
                pqr = (jk << 1) | d;
                stu = h;
                wxy = 6 | m;
            }
            default -> {
                pqr = d;
                stu = 6 | h;
                wxy = 6 | m;
            }
        }
        return (pqr << 7) | (stu << 4) | (v << 3) | wxy;
    }
}
