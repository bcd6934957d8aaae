package jvisor.fuzz;

import static jvisor.fuzz.PowerAsm.*;
import static jvisor.fuzz.PowerFuzzLayout.*;

import java.util.Arrays;
import java.util.SplittableRandom;
import jvisor.hw.power.cpu.Spr;
import jvisor.kvm.power.Hcall;
import jvisor.kvm.power.KvmParavirt;

/**
 * Writes the fuzz guest's code: short gadgets one after another, each aimed at one thing a
 * hostile guest can do. Loads and stores of every form (fixed point, floating point, vector,
 * VSX, atomic, string, cache block) based on registers r14..r20, which hold addresses picked to
 * matter (RAM, the guest's own page tables, the second slot, devices, holes, other quadrants,
 * wild values); random words in the FP, VMX and VSX opcode spaces and under primary 31;
 * privileged instructions (mtspr/mfspr of the SPRs that matter, mtmsr(d), tlbie and tlbiel in all
 * their forms, slb*, msgsnd, stop, rfid into problem state); hypercalls with chosen and random
 * numbers and arguments, RTAS calls through prepared blocks, H_REGISTER_PROCESS_TABLE;
 * branches; and plain random words. What each gadget does depends on the state it finds, so
 * the same code does different things from one run to the next.
 */
final class PowerCodeGenerator {
    /** The base registers the gadgets address memory through; the host refills them now and then. */
    static final int[] BASE = {14, 15, 16, 17, 18, 19, 20};

    private static final int[] D_FORM_MEMORY = {32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48,
        49, 50, 51, 52, 53, 54, 55};
    /** X-form storage and cache ops under primary 31 (loads, stores, reserve/conditional, byte-reversed, string, vector, VSX). */
    private static final int[] X_MEMORY = {23, 87, 279, 343, 21, 53, 341, 151, 215, 407, 149, 181, 20, 84, 150, 214,
        52, 116, 694, 726, 276, 182, 534, 662, 532, 660, 790, 918, 533, 597, 661, 725, 103, 231, 7, 135, 39, 167,
        199, 844, 972, 780, 908, 268, 396, 269, 397, 525, 599, 727, 535, 663, 631, 759, 1014, 54, 86, 982, 278, 246,
        855, 983, 588, 716};
    private static final int[] SPRS = {Spr.XER, Spr.LR, Spr.CTR, Spr.DSISR, Spr.DAR, Spr.DEC, Spr.SRR0, Spr.SRR1,
        Spr.CFAR, Spr.AMR, Spr.AMR_USER, Spr.PIDR, Spr.IAMR, Spr.CTRL, Spr.FSCR, Spr.UAMOR, Spr.PSPB, Spr.VRSAVE,
        Spr.TB, Spr.SPRG0, Spr.SPRG1, Spr.SPRG2, Spr.SPRG3, Spr.PVR, Spr.HSPRG0, Spr.HDSISR, Spr.HDAR, Spr.HDEC,
        Spr.HSRR0, Spr.HSRR1, Spr.LPCR, Spr.LPIDR, Spr.HEIR, Spr.AMOR, Spr.PTCR, Spr.SIAR, Spr.SDAR, Spr.ASDR,
        Spr.TAR, Spr.PSSCR, Spr.PPR, Spr.PIR, Spr.TIDR, Spr.DSCR, 187, 190, 256, 768, 769, 770, 771, 784, 795, 800,
        850, 851, 880, 881, 0, 4, 5, 6, 1022};
    static final long[] HCALLS = {Hcall.H_SET_SPRG0, Hcall.H_SET_DABR, Hcall.H_PAGE_INIT, Hcall.H_GET_TERM_CHAR,
        Hcall.H_PUT_TERM_CHAR, Hcall.H_EOI, Hcall.H_CPPR, Hcall.H_IPI, Hcall.H_IPOLL, Hcall.H_XIRR,
        Hcall.H_REGISTER_VPA, Hcall.H_CEDE, Hcall.H_RANDOM, Hcall.H_SET_MODE, Hcall.H_REGISTER_PROCESS_TABLE,
        Hcall.KVMPPC_H_RTAS, 0x04, 0x08, 0x18, 0x1C, 0x2F4, 0x2F8, 0x360, 0x380, 0x3A0, 0x3C0};

    /** Generated code and where its gadgets start. */
    record Program(int[] words, long[] starts) {
        long randomStart(SplittableRandom r) {
            return starts[r.nextInt(starts.length)];
        }
    }

    private final SplittableRandom r;
    private final int[] w = new int[(int) ((CODE_END - CODE) / 4)];
    private int at;

    PowerCodeGenerator(SplittableRandom r) {
        this.r = r;
    }

    /** Fills {@code [CODE, CODE_END)}. */
    Program generate() {
        long[] starts = new long[w.length];
        int n = 0;
        while (at < w.length - 64) {
            starts[n++] = CODE + 4L * at;
            gadget(starts, n);
        }
        while (at < w.length) w[at++] = r.nextInt();
        return new Program(w, Arrays.copyOf(starts, n));
    }

    private int base() {
        return r.nextInt(8) == 0 ? r.nextInt(32) : BASE[r.nextInt(BASE.length)];
    }

    private int reg() {
        return r.nextInt(32);
    }

    private int disp() {
        return switch (r.nextInt(4)) {
            case 0 -> r.nextInt(0x10000);
            case 1 -> -r.nextInt(64) & ~7;
            default -> r.nextInt(0x1000) & ~(r.nextBoolean() ? 7 : 0);
        };
    }

    private void gadget(long[] starts, int n) {
        int k = r.nextInt(100);
        if (k < 18) {
            w[at++] = dForm(D_FORM_MEMORY[r.nextInt(D_FORM_MEMORY.length)], reg(), base(), disp());
        } else if (k < 24) {
            int[] ops = {58, 62, 57, 61, 56};
            w[at++] = dsForm(ops[r.nextInt(ops.length)], reg(), base(), disp(), r.nextInt(4));
        } else if (k < 36) {
            w[at++] = xForm(31, reg(), base(), r.nextInt(4) == 0 ? base() : reg(), X_MEMORY[r.nextInt(X_MEMORY.length)],
                    r.nextInt(2));
        } else if (k < 46) {
            int[] primaries = {4, 59, 63, 60, 61, 57, 31};
            w[at++] = primaries[r.nextInt(primaries.length)] << 26 | r.nextInt(1 << 26);
        } else if (k < 56) {
            privileged();
        } else if (k < 63) {
            hypercall();
        } else if (k < 65) {
            rtas();
        } else if (k < 67) {
            registerProcessTable();
        } else if (k < 71) {
            msrByRfid();
        } else if (k < 74) {
            at = load64(w, at, 31, randomMsr(r));
            w[at++] = r.nextBoolean() ? mtmsrd(31, r.nextInt(2)) : mtmsr(31, r.nextInt(2));
        } else if (k < 79) {
            branch(starts, n);
        } else if (k < 82) {
            systemCall();
        } else if (k < 84) {
            w[at++] = li(31, r.nextInt(10));
            w[at++] = mtspr(Spr.PIDR, 31);
            w[at++] = ISYNC;
        } else if (k < 92) {
            at = load64(w, at, BASE[r.nextInt(BASE.length)], address(r));
        } else if (k < 95) {
            int[] barriers = {SYNC, LWSYNC, PTESYNC, EIEIO, ISYNC, TLBSYNC};
            w[at++] = barriers[r.nextInt(barriers.length)];
        } else {
            w[at++] = r.nextInt();
        }
    }

    private void privileged() {
        switch (r.nextInt(10)) {
            case 0, 1 -> w[at++] = mtspr(SPRS[r.nextInt(SPRS.length)], reg());
            case 2 -> w[at++] = mfspr(reg(), SPRS[r.nextInt(SPRS.length)]);
            case 3, 4 -> {
                w[at++] = tlbie(base(), reg(), r.nextInt(4), r.nextInt(2), r.nextInt(2));
                if (r.nextBoolean()) {
                    w[at++] = EIEIO;
                    w[at++] = TLBSYNC;
                    w[at++] = PTESYNC;
                }
            }
            case 5 -> w[at++] = tlbiel(base(), reg(), r.nextInt(4), r.nextInt(2), r.nextInt(2));
            case 6 -> {
                // slbie, slbmte, slbmfee, slbia, msgsnd, msgclr, msgsndp, msgclrp
                int[] xo = {434, 402, 915, 498, 206, 238, 142, 174};
                w[at++] = xForm(31, reg(), reg(), reg(), xo[r.nextInt(xo.length)], 0);
            }
            default -> {
                int[] words = {RFID, HRFID, STOP, ATTN, TRAP, SLBIA, 0x4C00_0364 /* nap (gone in v3.0) */,
                    0x7C00_007C /* wait */, 0x4C00_0004 /* rfscv */, 0x4C00_00A4 /* rfebb */};
                w[at++] = words[r.nextInt(words.length)];
            }
        }
    }

    private void hypercall() {
        long nr = switch (r.nextInt(4)) {
            case 0 -> 4L * r.nextInt(0x140);
            case 1 -> r.nextLong();
            default -> HCALLS[r.nextInt(HCALLS.length)];
        };
        if (nr == Hcall.H_CEDE && r.nextInt(4) != 0) nr = Hcall.H_RANDOM; // cedes sleep: keep them rare
        at = load64(w, at, 3, nr);
        int args = r.nextInt(7);
        for (int i = 0; i < args; i++) {
            int rt = 4 + r.nextInt(6);
            switch (r.nextInt(4)) {
                case 0 -> w[at++] = li(rt, r.nextInt(0x10000));
                case 1 -> w[at++] = lis(rt, 0x3000); // the console's termno
                case 2 -> w[at++] = xForm(31, BASE[r.nextInt(BASE.length)], rt, BASE[r.nextInt(BASE.length)], 444, 0); // mr
                default -> at = load64(w, at, rt, address(r));
            }
        }
        w[at++] = SC_HV;
    }

    private void rtas() {
        at = load64(w, at, 3, Hcall.KVMPPC_H_RTAS);
        at = load64(w, at, 4, RTAS_BLOCKS + RTAS_BLOCK_SIZE * r.nextInt((int) RTAS_BLOCK_COUNT) + (r.nextInt(16) == 0 ? 2 : 0));
        w[at++] = SC_HV;
    }

    private void registerProcessTable() {
        long[] flags = {0x1C, 0x1D, 0x18, 0x10, 0x04, 0x05, 0x1E, 0x03};
        at = load64(w, at, 3, Hcall.H_REGISTER_PROCESS_TABLE);
        at = load64(w, at, 4, r.nextInt(8) == 0 ? r.nextLong() : flags[r.nextInt(flags.length)]);
        at = load64(w, at, 5, r.nextInt(4) == 0 ? address(r) & ~0xFFFL : PROCESS_TABLE);
        w[at++] = li(6, r.nextInt(8) == 0 ? r.nextInt(4) : 0);
        w[at++] = li(7, r.nextInt(6) == 0 ? r.nextInt(40) - 4 : PROCESS_TABLE_SIZE_LOG);
        w[at++] = SC_HV;
    }

    /** Enters the next gadget with an MSR of the guest's choosing (problem state, translation on...) by rfid. */
    private void msrByRfid() {
        at = load64(w, at, 31, randomMsr(r));
        w[at++] = mtspr(Spr.SRR1, 31);
        w[at++] = BCL_NEXT;
        w[at++] = mfspr(30, Spr.LR);
        w[at++] = addi(30, 30, 16);
        w[at++] = mtspr(Spr.SRR0, 30);
        w[at++] = RFID;
    }

    private void branch(long[] starts, int n) {
        long here = CODE + 4L * at;
        switch (r.nextInt(5)) {
            case 0 -> w[at++] = b(starts[r.nextInt(n)] - here, r.nextBoolean());
            case 1 -> w[at++] = bc(r.nextInt(32), r.nextInt(32), (int) (starts[r.nextInt(n)] - here), r.nextBoolean());
            case 2 -> {
                w[at++] = mtspr(r.nextBoolean() ? Spr.CTR : Spr.LR, base());
                w[at++] = bcReg(20, 0, r.nextBoolean() ? 528 : 16, r.nextBoolean());
            }
            case 3 -> {
                // A short counted loop: li r29,n; mtctr r29; <access>; bdnz back.
                w[at++] = li(29, 1 + r.nextInt(40));
                w[at++] = mtspr(Spr.CTR, 29);
                w[at++] = dForm(D_FORM_MEMORY[r.nextInt(D_FORM_MEMORY.length)], reg(), base(), disp());
                w[at++] = bc(16, 0, -4, false);
            }
            default -> w[at++] = bcReg(r.nextInt(32), r.nextInt(32), new int[] {16, 528, 560}[r.nextInt(3)], r.nextBoolean());
        }
    }

    private void systemCall() {
        if (r.nextBoolean()) {
            // KVM's paravirtual interface: r0 = "KVM!", token in r11.
            at = load64(w, at, 0, KvmParavirt.SC_MAGIC_R0);
            w[at++] = li(11, r.nextInt(4) == 0 ? r.nextInt(0x10000) : r.nextInt(4));
        }
        w[at++] = SC;
    }

    /** An MSR a guest might try: 64-bit with ME, problem state, translation, facilities, EE, sometimes LE or SF off. */
    static long randomMsr(SplittableRandom r) {
        long msr = jvisor.hw.power.Msr.ME;
        if (r.nextInt(10) != 0) msr |= jvisor.hw.power.Msr.SF;
        if (r.nextInt(3) == 0) msr |= jvisor.hw.power.Msr.PR;
        if (r.nextInt(5) < 2) msr |= jvisor.hw.power.Msr.IR;
        if (r.nextInt(5) < 2) msr |= jvisor.hw.power.Msr.DR;
        if (r.nextInt(5) == 0) msr |= jvisor.hw.power.Msr.EE;
        if (r.nextBoolean()) msr |= jvisor.hw.power.Msr.FP;
        if (r.nextBoolean()) msr |= jvisor.hw.power.Msr.VEC;
        if (r.nextBoolean()) msr |= jvisor.hw.power.Msr.VSX;
        if (r.nextInt(40) == 0) msr |= jvisor.hw.power.Msr.LE;
        if (r.nextInt(60) == 0) msr |= jvisor.hw.power.Msr.SE | jvisor.hw.power.Msr.BE;
        if (r.nextInt(60) == 0) msr |= r.nextLong();
        return msr;
    }

    /** An address that matters to somebody: the guest's RAM, its tables, devices, holes, other quadrants, or nonsense. */
    static long address(SplittableRandom r) {
        return switch (r.nextInt(20)) {
            case 0, 1, 2, 3 -> DATA + (r.nextLong(DATA_END - DATA) & ~7);
            case 4, 5 -> PROCESS_TABLE + (r.nextLong(TABLES_END - PROCESS_TABLE) & ~7);
            case 6 -> CODE + (r.nextLong(CODE_END - CODE) & ~3);
            case 7 -> r.nextLong(0x4000) & ~7;
            case 8 -> SLOT1 + r.nextLong(SLOT1_SIZE);
            case 9 -> UART + r.nextInt(8);
            case 10 -> SCRATCH + r.nextLong(SCRATCH_SIZE);
            case 11 -> (r.nextBoolean() ? HOLE_LOW : HOLE_HIGH) + r.nextLong(1 << 20);
            case 12 -> RAM - 8 + r.nextInt(16);
            case 13 -> 0xC000_0000_0000_0000L | (DATA + r.nextLong(DATA_END - DATA));
            case 14 -> ((long) r.nextInt(4) << 62) | r.nextLong(RAM);
            case 15 -> r.nextLong(RAM);
            case 16 -> MMIO_WINDOW_EDGE - r.nextInt(4096);
            case 17 -> -8L - r.nextInt(4096);
            default -> r.nextLong();
        };
    }

    /** Just below the VMM's MMIO window: the last addresses a 60-bit real address can name below it. */
    private static final long MMIO_WINDOW_EDGE = UART;
}
