package jvisor.kvm.power;

/**
 * The XICS interrupt source controller (ICS) of a partition: for each source number, the server
 * (processor) it is routed to, its priority, and the priority it had before {@code ibm,int-off}
 * masked it (0xFF, the least favoured priority, means masked). The guest programs it through the
 * RTAS calls {@code ibm,set-xive}, {@code ibm,get-xive}, {@code ibm,int-off} and {@code ibm,int-on};
 * every argument is the guest's and is checked here.
 *
 * <p>Source numbers run from {@link #FIRST_SOURCE} for {@link #SOURCES} numbers, as on QEMU's
 * pseries (0-15 are reserved, 2 being the IPI, which lives in each presentation controller).
 * Every source of the range can be routed, whether or not a device is wired to it, as there.
 * Sources start routed to server 0 and masked.
 *
 * <p>Sources are message-signalled (edge): {@link #trigger} offers one to its server's
 * presentation controller. A masked source remembers the trigger and fires when it is unmasked;
 * one the presentation controller rejects (not favoured enough, or pushed out by a more favoured
 * one) is kept and sent again when that server's priority drops or it ends an interrupt
 * ({@link #resend}), as in PAPR's XICS. Locking: this controller's lock, then a vCPU's.
 */
public final class XicsSources {
    /** The presentation controllers, by server number (the vCPUs of the partition). */
    interface Presenters {
        /** Offers {@code source} to {@code server}; false when rejected or there is no such server. */
        boolean deliver(int server, int source, int priority);
    }

    private Presenters presenters = (server, source, priority) -> false;
    // Package access: XicsSourcesState saves and restores them.
    final boolean[] maskedPending = new boolean[SOURCES];
    final boolean[] rejected = new boolean[SOURCES];
    int rejectedCount;
    public static final int FIRST_SOURCE = 0x1000, SOURCES = 0x1000;
    /** The least favoured priority: a source at this priority is never presented. */
    public static final int MASKED = 0xFF;

    final int[] server = new int[SOURCES];
    final int[] priority = new int[SOURCES];
    final int[] savedPriority = new int[SOURCES];

    public XicsSources() {
        java.util.Arrays.fill(priority, MASKED);
        java.util.Arrays.fill(savedPriority, MASKED);
    }

    /** Whether {@code source} (a guest-supplied 32-bit number) is one of this controller's. */
    public static boolean isSource(int source) {
        return source - FIRST_SOURCE >= 0 && source - FIRST_SOURCE < SOURCES;
    }

    /**
     * ibm,set-xive: routes {@code source} to {@code server} at {@code newPriority}, which also becomes
     * the priority ibm,int-on restores. The caller has checked that the server exists. Returns false,
     * changing nothing, for a source not in range or a priority above 0xFF.
     */
    public synchronized boolean setXive(int source, int toServer, int newPriority) {
        if (!isSource(source) || newPriority < 0 || newPriority > MASKED) return false;
        int i = source - FIRST_SOURCE;
        server[i] = toServer;
        priority[i] = newPriority;
        savedPriority[i] = newPriority;
        fireIfUnmasked(i);
        return true;
    }

    synchronized void connect(Presenters p) {
        presenters = p;
    }

    /**
     * A device signals {@code source} (KVM_IRQ_LINE for a message-signalled source). Sources out of
     * range are ignored: only the VMM calls this, with the numbers it wired.
     */
    public synchronized void trigger(int source) {
        if (!isSource(source)) return;
        int i = source - FIRST_SOURCE;
        if (priority[i] == MASKED) {
            maskedPending[i] = true;
            return;
        }
        offer(i);
    }

    /** Sends again every rejected source routed to {@code toServer} (after its EOI or CPPR change). */
    synchronized void resend(int toServer) {
        if (rejectedCount == 0) return;
        for (int i = 0; i < SOURCES; i++) {
            if (rejected[i] && server[i] == toServer) {
                rejected[i] = false;
                rejectedCount--;
                if (priority[i] == MASKED) maskedPending[i] = true;
                else offer(i);
            }
        }
    }

    /** A presentation controller gave {@code source} up (displaced or withdrawn): keep it for a resend. */
    synchronized void rejected(int source) {
        if (!isSource(source)) return;
        int i = source - FIRST_SOURCE;
        if (!rejected[i]) {
            rejected[i] = true;
            rejectedCount++;
        }
    }

    private void offer(int i) {
        if (!presenters.deliver(server[i], FIRST_SOURCE + i, priority[i]) && !rejected[i]) {
            rejected[i] = true;
            rejectedCount++;
        }
    }

    private void fireIfUnmasked(int i) {
        if (maskedPending[i] && priority[i] != MASKED) {
            maskedPending[i] = false;
            offer(i);
        }
    }

    /** ibm,get-xive: {server, priority} of a source in range. */
    public synchronized int[] xive(int source) {
        int i = source - FIRST_SOURCE;
        return new int[] {server[i], priority[i]};
    }

    /**
     * ibm,int-off: masks a source in range, keeping its priority for ibm,int-on. As on QEMU's
     * pseries the priority kept is the current one, so a second int-off keeps "masked".
     */
    public synchronized void intOff(int source) {
        int i = source - FIRST_SOURCE;
        savedPriority[i] = priority[i];
        priority[i] = MASKED;
    }

    /** ibm,int-on: gives a source in range back the priority it had before ibm,int-off. */
    public synchronized void intOn(int source) {
        int i = source - FIRST_SOURCE;
        priority[i] = savedPriority[i];
        fireIfUnmasked(i);
    }
}
