package jvisor.vmm;

import java.util.Objects;
import jvisor.kvm.RunExit;
import jvisor.kvm.power.Hcall;

/**
 * The PAPR hypercalls the hypervisor passes to user space (KVM_EXIT_PAPR_HCALL): the hypervisor
 * terminal and RTAS. (H_SET_MODE and H_REGISTER_PROCESS_TABLE are handled in the hypervisor, by
 * {@code jvisor.kvm.power.PowerVcpu}, and never reach user space.) Arguments arrive as r4.. in
 * {@link RunExit.Hypercall#args()}, the status goes to {@code ret[0]} (r3) and outputs back into
 * {@code args} (r4..). Every argument is the guest's: bad values get a PAPR error status, never a
 * host exception. A number not listed here gets H_FUNCTION.
 */
public final class Hypercalls {
    private final Console console;
    private final Rtas rtas;
    private final int vtyTermno;

    public Hypercalls(Console console, Rtas rtas, int vtyTermno) {
        this.console = Objects.requireNonNull(console);
        this.rtas = Objects.requireNonNull(rtas);
        this.vtyTermno = vtyTermno;
    }

    /** The usual wiring: the console at {@link MachineLayout#VTY_REG}. */
    public Hypercalls(Console console, Rtas rtas) {
        this(console, rtas, MachineLayout.VTY_REG);
    }

    /** Handles a hypercall exit: the status into {@code ret[0]}, outputs into {@code args}. */
    public void handle(RunExit.Hypercall h) {
        long[] a = h.args() == null ? new long[0] : h.args();
        long status = dispatch(h.nr(), a);
        if (h.ret() != null && h.ret().length > 0) h.ret()[0] = status;
    }

    /** Performs hypercall {@code nr} with r4.. in {@code args}; returns the status for r3. */
    public long dispatch(long nr, long[] args) {
        if (args.length < 4) return Hcall.H_PARAMETER; // every call here reads up to r7
        if (nr == Hcall.H_PUT_TERM_CHAR) return putTermChar(args);
        if (nr == Hcall.H_GET_TERM_CHAR) return getTermChar(args);
        if (nr == Hcall.KVMPPC_H_RTAS) return rtas.call(args[0]);
        return Hcall.H_FUNCTION;
    }

    /**
     * Whether {@code termno} names the vty. Besides its own unit address, terminal number 0 reaches
     * the first vty when no device sits at unit address 0, as on PowerVM and QEMU's pseries: early
     * console code (Linux's udbg, test programs written for pseries) writes to terminal 0 before it
     * has read the device tree. Any other number is no terminal.
     */
    private boolean isVty(long termno) {
        return termno == vtyTermno || termno == 0;
    }

    private long putTermChar(long[] a) {
        if (!isVty(a[0])) return Hcall.H_PARAMETER;
        long len = a[1];
        if (len < 0 || len > 16) return Hcall.H_PARAMETER;
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (a[2] >>> (56 - 8 * i));
            b[8 + i] = (byte) (a[3] >>> (56 - 8 * i));
        }
        if (len > 0) console.write(b, 0, (int) len);
        return Hcall.H_SUCCESS;
    }

    private long getTermChar(long[] a) {
        if (!isVty(a[0])) return Hcall.H_PARAMETER;
        byte[] b = new byte[16];
        int n = console.poll(b, 16);
        long hi = 0, lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (b[i] & 0xFF);
            lo = (lo << 8) | (b[8 + i] & 0xFF);
        }
        a[0] = n;
        a[1] = hi;
        a[2] = lo;
        return Hcall.H_SUCCESS;
    }
}
