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
 * <p>Only the IPI source exists here (no device is wired to an interrupt source), so a rejected
 * or ended source other than 2 has nowhere to go. Not thread-safe: the owning vCPU serialises.
 */
final class XicsPresenter {
    /** The IPI source number, and the least favoured priority. */
    static final int IPI = 2, LEAST_FAVOURED = 0xFF;

    private int cppr;
    private int xisr;
    private int pendingPriority = LEAST_FAVOURED;
    private int mfrr = LEAST_FAVOURED;

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
                // No longer favoured enough: withdrawn (an IPI comes back when CPPR drops again).
                xisr = 0;
                pendingPriority = LEAST_FAVOURED;
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

    private void resend() {
        if (mfrr < cppr) checkIpi();
    }

    private void checkIpi() {
        if (xisr != 0 && pendingPriority <= mfrr) return; // something as favoured is presented
        xisr = IPI;
        pendingPriority = mfrr;
    }
}
