package jvisor.vmm;

import java.util.Objects;
import jvisor.kvm.KvmException;
import jvisor.kvm.RunExit;
import jvisor.kvm.power.PartitionScopedMmu;

/**
 * The PAPR hypercalls the hypervisor passes to user space (KVM_EXIT_PAPR_HCALL): the hypervisor
 * terminal, RTAS, the process-table registration and H_SET_MODE. Arguments arrive as r4.. in
 * {@link RunExit.Hypercall#args()}, the status goes to {@code ret[0]} (r3) and outputs back into
 * {@code args} (r4..). Every argument is the guest's: bad values get a PAPR error status, never a
 * host exception. A number not listed here gets H_FUNCTION.
 */
public final class Hypercalls {
    /** PAPR hypercall statuses. */
    public static final long H_SUCCESS = 0, H_BUSY = 1, H_HARDWARE = -1, H_FUNCTION = -2, H_PRIVILEGE = -3,
            H_PARAMETER = -4, H_P2 = -55, H_P3 = -56, H_P4 = -57, H_UNSUPPORTED_FLAG = -256;

    /** Hypercall numbers handled here. */
    public static final long H_GET_TERM_CHAR = 0x54, H_PUT_TERM_CHAR = 0x58, H_SET_MODE = 0x31C,
            H_REGISTER_PROCESS_TABLE = 0x37C, KVMPPC_H_RTAS = 0xF000;

    /** H_SET_MODE resource: interrupt endianness (LPCR[ILE]); mflags 0 big-endian, 1 little-endian. */
    static final long SET_MODE_RESOURCE_LE = 4;

    /** H_REGISTER_PROCESS_TABLE flags (r4). */
    static final long PT_GTSE = 0x01, PT_HASH_SEGMENT_TABLES = 0x02, PT_RADIX = 0x04, PT_REGISTER = 0x08,
            PT_MODIFY = 0x10, PT_FLAGS = 0x1F;

    /** What H_REGISTER_PROCESS_TABLE asks of the hypervisor: KVM_PPC_CONFIGURE_V3_MMU. */
    @FunctionalInterface
    public interface MmuConfigurator {
        /** {@code flags}: {@link PartitionScopedMmu#MMUV3_RADIX} | {@link PartitionScopedMmu#MMUV3_GTSE}; {@code processTable}: PRTB | PRTS. */
        void configureV3Mmu(long flags, long processTable);
    }

    private final Console console;
    private final Rtas rtas;
    private final MmuConfigurator mmu;
    private final LpcrControl lpcr;
    private final int vtyTermno;
    /** The registered process table (PRTB | PRTS) and whether one is registered, for "keep current". */
    private long processTable;
    private boolean radixRegistered;

    public Hypercalls(Console console, Rtas rtas, MmuConfigurator mmu, LpcrControl lpcr, int vtyTermno) {
        this.console = Objects.requireNonNull(console);
        this.rtas = Objects.requireNonNull(rtas);
        this.mmu = Objects.requireNonNull(mmu);
        this.lpcr = Objects.requireNonNull(lpcr);
        this.vtyTermno = vtyTermno;
    }

    /** The usual wiring: the VM's radix MMU and the console at {@link MachineLayout#VTY_REG}. */
    public Hypercalls(Console console, Rtas rtas, PartitionScopedMmu mmu, LpcrControl lpcr) {
        this(console, rtas, mmu::configureV3Mmu, lpcr, MachineLayout.VTY_REG);
    }

    /** Handles a hypercall exit: the status into {@code ret[0]}, outputs into {@code args}. */
    public void handle(RunExit.Hypercall h) {
        long[] a = h.args() == null ? new long[0] : h.args();
        long status = dispatch(h.nr(), a);
        if (h.ret() != null && h.ret().length > 0) h.ret()[0] = status;
    }

    /** Performs hypercall {@code nr} with r4.. in {@code args}; returns the status for r3. */
    public long dispatch(long nr, long[] args) {
        if (args.length < 4) return H_PARAMETER; // every call here reads up to r7
        if (nr == H_PUT_TERM_CHAR) return putTermChar(args);
        if (nr == H_GET_TERM_CHAR) return getTermChar(args);
        if (nr == KVMPPC_H_RTAS) return rtas.call(args[0]);
        if (nr == H_SET_MODE) return setMode(args);
        if (nr == H_REGISTER_PROCESS_TABLE) return registerProcessTable(args);
        return H_FUNCTION;
    }

    private long putTermChar(long[] a) {
        if (a[0] != vtyTermno) return H_PARAMETER;
        long len = a[1];
        if (len < 0 || len > 16) return H_PARAMETER;
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (a[2] >>> (56 - 8 * i));
            b[8 + i] = (byte) (a[3] >>> (56 - 8 * i));
        }
        if (len > 0) console.write(b, 0, (int) len);
        return H_SUCCESS;
    }

    private long getTermChar(long[] a) {
        if (a[0] != vtyTermno) return H_PARAMETER;
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
        return H_SUCCESS;
    }

    private long setMode(long[] a) {
        long mflags = a[0], resource = a[1], value1 = a[2], value2 = a[3];
        if (resource != SET_MODE_RESOURCE_LE) return H_P2;
        if (value1 != 0) return H_P3;
        if (value2 != 0) return H_P4;
        if (mflags != 0 && mflags != 1) return H_UNSUPPORTED_FLAG;
        lpcr.setInterruptLittleEndian(mflags == 1);
        return H_SUCCESS;
    }

    /**
     * PAPR's H_REGISTER_PROCESS_TABLE for a radix-only partition. With MODIFY|REGISTER|RADIX:
     * r5 is the table's real address (4K aligned, below 2^60), r6 (page size) must be 0, r7 is
     * PRTS (table of 2^(r7+12) bytes, at most 24). MODIFY alone deregisters. Without MODIFY the
     * current registration is kept if the RADIX flag agrees with it. Hash page tables (and hash
     * with segment tables) are refused: jvisor has no HPT.
     */
    private synchronized long registerProcessTable(long[] a) {
        long flags = a[0], table = a[1], pageSize = a[2], tableSize = a[3];
        if ((flags & ~PT_FLAGS) != 0) return H_PARAMETER;
        boolean radix = (flags & PT_RADIX) != 0, gtse = (flags & PT_GTSE) != 0;
        long newTable;
        boolean newRadix;
        if ((flags & PT_MODIFY) != 0) {
            if ((flags & PT_REGISTER) != 0) {
                if (!radix) return H_PARAMETER;
                if ((table & 0xFFF) != 0 || (table >>> 60) != 0) return H_P2;
                if (pageSize != 0) return H_P3;
                if (tableSize < 0 || tableSize > 24) return H_P4;
                newTable = table | tableSize;
                newRadix = true;
            } else {
                newTable = 0;
                newRadix = false;
            }
        } else {
            if (radix != radixRegistered) return H_PARAMETER;
            newTable = processTable;
            newRadix = radixRegistered;
        }
        long mmuFlags = PartitionScopedMmu.MMUV3_RADIX | (gtse ? PartitionScopedMmu.MMUV3_GTSE : 0);
        try {
            mmu.configureV3Mmu(mmuFlags, newTable);
        } catch (KvmException e) {
            return H_PARAMETER;
        }
        processTable = newTable;
        radixRegistered = newRadix;
        lpcr.setProcessTableMode(newRadix, gtse);
        return H_SUCCESS;
    }
}
