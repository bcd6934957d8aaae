package jvisor.kvm.power;

/**
 * One server's XICS interrupt presentation controller (ICP) as PAPR's hypercalls see it: the
 * XIRR (CPPR in the top byte, XISR the presented source below), the priority of what is
 * presented, and MFRR, the processor's IPI request.
 *
 * <p>The IPI is a level: whenever MFRR is more favoured (numerically lower) than CPPR and nothing
 * more favoured is presented, source 2 is presented again — after an EOI, after CPPR drops, after
 * an H_IPI. It goes away only when MFRR is set back to 0xFF. A CPPR raised above what is presented
 * withdraws it. These are the rules QEMU's and KVM's XICS follow, and Linux relies on them.
 *
 * <p>Sources of the source controller ({@link XicsSources}) are offered with {@link #deliver}: one
 * not more favoured than CPPR, or than what is already presented, is rejected; one that is takes
 * the place of a less favoured device source, which is then displaced. A rejected, displaced or
 * withdrawn device source is the source controller's to send again (after an EOI or a CPPR
 * change): {@link #takeDisplaced} hands it over. Not thread-safe: the owning vCPU serialises.
 */
final class XicsPresenter {
    /** The IPI source number, and the least favoured priority. */
    static final int IPI = 2, LEAST_FAVOURED = 0xFF;

    // Package access: VcpuState saves and restores them.
    int cppr;
    int xisr;
    int pendingPriority = LEAST_FAVOURED;
    int mfrr = LEAST_FAVOURED;
    /** A device source pushed out of presentation that the source controller must resend (0: none). */
    int displaced;

    /** True while a source is presented: the processor's external interrupt line. */
    boolean presenting() {
        return xisr != 0;
    }

    int cppr() {
        return cppr;
    }

    int mfrr() {
        return mfrr;
    }

    /** The XIRR as H_IPOLL shows it (nothing accepted). */
    int xirr() {
        return (cppr << 24) | xisr;
    }

    /** H_CPPR. */
    void setCppr(int value) {
        int old = cppr;
        cppr = value & 0xFF;
        if (cppr < old) {
            if (xisr != 0 && cppr <= pendingPriority) {
                // No longer favoured enough: withdrawn (an IPI comes back when CPPR drops again,
                // a device source is sent again by its controller).
                withdraw();
            }
        } else if (xisr == 0) {
            resend();
        }
    }

    /** H_IPI aimed at this server. */
    void setMfrr(int value) {
        mfrr = value & 0xFF;
        if (mfrr < cppr) checkIpi();
    }

    /** H_XIRR: returns the XIRR and accepts what it presents (CPPR becomes its priority). */
    int accept() {
        int xirr = xirr();
        cppr = pendingPriority;
        xisr = 0;
        pendingPriority = LEAST_FAVOURED;
        return xirr;
    }

    /** H_EOI: CPPR from the value's top byte, then anything still owed is presented. */
    void eoi(long xirr) {
        cppr = (int) ((xirr >>> 24) & 0xFF);
        if (xisr == 0) resend();
    }

    /**
     * The source controller offers {@code source} at {@code priority}. Returns true when it is
     * presented; false when it is rejected (the controller keeps it for a resend).
     */
    boolean deliver(int source, int priority) {
        if (priority >= cppr || (xisr != 0 && pendingPriority <= priority)) return false;
        withdraw();
        xisr = source;
        pendingPriority = priority;
        return true;
    }

    /** The device source that lost its presentation since the last call, or 0. */
    int takeDisplaced() {
        int d = displaced;
        displaced = 0;
        return d;
    }

    private void withdraw() {
        if (xisr != 0 && xisr != IPI) displaced = xisr;
        xisr = 0;
        pendingPriority = LEAST_FAVOURED;
    }

    private void resend() {
        if (mfrr < cppr) checkIpi();
    }

    private void checkIpi() {
        if (xisr != 0 && pendingPriority <= mfrr) return; // something as favoured is presented
        withdraw();
        xisr = IPI;
        pendingPriority = mfrr;
    }
}
