package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.FixedPoint.rb;
import static jvisor.hw.power.cpu.FixedPoint.rt;

import jvisor.hw.power.InterruptVector;
import jvisor.hw.power.Lpcr;
import jvisor.hw.power.Mmu;
import jvisor.hw.power.Msr;
import jvisor.hw.power.TlbControl;
import jvisor.hw.power.Tlbie;

/**
 * System instructions: sc, rfid, MSR moves, storage control (tlbie, tlbiel, tlbsync, slbia, icbi),
 * the hypervisor-only instructions, the hints, and the illegal instruction.
 */
final class SystemOps {
    private SystemOps() {
    }

    /** sc: LEV=1 is a hypercall, an exit to the hypervisor with HSRR0 past the sc; otherwise 0xc00. */
    static int sc(Core c, int w) {
        int lev = (w >>> 5) & 0x7F;
        if (lev == 1) {
            c.hsrr0 = c.pc;
            c.hsrr1 = c.msr;
            return c.exit(Exit.HYPERCALL, "");
        }
        if (c.interceptSystemCalls) {
            // The hypervisor looks at it first (KVM's paravirtual calls, OSI) and delivers the
            // system call interrupt itself if it is the guest's own.
            c.hsrr0 = c.pc;
            c.hsrr1 = c.msr;
            return c.exit(Exit.SYSTEM_CALL, "");
        }
        return c.interrupts.raise(InterruptVector.SYSTEM_CALL, c.pc, 0);
    }

    /**
     * rfid from a non-hypervisor state: MSR from SRR1 except HV, ME and S, which stay; PR=1 forces
     * EE, IR and DR on; execution resumes at SRR0 (word aligned, truncated in 32-bit mode).
     */
    static int rfid(Core c, int w) {
        if (c.problemState()) {
            return c.interrupts.privileged();
        }
        long target = c.srr0;
        c.applyMsr(guestMsr(c.msr, c.srr1, Msr.GUEST_WRITABLE));
        c.sprs[Spr.CFAR] = c.cia;
        c.pc = target & ~3L & c.addrMask;
        return Core.OK;
    }

    /** rfscv: like rfid with the MSR from CTR and the return address from LR. */
    static int rfscv(Core c, int w) {
        if (c.problemState()) {
            return c.interrupts.privileged();
        }
        long target = c.lr;
        c.applyMsr(guestMsr(c.msr, c.ctr, Msr.GUEST_WRITABLE));
        c.sprs[Spr.CFAR] = c.cia;
        c.pc = target & ~3L & c.addrMask;
        return Core.OK;
    }

    /** scv LEV (bits 20:26): with FSCR[SCV]=0 a facility-unavailable interrupt, else the vectored system call. */
    static int scv(Core c, int w) {
        if ((c.sprs[Spr.FSCR] & Spr.FSCR_SCV) == 0) {
            return Spr.facilityUnavailable(c, Spr.CAUSE_SCV);
        }
        return c.interrupts.systemCallVectored((w >>> 5) & 0x7F);
    }

    /** rfebb S: BESCR[GE] = S, back to EBBRR; from problem state only with FSCR[EBB]. */
    static int rfebb(Core c, int w) {
        if (c.problemState() && (c.sprs[Spr.FSCR] & Spr.FSCR_EBB) == 0) {
            return Spr.facilityUnavailable(c, Spr.CAUSE_EBB);
        }
        long ge = 1L << 63;
        c.sprs[Spr.BESCR] = (c.sprs[Spr.BESCR] & ~ge) | ((w & (1 << 11)) != 0 ? ge : 0);
        c.sprs[Spr.CFAR] = c.cia;
        c.pc = c.sprs[Spr.EBBRR] & ~3L & c.addrMask;
        return Core.OK;
    }

    /**
     * Transactional-memory instructions: POWER9 offers TM only with MSR[TM], which a pseries guest
     * here never gets, so they raise the facility-unavailable interrupt with cause TM.
     */
    static int transactional(Core c, int w) {
        if ((c.msr & Msr.TM) == 0) {
            return Spr.facilityUnavailable(c, Spr.CAUSE_TM);
        }
        return c.unimplemented("transactional-memory instruction", w);
    }

    /**
     * Privileged instructions with nothing to do in a radix partition of single-thread cores:
     * msgsndp/msgclrp (no sibling thread to ring), slbsync, slbieg, slbiag, dcbi, mtsr, mtsrin.
     */
    static int privilegedNop(Core c, int w) {
        return c.problemState() ? c.interrupts.privileged() : Core.OK;
    }

    /** mfsr, mfsrin: a radix partition has no segment registers; they read 0. */
    static int mfsr(Core c, int w) {
        if (c.problemState()) {
            return c.interrupts.privileged();
        }
        c.gpr[rt(w)] = 0;
        return Core.OK;
    }

    /** mfbhrbe reads an empty branch history rolling buffer (0), clrbhrb has nothing to clear. */
    static int bhrb(Core c, int w) {
        if (c.problemState() && (c.sprs[Spr.FSCR] & Spr.FSCR_BHRB) == 0) {
            return Spr.facilityUnavailable(c, Spr.CAUSE_BHRB);
        }
        if (((w >>> 1) & 0x3FF) == 302) {
            c.gpr[rt(w)] = 0;
        }
        return Core.OK;
    }

    private static long guestMsr(long old, long v, long writable) {
        long n = (old & ~writable) | (v & writable);
        if ((n & Msr.PR) != 0) {
            n |= Msr.EE | Msr.IR | Msr.DR;
        }
        return n;
    }

    static int mfmsr(Core c, int w) {
        if (c.problemState()) {
            return c.interrupts.privileged();
        }
        c.gpr[rt(w)] = c.msr;
        return Core.OK;
    }

    /** mtmsrd (64-bit) and mtmsr (low word only); L=1 changes only EE and RI. */
    static int mtmsr(Core c, int w, boolean doubleword) {
        if (c.problemState()) {
            return c.interrupts.privileged();
        }
        long v = c.gpr[rt(w)], old = c.msr;
        if ((w & (1 << 16)) != 0) {
            long m = Msr.EE | Msr.RI;
            c.applyMsr((c.msr & ~m) | (v & m));
        } else {
            long writable = doubleword ? Msr.GUEST_WRITABLE : Msr.GUEST_WRITABLE & 0xFFFF_FFFFL;
            c.applyMsr(guestMsr(c.msr, v, writable));
            c.pc &= c.addrMask;
        }
        return FloatingPointUnit.exceptionsEnabled(c, old);
    }

    /** The guest may invalidate translations itself only with LPCR[GTSE]; otherwise the hypervisor does it. */
    private static int tlbAccess(Core c, int w) {
        if (c.problemState()) {
            return c.interrupts.privileged();
        }
        if ((c.mmuRegs.lpcr & Lpcr.GTSE) == 0) {
            return c.interrupts.hypervisorAssist(w);
        }
        return Core.OK;
    }

    static int tlbie(Core c, int w, boolean local) {
        // tlbiel needs no LPCR[GTSE]: whether a guest may use the form it names is the MMU's rule.
        int r = local ? (c.problemState() ? c.interrupts.privileged() : Core.OK) : tlbAccess(c, w);
        if (r != Core.OK) {
            return r;
        }
        int ric = (w >>> 18) & 3, prs = (w >>> 17) & 1, radix = (w >>> 16) & 1;
        long rs = c.gpr[rt(w)], rb = c.gpr[rb(w)];
        if (c.tlb.tlbie(rb, rs, ric, prs, radix, local) != TlbControl.OK) {
            return c.interrupts.illegal();
        }
        c.translations.invalidated(prs != 0, Tlbie.is(rb), rb & Tlbie.EPN_MASK, Tlbie.pageShiftOfAp(Tlbie.ap(rb)));
        return Core.OK;
    }

    static int tlbsync(Core c, int w) {
        return tlbAccess(c, w);
    }

    static int slbia(Core c, int w) {
        if (c.problemState()) {
            return c.interrupts.privileged();
        }
        c.tlb.slbia((w >>> 21) & 7);
        c.translations.flushAll();
        return Core.OK;
    }

    /** slbie, slbmte, slbmfee, slbmfev, slbfee.: a radix guest has no SLB; reads give 0, slbfee. "not found". */
    static int slbOther(Core c, int w) {
        if (c.problemState()) {
            return c.interrupts.privileged();
        }
        int xo = (w >>> 1) & 0x3FF;
        if (xo == 402 && !validSlbEntry(c.gpr[rb(w)], c.gpr[rt(w)])) {
            return c.interrupts.illegal();
        }
        if (xo == 851 || xo == 915 || xo == 979) {
            c.gpr[rt(w)] = 0;
        }
        if (xo == 979) {
            c.setCrField(0, c.so);
        }
        return Core.OK;
    }

    /**
     * slbmte operands QEMU's POWER9 refuses with an illegal-instruction interrupt: an entry index
     * beyond its 32 SLB entries, RB bits other than ESID, V and the index, or a segment size
     * other than 256M and 1T (B = 0b1x).
     */
    private static boolean validSlbEntry(long rb, long rs) {
        long esid = rb & ~0xFFFL;
        return (rb & 0xFFF) < 32 && (esid & ~(0xFFFF_FFFF_F000_0000L | 0x0800_0000L)) == 0 && rs >= 0;
    }

    /** icbi: the block's real page loses its decoded instructions (translated as a load). */
    static int icbi(Core c, int w) {
        long ra = c.lsu.dataAddress(LoadStore.eaX(c, w), 1, Mmu.LOAD);
        if (ra < 0) {
            return c.trap;
        }
        c.decodeCache.invalidate(ra >>> 12);
        return Core.OK;
    }

    static int hypervisorOnly(Core c, int w) {
        return c.problemState() ? c.interrupts.privileged() : c.interrupts.hypervisorAssist(w);
    }

    /** Cache hints and wait: nothing to do for a core without caches to manage or anything to wait for. */
    static int hint(Core c, int w) {
        return Core.OK;
    }

    /** What no declaration matches, or an invalid form: the illegal-instruction program interrupt. */
    static int illegal(Core c, int w) {
        return c.interrupts.illegal();
    }
}
