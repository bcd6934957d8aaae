package jvisor.kvm.power;

import jvisor.hw.power.InterruptVector;
import jvisor.hw.power.MmuRegisters;
import jvisor.hw.power.Msr;
import jvisor.hw.power.RadixTranslator;
import jvisor.hw.power.Srr1;
import jvisor.hw.power.cpu.Core;
import jvisor.kvm.RunExit;
import jvisor.kvm.Vm;
import jvisor.memory.GuestMemory;

/**
 * One vCPU's side of a partition-scoped fault that the hypervisor could not resolve with a
 * mapping (KVM's {@code kvmppc_book3s_hv_page_fault} and {@code kvmppc_emulate_mmio}): the fault
 * reflected into the guest as a storage interrupt, a machine check for a fetch from nowhere, or,
 * for guest physical memory with a device behind it, the emulation of the load or store. The
 * instruction is fetched as the guest sees it (a software walk of its own tables when its MMU is
 * on) and decoded; a store is complete at once, a load when user space has put the device's
 * answer in the exit's buffer ({@link #complete}), and an access no device answers ends in a
 * machine check ({@link #fail}).
 */
final class MmioEmulation {
    private final Core core;
    private final Vm<PartitionScopedMmu> vm;
    private final PartitionScopedMmu partitionMmu;
    private final MmuRegisters regs;

    // What the last exit left for the next run to complete.
    private MmioInstruction pending;
    private RunExit.Mmio pendingExit;
    private long pendingEa;
    /** Effective address of the last access: the DAR if no device answers it. */
    private long lastEa;
    /** RA of the last store with update and its value before, so that a failed store is undone whole. */
    private int lastStoreRa = -1;
    private long lastStoreRaValue;

    MmioEmulation(Core core, Vm<PartitionScopedMmu> vm, MmuRegisters regs) {
        this.core = core;
        this.vm = vm;
        this.partitionMmu = vm.arch();
        this.regs = regs;
    }

    /** What the guest gets for a partition-scoped fault: null to run on, or an exit for user space. */
    RunExit pageFault(PageFaultResult r) {
        return switch (r) {
            case PageFaultResult.Resume res -> null;
            case PageFaultResult.Reflect d -> {
                core.deliver(d.interrupt());
                yield null;
            }
            case PageFaultResult.FetchFromNowhere f -> {
                machineCheck(0, 0);
                yield null;
            }
            case PageFaultResult.Mmio m -> emulate(m);
            case PageFaultResult.Error err -> new RunExit.InternalError(err.message());
        };
    }

    private RunExit emulate(PageFaultResult.Mmio m) {
        long fetched = fetchInstruction(core.pc());
        if (fetched == GuestMemory.NOT_BACKED) {
            return new RunExit.InternalError(String.format("MMIO at 0x%x: cannot fetch the instruction at 0x%x",
                    m.gpa(), core.pc()));
        }
        int word = (int) fetched;
        MmioInstruction insn = MmioInstruction.decode(word);
        if (insn == null) {
            core.deliverInterrupt(InterruptVector.PROGRAM, Srr1.ILLEGAL, 0, 0);
            return null;
        }
        if (insn.floating()) {
            return new RunExit.InternalError(String.format(
                    "MMIO at 0x%x by a floating-point load/store (0x%08x): FP is not emulated yet", m.gpa(), word));
        }
        boolean le = (core.msr() & Msr.LE) != 0;
        lastEa = m.ea();
        if (insn.store()) {
            byte[] data = insn.storeBytes(core.gpr(insn.rt()), le);
            lastStoreRa = insn.update() ? insn.ra() : -1;
            lastStoreRaValue = insn.update() ? core.gpr(insn.ra()) : 0;
            if (insn.update()) core.setGpr(insn.ra(), m.ea());
            core.setPc(core.pc() + 4);
            // A store into a coalesced zone is queued for user space instead of exiting.
            if (vm.coalescedMmio().tryAppend(m.gpa(), data, data.length)) return null;
            return new RunExit.Mmio(m.gpa(), insn.length(), true, data);
        }
        pending = insn;
        pendingEa = m.ea();
        pendingExit = new RunExit.Mmio(m.gpa(), insn.length(), false, new byte[insn.length()]);
        return pendingExit;
    }

    /** The vCPU starts afresh (RTAS start-cpu): nothing is pending. */
    void reset() {
        pending = null;
    }

    /** On the next run: a pending load takes the device's answer and retires. */
    void complete() {
        if (pending == null) return;
        MmioInstruction m = pending;
        pending = null;
        core.setGpr(m.rt(), m.loadValue(pendingExit.data(), (core.msr() & Msr.LE) != 0));
        if (m.update()) core.setGpr(m.ra(), pendingEa);
        core.setPc(core.pc() + 4);
    }

    /**
     * User space found no device behind the last MMIO exit: the access ends in a machine check
     * (QEMU's pseries does the same for a load outside RAM), with SRR0 at the instruction and DAR
     * its effective address (not the guest physical address, which differs with the MMU on).
     */
    void fail() {
        if (pending != null) {
            pending = null;
        } else {
            core.setPc(core.pc() - 4); // a store had already been retired: point back at it
            if (lastStoreRa >= 0) core.setGpr(lastStoreRa, lastStoreRaValue);
        }
        machineCheck(Srr1.MACHINE_CHECK_LOAD_STORE, lastEa);
    }

    /**
     * Reflects a machine check into the guest. The architected interrupt clears MSR[ME], but a
     * guest (MSR[HV]=0) can never set it again - rfid and mtmsrd leave ME alone below the
     * hypervisor - so its next machine check would be a checkstop. As KVM and QEMU do, the guest's
     * handler runs with ME set.
     */
    private void machineCheck(long srr1Bits, long dar) {
        core.deliverInterrupt(InterruptVector.MACHINE_CHECK, srr1Bits, dar, 0);
        core.setMsr(core.msr() | Msr.ME);
    }

    /**
     * The instruction word at {@code ea} as the guest sees it (software walk if IR=1),
     * zero-extended, or {@link GuestMemory#NOT_BACKED} when the guest's tables do not map it or
     * no memory backs it.
     */
    long fetchInstruction(long ea) {
        long gpa = guestRealAddress(ea, Msr.IR);
        if (gpa < 0) return GuestMemory.NOT_BACKED;
        GuestMemory memory = vm.guestMemory();
        return (core.msr() & Msr.LE) != 0 ? memory.readU32LE(gpa) : memory.readU32BE(gpa);
    }

    /**
     * The guest real address of {@code ea} as the vCPU sees it now for instructions ({@code
     * relocation} = MSR[IR]) or data (MSR[DR]), or -1 if the guest's tables do not map it: a
     * software walk of its process-scoped tables, without its permission checks, when that
     * relocation is on; the real address when it is off.
     */
    long guestRealAddress(long ea, long relocation) {
        long msr = core.msr();
        if ((msr & relocation) == 0) return ea & RadixTranslator.HV_REAL_MODE_MASK; // EA bits 0:3 are ignored in real mode
        GuestTranslation t = GuestPageTableWalk.xlate(vm.guestMemory(), partitionMmu.processTable(), regs.pidr, msr,
                regs.amr, regs.iamr, ea);
        return t.ok() ? t.gpa() : -1;
    }
}
