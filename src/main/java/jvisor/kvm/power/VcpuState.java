package jvisor.kvm.power;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import jvisor.hw.power.cpu.CoreState;

/**
 * What a migration carries of one {@link PowerVcpu} beyond its core: whether it is stopped
 * (RTAS stop-self, or a secondary never started), the level of its external interrupt line, its
 * XICS presentation controller (CPPR, the presented source and its priority, MFRR) and its
 * H_REGISTER_VPA registrations; then its core ({@link CoreState}).
 *
 * <p>Save with the vCPU held between runs after {@link PowerVcpu#completePendingExit()}, so that no
 * exit is half done; restore into a vCPU that has not run, after the VM's timebase.
 */
public final class VcpuState {
    public static final int VERSION = 1;

    private VcpuState() {}

    public static void save(PowerVcpu v, DataOutput out) throws IOException {
        out.writeInt(VERSION);
        out.writeInt(v.id());
        out.writeBoolean(v.stopped);
        out.writeBoolean(v.xics().deviceLevel());
        for (int x : v.xics().presenterState()) out.writeInt(x);
        out.writeLong(v.vpa.vpa);
        out.writeLong(v.vpa.slbShadow);
        out.writeLong(v.vpa.dtl);
        CoreState.save(v.core(), out);
    }

    /** Sets {@code v} from what {@link #save} wrote; {@link IOException} for a stream that does not fit it. */
    public static void restore(PowerVcpu v, DataInput in) throws IOException {
        int version = in.readInt();
        if (version != VERSION) throw new IOException("vCPU state version " + version + ", expected " + VERSION);
        int id = in.readInt();
        if (id != v.id()) throw new IOException("state of vCPU " + id + " offered to vCPU " + v.id());
        boolean stopped = in.readBoolean();
        boolean irq = in.readBoolean();
        int cppr = in.readInt(), xisr = in.readInt(), pending = in.readInt(), mfrr = in.readInt();
        for (int x : new int[] {cppr, pending, mfrr}) {
            if (x < 0 || x > XicsPresenter.LEAST_FAVOURED) throw new IOException("vCPU " + id + ": bad XICS priority " + x);
        }
        long vpa = in.readLong(), slb = in.readLong(), dtl = in.readLong();
        CoreState.restore(v.core(), in);
        v.setMsr(v.core().msr()); // the hypervisor's MSR bits stay clear whatever the stream says
        v.xics().restore(irq, cppr, xisr, pending, mfrr);
        v.vpa.vpa = vpa;
        v.vpa.slbShadow = slb;
        v.vpa.dtl = dtl;
        v.stopped = stopped;
        v.restoredInterruptState();
    }
}
