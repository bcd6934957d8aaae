package jvisor.hw.power.cpu;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * The architected state of a {@link Core} as a migration or a snapshot carries it (KVM's
 * KVM_GET_REGS / KVM_GET_SREGS / KVM_GET_FPU / KVM_GET_ONE_REG for every register): GPRs, pc, MSR,
 * CR, XER, LR, CTR, the 64 VSRs (FPRs and VRs are halves and quarters of them), FPSCR, VSCR, the
 * SPR file, and the decrementer as the value it holds. Kept apart from the core, which reads and
 * writes nothing of it here: only the core's accessors are used, and the SPR file is copied as
 * the array it is.
 *
 * <p>Left out on purpose: the hypervisor's own partition registers (LPIDR, PTCR, LPCR, which the
 * destination's hypervisor sets for its own partition), the timebase (the VM's, carried by the
 * VMM), a reservation (dropped, as any interrupt or hypervisor switch drops it: Book II 1.7.3.1
 * lets a reservation be lost at any time, so the guest's stcx. fails once and it retries), the
 * decoded-code and translation caches (rebuilt on demand) and the counters of the statistics.
 *
 * <p>Restore between runs only, after the VM's timebase, so that the decrementer counts on from
 * the value it had.
 */
public final class CoreState {
    /** Bumped when the layout below changes. */
    public static final int VERSION = 1;
    private static final int SPR_COUNT = 1024, VSR_COUNT = 64;
    /**
     * SPRs kept in fields of their own rather than in the SPR file, written through their
     * architected side effects on restore (AMR/IAMR/PIDR flush the core's translations).
     */
    private static final int[] NAMED = {Spr.SRR0, Spr.SRR1, Spr.DAR, Spr.DSISR, Spr.AMR, Spr.IAMR, Spr.PIDR,
        Spr.HSRR0, Spr.HSRR1, Spr.HDAR, Spr.HDSISR, Spr.ASDR, Spr.HEIR, Spr.AMOR, Spr.PIR};

    private CoreState() {}

    public static void save(Core core, DataOutput out) throws IOException {
        out.writeInt(VERSION);
        for (int i = 0; i < 32; i++) out.writeLong(core.gpr(i));
        out.writeLong(core.pc());
        out.writeLong(core.msr());
        out.writeInt(core.cr());
        out.writeLong(core.xer());
        out.writeLong(core.lr());
        out.writeLong(core.ctr());
        VectorScalarRegisters vs = core.vectorScalar();
        for (int i = 0; i < VSR_COUNT; i++) {
            out.writeLong(vs.dw0(i));
            out.writeLong(vs.dw1(i));
        }
        out.writeLong(vs.fpscr());
        out.writeInt(vs.vscr());
        long[] file = core.sprs;
        out.writeInt(SPR_COUNT);
        for (int i = 0; i < SPR_COUNT; i++) out.writeLong(file[i]);
        for (int n : NAMED) out.writeLong(core.readSpr(n));
        out.writeLong(core.readSpr(Spr.DEC));
    }

    /**
     * Sets the core from what {@link #save} wrote. The MSR is taken as saved: the caller (the
     * vCPU) keeps the hypervisor's bits out. Throws {@link IOException} on a layout it does not know.
     */
    public static void restore(Core core, DataInput in) throws IOException {
        int version = in.readInt();
        if (version != VERSION) throw new IOException("core state version " + version + ", expected " + VERSION);
        for (int i = 0; i < 32; i++) core.setGpr(i, in.readLong());
        long pc = in.readLong();
        core.setMsr(in.readLong());
        core.setPc(pc); // after the MSR: setMsr truncates pc to the mode's width
        core.setCr(in.readInt());
        core.setXer(in.readLong());
        core.setLr(in.readLong());
        core.setCtr(in.readLong());
        VectorScalarRegisters vs = core.vectorScalar();
        for (int i = 0; i < VSR_COUNT; i++) vs.set(i, in.readLong(), in.readLong());
        vs.setFpscr(in.readLong());
        vs.setVscr(in.readInt());
        int count = in.readInt();
        if (count != SPR_COUNT) throw new IOException("core state with " + count + " SPRs, expected " + SPR_COUNT);
        long[] file = core.sprs;
        for (int i = 0; i < SPR_COUNT; i++) file[i] = in.readLong();
        for (int n : NAMED) core.writeSpr(n, in.readLong());
        core.writeSpr(Spr.DEC, in.readLong());
        core.dropReservation();
        core.translationRegistersChanged();
    }
}
