package jvisor.kvm.power;

import jvisor.hw.power.cpu.Core;

/**
 * One vCPU's server of the XICS (KVM's in-kernel ICP and its hypercalls): the presentation
 * controller of that server ({@link XicsPresenter}) wired to the machine's source controller and
 * to the vCPU's external interrupt line, which is up while a device holds its own line
 * (KVM_INTERRUPT) or the controller presents a source. H_IPI, H_CPPR, H_XIRR, H_IPOLL and H_EOI
 * come here on the vCPU's thread; other vCPUs' IPIs and the source controller's deliveries come
 * from theirs, so the controller's state is changed under this object's lock.
 */
final class XicsServer {
    private final PowerVcpu vcpu;
    private final Core core;
    private final XicsPresenter icp = new XicsPresenter();
    private volatile boolean presenting;
    private volatile boolean deviceLevel;

    XicsServer(PowerVcpu vcpu) {
        this.vcpu = vcpu;
        this.core = vcpu.core();
    }

    /** The XICS hypercalls; H_FUNCTION for any other number. */
    long hcall(long nr, long[] a) {
        if (nr == Hcall.H_IPI) { // MFRR of the target server (possibly this one)
            PowerVcpu target = vcpu.shared().vcpu(a[0]);
            if (target == null) return Hcall.H_PARAMETER;
            target.xics().setMfrr((int) a[1]);
            return Hcall.H_SUCCESS;
        }
        int displaced;
        synchronized (this) {
            switch ((int) nr) {
                case Hcall.H_CPPR -> icp.setCppr((int) a[0]);
                case Hcall.H_XIRR -> core.setGpr(4, icp.accept() & 0xFFFF_FFFFL);
                case Hcall.H_IPOLL -> { // only looks
                    core.setGpr(4, icp.xirr() & 0xFFFF_FFFFL);
                    core.setGpr(5, icp.mfrr());
                }
                case Hcall.H_EOI -> icp.eoi(a[0]);
                default -> {
                    return Hcall.H_FUNCTION;
                }
            }
            displaced = icp.takeDisplaced();
        }
        XicsSources sources = vcpu.shared().interruptSources();
        if (displaced != 0) sources.rejected(displaced);
        // A lower priority or the end of an interrupt may let a rejected source in now.
        if (nr == Hcall.H_EOI || nr == Hcall.H_CPPR) sources.resend(vcpu.id());
        update();
        return Hcall.H_SUCCESS;
    }

    private void setMfrr(int priority) {
        int displaced;
        synchronized (this) {
            icp.setMfrr(priority);
            displaced = icp.takeDisplaced();
        }
        if (displaced != 0) vcpu.shared().interruptSources().rejected(displaced);
        update();
    }

    /**
     * The source controller offers {@code source} at {@code priority} to this server (called with
     * the controller's lock held). Returns whether it is presented.
     */
    boolean deliver(int source, int priority) {
        boolean presented;
        int displaced;
        synchronized (this) {
            presented = icp.deliver(source, priority);
            displaced = icp.takeDisplaced();
        }
        if (displaced != 0) vcpu.shared().interruptSources().rejected(displaced);
        update();
        return presented;
    }

    /** A device's own interrupt line to this vCPU (KVM_INTERRUPT / unset-irq). */
    void setDeviceLevel(boolean level) {
        deviceLevel = level;
        update();
    }

    /** Whether the external line is up: a ceded vCPU wakes for it. */
    boolean lineUp() {
        return deviceLevel || presenting;
    }

    /**
     * Drives the core's external interrupt line from the device level and what is presented.
     * Computed and set under the same lock, so a racing H_IPI from another vCPU and this vCPU's
     * own H_XIRR cannot leave the line at a stale value.
     */
    private void update() {
        boolean line;
        synchronized (this) {
            presenting = icp.presenting();
            line = deviceLevel || presenting;
            core.setExternalInterrupt(line);
        }
        if (line) vcpu.signal();
    }

    boolean deviceLevel() {
        return deviceLevel;
    }

    /** For a migration: CPPR, XISR, the presented priority and MFRR, read together. */
    synchronized int[] presenterState() {
        return new int[] {icp.cppr, icp.xisr, icp.pendingPriority, icp.mfrr};
    }

    /** A migration's destination sets the controller and the device level; {@link #restored} then drives the line. */
    synchronized void restore(boolean level, int cppr, int xisr, int pendingPriority, int mfrr) {
        icp.cppr = cppr;
        icp.xisr = xisr;
        icp.pendingPriority = pendingPriority;
        icp.mfrr = mfrr;
        icp.displaced = 0;
        deviceLevel = level;
    }

    void restored() {
        update();
    }
}
