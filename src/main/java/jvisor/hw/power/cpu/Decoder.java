package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.FixedPoint.ra;
import static jvisor.hw.power.cpu.FixedPoint.rb;
import static jvisor.hw.power.cpu.FixedPoint.rt;
import static jvisor.hw.power.cpu.Op.*;

/**
 * Maps an instruction word to its operation index, once per word (the result is cached in a
 * {@link DecodePage}). Operand fields stay in the word and are extracted by the instruction
 * bodies. Invalid forms the ISA leaves boundedly undefined (update forms with RA=0 or RA=RT,
 * odd register pairs for lq/stq) decode as {@link Op#ILLEGAL}, the way POWER9 reports them.
 */
final class Decoder {
    private Decoder() {
    }

    static int decode(int w) {
        // FP, VMX and VSX words: an implemented one is a declared operation; a valid one that is
        // not implemented yet keeps its facility's operation (unavailable when the facility is off,
        // "not implemented" when on); any other word of their opcode spaces is illegal. The
        // facility is the encoding table's, which knows the operands that choose it (mfvsrd's SX...).
        // The table of valid encodings has the last word: a declaration whose mask is looser than
        // POWER9's (reserved bits, phased-out forms) does not make an invalid word valid.
        VectorScalarEncodings.Encoding valid = VectorScalarEncodings.find(w);
        if (valid != null) {
            int declared = VectorScalarInstructions.find(w);
            if (declared >= 0) return DECLARED + (declared << 2 | valid.facilityOf().ordinal());
            return valid.op();
        }
        return decodeFixedPointAndBranch(w);
    }

    private static int decodeFixedPointAndBranch(int w) {
        int rt = rt(w), ra = ra(w);
        return switch (w >>> 26) {
            case 2 -> TDI;
            case 3 -> TWI;
            case 4 -> switch (w & 0x3F) {
                case 48 -> MADDHD;
                case 49 -> MADDHDU;
                case 51 -> MADDLD;
                default -> ILLEGAL;
            };
            case 7 -> MULLI;
            case 8 -> SUBFIC;
            case 10 -> CMPLI;
            case 11 -> CMPI;
            case 12 -> ADDIC;
            case 13 -> ADDIC_RC;
            case 14 -> ADDI;
            case 15 -> ADDIS;
            case 16 -> BC;
            // sc has bit 30 set; scv (bits 30:31 = 01) is taken with bit 31 either way, as QEMU does.
            case 17 -> (w & 3) == 2 ? SC : (w & 2) == 0 ? SCV : ILLEGAL;
            case 18 -> B;
            case 19 -> decode19(w);
            case 20 -> RLWIMI;
            case 21 -> RLWINM;
            case 23 -> RLWNM;
            case 24 -> ORI;
            case 25 -> ORIS;
            case 26 -> XORI;
            case 27 -> XORIS;
            case 28 -> ANDI;
            case 29 -> ANDIS;
            case 30 -> decode30(w);
            case 31 -> decode31(w);
            case 32 -> LWZ;
            case 33 -> loadUpdate(LWZU, rt, ra);
            case 34 -> LBZ;
            case 35 -> loadUpdate(LBZU, rt, ra);
            case 36 -> STW;
            case 37 -> storeUpdate(STWU, ra);
            case 38 -> STB;
            case 39 -> storeUpdate(STBU, ra);
            case 40 -> LHZ;
            case 41 -> loadUpdate(LHZU, rt, ra);
            case 42 -> LHA;
            case 43 -> loadUpdate(LHAU, rt, ra);
            case 44 -> STH;
            case 45 -> storeUpdate(STHU, ra);
            // lmw: RA in the range of registers loaded (r0 included when RT=0) is an invalid form.
            case 46 -> ra >= rt ? ILLEGAL : LMW;
            case 47 -> STMW;
            case 56 -> (rt & 1) != 0 || rt == ra ? ILLEGAL : LQ;
            case 58 -> switch (w & 3) {
                case 0 -> LD;
                case 1 -> loadUpdate(LDU, rt, ra);
                case 2 -> LWA;
                default -> ILLEGAL;
            };
            case 62 -> switch (w & 3) {
                case 0 -> STD;
                case 1 -> storeUpdate(STDU, ra);
                case 2 -> (rt & 1) != 0 ? ILLEGAL : STQ;
                default -> ILLEGAL;
            };
            default -> ILLEGAL;
        };
    }

    private static int loadUpdate(int op, int rt, int ra) {
        return ra == 0 || ra == rt ? ILLEGAL : op;
    }

    private static int storeUpdate(int op, int ra) {
        return ra == 0 ? ILLEGAL : op;
    }

    private static int decode19(int w) {
        if (((w >>> 1) & 0x1F) == 2) {
            return ADDPCIS;
        }
        // Bit 31 is reserved in the XL forms below; QEMU's POWER9 (the reference for what a guest
        // sees) makes it an illegal instruction when set, except for rfebb.
        boolean bit31 = (w & 1) != 0;
        int op = switch ((w >>> 1) & 0x3FF) {
            case 0 -> MCRF;
            case 16 -> BCLR;
            case 18 -> RFID;
            case 33 -> CRNOR;
            case 82 -> RFSCV;
            case 129 -> CRANDC;
            case 146 -> RFEBB;
            case 150 -> ISYNC;
            case 193 -> CRXOR;
            case 225 -> CRNAND;
            case 257 -> CRAND;
            case 289 -> CREQV;
            case 417 -> CRORC;
            case 449 -> CROR;
            // bcctr with BO[2]=0 is an invalid form POWER9 executes as "decrement and test CTR"
            // (with the old CTR as the target), which QEMU follows and Linux relies on.
            case 528 -> BCCTR;
            case 560 -> BCTAR;
            case 274, 370 -> HYP_ONLY; // hrfid, stop
            default -> ILLEGAL;
        };
        boolean linkBit = op == BCLR || op == BCCTR || op == BCTAR || op == RFEBB;
        return bit31 && !linkBit ? ILLEGAL : op;
    }

    private static int decode30(int w) {
        return switch ((w >>> 2) & 7) {
            case 0 -> RLDICL;
            case 1 -> RLDICR;
            case 2 -> RLDIC;
            case 3 -> RLDIMI;
            case 4 -> switch ((w >>> 1) & 0xF) {
                case 8 -> RLDCL;
                case 9 -> RLDCR;
                default -> ILLEGAL;
            };
            default -> ILLEGAL;
        };
    }

    /**
     * X-form extended opcodes of primary 31 whose bit 31 is reserved (or, for the cache-inhibited
     * loads, must be 0) and which QEMU's POWER9 rejects as illegal when it is set. The ISA (Book I
     * §1.3.3) says reserved fields are ignored; for a pseries guest QEMU is the reference here.
     */
    private static boolean reservedBit31IsIllegal(int xo) {
        return switch (xo) {
            case 19, 54, 83, 86, 128, 144, 146, 178, 210, 242, 246, 278, 339, 371, 470, 512, 532, 533, 534, 566,
                 576, 582, 595, 597, 614, 659, 661, 710, 725, 742, 789, 790, 821, 822, 838, 853, 885, 982, 1014 -> true;
            default -> false;
        };
    }

    private static int decode31(int w) {
        if (((w >>> 1) & 0x1F) == 15) {
            return ISEL;
        }
        if (((w >>> 1) & 0xFF) == 170) {
            return ADDEX;
        }
        switch ((w >>> 2) & 0x1FF) {
            case 413:
                return SRADI;
            case 445:
                return EXTSWSLI;
            default:
                break;
        }
        int rt = rt(w), ra = ra(w);
        int x = (w >>> 1) & 0x3FF;
        if ((w & 1) != 0 && reservedBit31IsIllegal(x)) {
            return ILLEGAL;
        }
        int op = switch (x) {
            case 0 -> CMP;
            case 4 -> TW;
            case 9 -> MULHDU;
            case 11 -> MULHWU;
            case 73 -> MULHD;
            case 75 -> MULHW;
            case 19 -> (w & (1 << 20)) != 0 ? MFOCRF : MFCR;
            case 20 -> LWARX;
            case 21 -> LDX;
            case 54, 86, 246, 278, 822, 838 -> CACHE_HINT; // dcbst, dcbf, dcbtst, dcbt, dss, cpabort
            case 658, 690, 722, 754 -> CACHE_HINT; // hashstp, hashchkp, hashst, hashchk: no-ops without a DEXCR
            case 74 -> ADDG6S;
            case 282 -> CDTBCD;
            case 314 -> CBCDTD;
            case 512 -> MCRXR;
            case 582 -> LOAD_ATOMIC;
            case 614 -> LOAD_ATOMIC;
            case 710 -> STORE_ATOMIC;
            case 742 -> STORE_ATOMIC;
            case 654, 686, 718, 750, 782, 814, 846, 878, 910, 942, 1006 -> TRANSACTIONAL;
            case 142, 174, 210, 242, 338, 466, 470, 850 -> PRIVILEGED_NOP;
            case 595, 659 -> MFSR;
            case 302, 430 -> BHRB;
            case 23 -> LWZX;
            case 24 -> SLW;
            case 26 -> CNTLZW;
            case 27 -> SLD;
            case 28 -> AND;
            case 30, 62 -> WAIT;
            case 32 -> CMPL;
            case 52 -> LBARX;
            case 53 -> loadUpdate(LDUX, rt, ra);
            case 55 -> loadUpdate(LWZUX, rt, ra);
            case 58 -> CNTLZD;
            case 60 -> ANDC;
            case 68 -> TD;
            case 83 -> MFMSR;
            case 84 -> LDARX;
            case 87 -> LBZX;
            case 116 -> LHARX;
            case 119 -> loadUpdate(LBZUX, rt, ra);
            case 122 -> POPCNTB;
            case 124 -> NOR;
            case 128 -> SETB;
            case 144 -> (w & (1 << 20)) != 0 ? MTOCRF : MTCRF;
            case 146 -> MTMSR;
            case 149 -> STDX;
            case 150 -> STWCX;
            case 151 -> STWX;
            case 154 -> PRTYW;
            case 178 -> MTMSRD;
            case 181 -> storeUpdate(STDUX, ra);
            case 182 -> (rt & 1) != 0 ? ILLEGAL : STQCX;
            case 183 -> storeUpdate(STWUX, ra);
            case 186 -> PRTYD;
            case 192 -> CMPRB;
            case 214 -> STDCX;
            case 215 -> STBX;
            case 224 -> CMPEQB;
            case 247 -> storeUpdate(STBUX, ra);
            case 252 -> BPERMD;
            case 265 -> MODUD;
            case 267 -> MODUW;
            case 274 -> TLBIEL;
            case 276 -> (rt & 1) != 0 || rt == ra || rt == rb(w) ? ILLEGAL : LQARX;
            case 279 -> LHZX;
            case 284 -> EQV;
            case 306 -> TLBIE;
            case 311 -> loadUpdate(LHZUX, rt, ra);
            case 316 -> XOR;
            case 339 -> MFSPR;
            case 341 -> LWAX;
            case 343 -> LHAX;
            case 371 -> MFTB;
            case 373 -> loadUpdate(LWAUX, rt, ra);
            case 375 -> loadUpdate(LHAUX, rt, ra);
            case 378 -> POPCNTW;
            case 402, 434, 851, 915 -> SLB_OTHER;
            case 979 -> (w & 1) != 0 ? SLB_OTHER : ILLEGAL; // slbfee. has only the record form
            case 407 -> STHX;
            case 412 -> ORC;
            case 439 -> storeUpdate(STHUX, ra);
            case 444 -> OR;
            case 467 -> MTSPR;
            case 476 -> NAND;
            case 498 -> SLBIA;
            case 506 -> POPCNTD;
            case 508 -> CMPB;
            case 532 -> LDBRX;
            case 533 -> LSWX;
            case 534 -> LWBRX;
            case 536 -> SRW;
            case 538 -> CNTTZW;
            case 539 -> SRD;
            case 566 -> TLBSYNC;
            case 570 -> CNTTZD;
            case 576 -> MCRXRX;
            case 597 -> LSWI;
            case 598 -> SYNC;
            case 660 -> STDBRX;
            case 661 -> STSWX;
            case 662 -> STWBRX;
            case 694 -> STBCX;
            case 725 -> STSWI;
            case 726 -> STHCX;
            case 755 -> DARN;
            case 777 -> MODSD;
            case 779 -> MODSW;
            case 790 -> LHBRX;
            case 792 -> SRAW;
            case 794 -> SRAD;
            case 824 -> SRAWI;
            case 854 -> EIEIO;
            case 918 -> STHBRX;
            case 922 -> EXTSH;
            case 954 -> EXTSB;
            case 982 -> ICBI;
            case 986 -> EXTSW;
            case 1014 -> DCBZ;
            // Hypervisor-only: msgsnd, msgclr, msgsync and the cache-inhibited loads and stores.
            case 206, 238, 789, 821, 853, 885, 886, 917, 949, 981, 1013 -> HYP_ONLY;
            default -> 0;
        };
        if (op != 0) {
            return op;
        }
        return switch ((w >>> 1) & 0x1FF) {
            // mulh* and addg6s have no OE form: bit 21 is reserved and ignored (as QEMU does).
            case 9 -> MULHDU;
            case 11 -> MULHWU;
            case 73 -> MULHD;
            case 75 -> MULHW;
            case 74 -> ADDG6S;
            case 8 -> SUBFC;
            case 10 -> ADDC;
            case 40 -> SUBF;
            case 104 -> NEG;
            case 136 -> SUBFE;
            case 138 -> ADDE;
            case 200 -> SUBFZE;
            case 202 -> ADDZE;
            case 232 -> SUBFME;
            case 233 -> MULLD;
            case 234 -> ADDME;
            case 235 -> MULLW;
            case 266 -> ADD;
            case 393 -> DIVDEU;
            case 395 -> DIVWEU;
            case 425 -> DIVDE;
            case 427 -> DIVWE;
            case 457 -> DIVDU;
            case 459 -> DIVWU;
            case 489 -> DIVD;
            case 491 -> DIVW;
            default -> ILLEGAL;
        };
    }
}
