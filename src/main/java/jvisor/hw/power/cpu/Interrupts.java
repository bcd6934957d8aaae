package jvisor.hw.power.cpu;

import jvisor.hw.power.Dsisr;
import jvisor.hw.power.InterruptVector;
import jvisor.hw.power.Lpcr;
import jvisor.hw.power.Mmu;
import jvisor.hw.power.Msr;
import jvisor.hw.power.Srr1;
import jvisor.hw.power.TranslationFault;

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
        if (vector == InterruptVector.MACHINE_CHECK && (c.msr & Msr.ME) == 0) {
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
        if (ail >= 2 && vector != InterruptVector.SYSTEM_RESET && vector != InterruptVector.MACHINE_CHECK
                && (c.msr & (Msr.IR | Msr.DR)) == (Msr.IR | Msr.DR)) {
            n |= Msr.IR | Msr.DR;
            base = ail == 3 ? 0xC000_0000_0000_4000L : 0x18000L;
        }
        if (vector == InterruptVector.MACHINE_CHECK) {
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
        return raise(InterruptVector.PROGRAM, c.cia, reason);
    }

    int illegal() {
        return program(Srr1.ILLEGAL);
    }

    int privileged() {
        return program(Srr1.PRIVILEGED);
    }

    /** The instruction needs the hypervisor: HEIR gets the word and run returns. */
    int hypervisorAssist(int word) {
        c.heir = word & 0xFFFF_FFFFL;
        c.hsrr0 = c.cia;
        c.hsrr1 = c.msr;
        c.pc = c.cia;
        return c.exit(Exit.HYPERVISOR_EMULATION_ASSIST, "");
    }

    /**
     * A partition-scoped fault ends the run: HDAR (for HDSI), HDSISR, ASDR and HSRR0/1 are set as
     * the hardware sets them, and the fault itself stays for the hypervisor
     * ({@link Core#hypervisorFault()}).
     */
    int hypervisorStorage(TranslationFault.PartitionScoped f) {
        boolean fetch = f.fetch();
        c.hypervisorFault = f;
        c.hdsisr = f.cause();
        c.hdar = fetch ? 0 : f.ea();
        c.asdr = f.asdr();
        c.hsrr0 = c.cia;
        c.hsrr1 = c.msr | (fetch ? f.cause() & Srr1.INSTRUCTION_STORAGE_CAUSE : 0);
        c.pc = c.cia;
        return c.exit(fetch ? Exit.HISI : Exit.HDSI, "");
    }

    /**
     * The MMU refused a load or store at {@code ea}. DSISR MSB 38 is set for a store whatever the
     * MMU reported: the core knows which access it made.
     */
    int dataFault(TranslationFault f, long ea, int access) {
        return switch (f) {
            case TranslationFault.PartitionScoped p -> hypervisorStorage(p);
            case TranslationFault.DataStorage d ->
                    dataStorage(d.dar(), d.dsisr() | (access == Mmu.STORE ? Dsisr.STORE : 0));
            case TranslationFault.DataSegment d -> {
                c.dar = d.dar();
                yield raise(InterruptVector.DATA_SEGMENT, c.cia, 0);
            }
            case TranslationFault.MachineCheck m -> machineCheckData(ea);
            default -> c.exit(Exit.ERROR, "MMU reported an unexpected data fault: " + f);
        };
    }

    /** DSI or ISI at the current instruction: from the MMU, or reflected by the hypervisor. */
    int storage(TranslationFault f) {
        return switch (f) {
            case TranslationFault.DataStorage d -> dataStorage(d.dar(), d.dsisr());
            case TranslationFault.InstructionStorage i ->
                    raise(InterruptVector.INSTRUCTION_STORAGE, c.cia, i.srr1() & Srr1.INSTRUCTION_STORAGE_CAUSE);
            default -> c.exit(Exit.ERROR, "not a storage interrupt: " + f);
        };
    }

    private int dataStorage(long dar, long dsisr) {
        c.dar = dar;
        c.dsisr = dsisr & 0xFFFF_FFFFL;
        return raise(InterruptVector.DATA_STORAGE, c.cia, 0);
    }

    int machineCheckData(long ea) {
        c.dar = ea;
        return raise(InterruptVector.MACHINE_CHECK, c.cia, Srr1.MACHINE_CHECK_LOAD_STORE);
    }

    /** The MMU refused an instruction fetch. */
    int fetchFault(TranslationFault f) {
        return switch (f) {
            case TranslationFault.PartitionScoped p -> hypervisorStorage(p);
            case TranslationFault.InstructionStorage i -> storage(i);
            case TranslationFault.InstructionSegment s -> raise(InterruptVector.INSTRUCTION_SEGMENT, c.cia, 0);
            case TranslationFault.MachineCheck m -> raise(InterruptVector.MACHINE_CHECK, c.cia, 0);
            default -> c.exit(Exit.ERROR, "MMU reported an unexpected fetch fault: " + f);
        };
    }

    int alignment(long ea) {
        c.dar = ea;
        return raise(InterruptVector.ALIGNMENT, c.cia, 0);
    }

    /** External (0x500) and decrementer (0x900) interrupts when MSR[EE] allows them, checked between instructions. */
    int asynchronous(boolean externalLevel) {
        if ((c.msr & Msr.EE) == 0) {
            return Core.OK;
        }
        if (externalLevel) {
            c.cia = c.pc;
            return raise(InterruptVector.EXTERNAL, c.pc, 0);
        }
        if (c.decrementerValue() < 0) {
            c.cia = c.pc;
            return raise(InterruptVector.DECREMENTER, c.pc, 0);
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

    /** {@link #reflect} for a storage interrupt (DSI or ISI) with the registers its record names. */
    boolean reflectStorage(TranslationFault f) {
        c.pc &= c.addrMask;
        c.cia = c.pc;
        int r = storage(f);
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
        int r = raise(InterruptVector.TRACE, c.pc, 0);
        c.trap = 0;
        return r;
    }
}
