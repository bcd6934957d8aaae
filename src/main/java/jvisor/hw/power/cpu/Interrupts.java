package jvisor.hw.power.cpu;

import jvisor.hw.power.Dsisr;
import jvisor.hw.power.Lpcr;
import jvisor.hw.power.Mmu;
import jvisor.hw.power.MmuFault;
import jvisor.hw.power.Msr;

/**
 * How one {@link Core} enters interrupts (Book III chapter 7): the state saved in SRR0/SRR1 (or
 * LR/CTR for scv), the MSR the handler runs with, the vector and its relocation by LPCR[AIL];
 * the storage interrupts built from the MMU's fault report, and the hypervisor interrupts
 * (HDSI, HISI, emulation assistance) that end the run as exits to the hypervisor instead.
 *
 * <p>Every method leaves {@link Core#trap} set and returns {@link Core#Core.INTERRUPT} or, for what
 * the hypervisor takes, {@link Core#EXIT}; instruction bodies return that value.
 */
final class Interrupts {
    /** SRR1 program-interrupt reasons (MSB 43..47). */
    static final long SRR1_FP_ENABLED = 1L << 20, SRR1_ILLEGAL = 1L << 19, SRR1_PRIVILEGED = 1L << 18,
            SRR1_TRAP = 1L << 17;
    /** SRR1 MSB 42: on a machine check, the error was on a load or store. */
    static final long SRR1_MC_LOAD_STORE = 1L << 21;
    /** SRR1 bits an ISI copies from the MMU's report (MSB 33:36 and 42:47). */
    static final long SRR1_ISI_BITS = 0x783F_0000L;

    private final Core c;

    Interrupts(Core core) {
        this.c = core;
    }

    /**
     * Delivers an interrupt to the guest: SRR0/SRR1 saved, MSR set for the handler
     * (SF=1, LE=LPCR[ILE], IR=DR=EE=PR=0, facilities and trace off, RI=0, HV/ME/S unchanged;
     * machine check also clears ME), and execution continues at the vector. LPCR[AIL] 2 and 3
     * relocate the handler with IR=DR=1 when the interrupted context ran with IR=DR=1.
     */
    int raise(int vector, long savedPc, long srr1Bits) {
        if (vector == 0x200 && (c.msr & Msr.ME) == 0) {
            return c.exit(Exit.STOPPED, "checkstop: machine check with MSR[ME]=0 at 0x" + Long.toHexString(c.cia));
        }
        c.srr0 = savedPc;
        c.srr1 = (c.msr & Msr.SAVED_IN_SRR1) | srr1Bits;
        long lpcr = c.mmuRegs.lpcr;
        long n = (c.msr & (Msr.HV | Msr.ME | Msr.S)) | Msr.SF;
        if ((lpcr & Lpcr.ILE) != 0) {
            n |= Msr.LE;
        }
        long base = 0;
        int ail = (int) ((lpcr & Lpcr.AIL) >>> Lpcr.AIL_SHIFT);
        if (ail >= 2 && vector != 0x100 && vector != 0x200 && (c.msr & (Msr.IR | Msr.DR)) == (Msr.IR | Msr.DR)) {
            n |= Msr.IR | Msr.DR;
            base = ail == 3 ? 0xC000_0000_0000_4000L : 0x18000L;
        }
        if (vector == 0x200) {
            n &= ~Msr.ME;
        }
        c.applyMsr(n);
        c.pc = base + vector;
        c.trap = Core.INTERRUPT;
        return Core.INTERRUPT;
    }

    /**
     * The system call vectored interrupt of scv LEV (Book III 7.5.19, ISA 3.0): unlike the other
     * interrupts it leaves SRR0/SRR1 alone, saving the return address in LR and the MSR in CTR,
     * and leaves MSR[EE] and MSR[RI] as they were. The handler is at 0xC000_0000_0000_3000 +
     * 32 * LEV with relocation on when LPCR[AIL] = 3 (below the 0x4000 offset of the other
     * relocated vectors; Linux's scv entry is there) and at real address 0x17000 + 32 * LEV
     * otherwise. Linux uses scv only with AIL = 3.
     */
    int systemCallVectored(int lev) {
        c.lr = (c.cia + 4) & c.addrMask;
        c.ctr = c.msr & Msr.SAVED_IN_SRR1;
        long n = (c.msr & (Msr.HV | Msr.ME | Msr.S | Msr.EE | Msr.RI)) | Msr.SF;
        if ((c.mmuRegs.lpcr & Lpcr.ILE) != 0) {
            n |= Msr.LE;
        }
        long target;
        if ((c.mmuRegs.lpcr & Lpcr.AIL) == Lpcr.AIL) {
            n |= Msr.IR | Msr.DR;
            target = 0xC000_0000_0000_3000L + 32L * lev;
        } else {
            target = 0x17000L + 32L * lev;
        }
        c.applyMsr(n);
        c.pc = target;
        c.trap = Core.INTERRUPT;
        return Core.INTERRUPT;
    }

    int program(long reason) {
        return raise(0x700, c.cia, reason);
    }

    int illegal() {
        return program(SRR1_ILLEGAL);
    }

    int privileged() {
        return program(SRR1_PRIVILEGED);
    }

    /** The instruction needs the hypervisor: HEIR gets the word and run returns. */
    int hypervisorAssist(int word) {
        c.heir = word & 0xFFFF_FFFFL;
        c.hsrr0 = c.cia;
        c.hsrr1 = c.msr;
        c.pc = c.cia;
        return c.exit(Exit.HYPERVISOR_EMULATION_ASSIST, "");
    }

    int hypervisorStorage(int reason) {
        c.hdsisr = c.fault.hdsisr;
        c.hdar = c.fault.hdar;
        c.asdr = c.fault.asdr;
        c.hsrr0 = c.cia;
        c.hsrr1 = c.msr | (reason == Exit.HISI ? c.fault.hdsisr & SRR1_ISI_BITS : 0);
        c.pc = c.cia;
        return c.exit(reason, "");
    }

    int dataFault(long ea, int access) {
        if (c.fault.toHypervisor()) {
            return hypervisorStorage(Exit.HDSI);
        }
        switch (c.fault.vector) {
            case MmuFault.DSI -> {
                c.dar = c.fault.dar;
                c.dsisr = (c.fault.dsisr | (access == Mmu.STORE ? Dsisr.STORE : 0)) & 0xFFFF_FFFFL;
                return raise(0x300, c.cia, 0);
            }
            case MmuFault.DATA_SEGMENT -> {
                c.dar = c.fault.dar;
                return raise(0x380, c.cia, 0);
            }
            case MmuFault.MACHINE_CHECK -> {
                return machineCheckData(ea);
            }
            default -> {
                return c.exit(Exit.ERROR, "MMU reported an unexpected data fault: " + c.fault);
            }
        }
    }

    int machineCheckData(long ea) {
        c.dar = ea;
        return raise(0x200, c.cia, SRR1_MC_LOAD_STORE);
    }

    int fetchFault() {
        if (c.fault.toHypervisor()) {
            return hypervisorStorage(Exit.HISI);
        }
        return switch (c.fault.vector) {
            case MmuFault.ISI -> raise(0x400, c.cia, c.fault.dsisr & SRR1_ISI_BITS);
            case MmuFault.INSTRUCTION_SEGMENT -> raise(0x480, c.cia, 0);
            case MmuFault.MACHINE_CHECK -> raise(0x200, c.cia, 0);
            default -> c.exit(Exit.ERROR, "MMU reported an unexpected fetch fault: " + c.fault);
        };
    }

    int alignment(long ea) {
        c.dar = ea;
        return raise(0x600, c.cia, 0);
    }

    /** External (0x500) and decrementer (0x900) interrupts when MSR[EE] allows them, checked between instructions. */
    int asynchronous(boolean externalLevel) {
        if ((c.msr & Msr.EE) == 0) {
            return Core.OK;
        }
        if (externalLevel) {
            c.cia = c.pc;
            return raise(0x500, c.pc, 0);
        }
        if (c.decrementerValue() < 0) {
            c.cia = c.pc;
            return raise(0x900, c.pc, 0);
        }
        return Core.OK;
    }

    /**
     * An interrupt the hypervisor decided on between runs (see {@link Core#deliverInterrupt}):
     * SRR0 is the current pc. False for a machine check with MSR[ME]=0, a checkstop: the caller
     * must stop the guest.
     */
    boolean reflect(int vector, long srr1Bits) {
        c.pc &= c.addrMask;
        c.cia = c.pc;
        int r = raise(vector, c.pc, srr1Bits);
        c.trap = 0;
        return r != Core.EXIT;
    }

    /**
     * The trace interrupt (0xD00) after an instruction that completed, under MSR[SE] (every
     * instruction but rfid and sc) or MSR[BE] (branches); SIAR gets its address.
     */
    int traceAfter(int op) {
        boolean branch = op >= Op.B && op <= Op.BCTAR;
        if (op == Op.RFID || op == Op.SC || ((c.msr & Msr.SE) == 0 && !branch)) {
            return Core.OK;
        }
        if ((c.msr & (Msr.SE | Msr.BE)) == 0) {
            return Core.OK;
        }
        c.sprs[Spr.SIAR] = c.cia;
        int r = raise(0xD00, c.pc, 0);
        c.trap = 0;
        return r;
    }
}
