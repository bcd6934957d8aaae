package jvisor.kvm.power;

import java.security.SecureRandom;
import jvisor.hw.power.Lpcr;
import jvisor.hw.power.cpu.Core;
import jvisor.kvm.RunExit;
import jvisor.memory.GuestMemory;

/**
 * The PAPR hypercalls the hypervisor answers itself, without an exit to user space (KVM's
 * {@code kvmppc_pseries_do_hcall} and its in-kernel XICS): one instance per vCPU, called on that
 * vCPU's thread with r4.. of the call. Every argument is the guest's; a bad one gets a PAPR
 * status, never a host exception. Where PAPR leaves a choice, the answers are QEMU's pseries (the
 * reference a pseries guest sees), and the places where jvisor follows PAPR instead say so.
 */
final class PseriesHcalls {
    /** H_GET_CPU_CHARACTERISTICS: branch hints are honoured (character bit 5 from the left). */
    static final long CHAR_BRANCH_HINTS_HONORED = 1L << 58;
    /**
     * H_GET_CPU_CHARACTERISTICS behaviours: favour security, flush L1D on privilege change, and
     * use a speculation barrier for bounds checks: what QEMU's pseries reports when its
     * cap-cfpc, cap-sbbc and cap-ibs are "broken" (the setting the project's guests and tests
     * use), so a Linux guest chooses the same mitigations under both machines.
     */
    static final long BEHAV_FAVOUR_SECURITY = 1L << 63, BEHAV_L1D_FLUSH_PR = 1L << 62,
            BEHAV_BNDS_CHK_SPEC_BAR = 1L << 61;

    /** H_SET_MODE resources. */
    static final int RESOURCE_CIABR = 1, RESOURCE_DAWR0 = 2, RESOURCE_ADDR_TRANS_MODE = 3, RESOURCE_LE = 4,
            RESOURCE_DAWR1 = 5;
    static final int SPR_CIABR = 187, SPR_DAWR0 = 180, SPR_DAWRX0 = 188, SPR_SPRG0 = 272;
    /** DAWRX[HYP]: a guest may not ask for hypervisor-state matches. */
    static final long DAWRX_HYP = 1L << 2;

    /** H_REGISTER_VPA functions (flags bits 16:18). */
    static final int VPA_REGISTER = 1, DTL_REGISTER = 2, SLB_REGISTER = 3, VPA_DEREGISTER = 5, DTL_DEREGISTER = 6,
            SLB_DEREGISTER = 7;
    static final int VPA_MIN_SIZE = 640, VPA_ALIGN = 128, SLB_SHADOW_MIN_SIZE = 8, DTL_MIN_SIZE = 48;
    /** VPA byte 9 bit 0x02: the processor is shared (dispatched by a hypervisor), set at registration. */
    static final int VPA_SHARED_PROC_OFFSET = 9, VPA_SHARED_PROC = 0x02;

    /** H_HOME_NODE_ASSOCIATIVITY flags: the identifier is a processor. */
    static final long HOME_NODE_CPU = 1;
    /** H_SIGNAL_SYS_RESET targets besides a processor number. */
    static final long RESET_ALL = -1, RESET_ALL_BUT_SELF = -2;

    /** H_PAGE_INIT flags: zero, copy, and the two i-cache ones (nothing to do: every write to guest memory drops decoded instructions). */
    static final long PAGE_ZERO = 1L << 15, PAGE_COPY = 1L << 14, PAGE_ICACHE_SYNC = 1L << 22,
            PAGE_ICACHE_INVALIDATE = 1L << 23;

    /** PAPR's H_REGISTER_PROCESS_TABLE flags. */
    static final long PT_MODIFY = 0x10, PT_REGISTER = 0x08, PT_RADIX = 0x04, PT_HASH = 0x02, PT_GTSE = 0x01;

    private final PowerVcpu vcpu;
    private final Core core;
    /**
     * H_RANDOM's source, made at the first H_RANDOM: setting up the JDK's default generator took
     * 18 ms of every cold start's path to the first instruction, for a call many guests never make.
     */
    private static final class Entropy {
        static final SecureRandom SOURCE = new SecureRandom();
    }

    PseriesHcalls(PowerVcpu vcpu) {
        this.vcpu = vcpu;
        this.core = vcpu.core();
    }

    /**
     * The hypercall the core stopped at ({@code sc 1}, number in r3, arguments in r4..r12):
     * answered here (r3 gets the status; null is returned), or the exit for user space (RTAS, and
     * what the hypervisor does not implement), completed by the next run.
     */
    RunExit dispatch() {
        long nr = core.gpr(3);
        vcpu.statistics().hcall(nr);
        long[] a = new long[9];
        for (int i = 0; i < 9; i++) a[i] = core.gpr(4 + i);
        if (nr == Hcall.H_CEDE) {
            vcpu.cede();
            core.setGpr(3, Hcall.H_SUCCESS);
            return null;
        }
        Long ret = handle(nr, a);
        if (ret != null) {
            core.setGpr(3, ret);
            return null;
        }
        if (nr == Hcall.KVMPPC_H_RTAS) return new RunExit.Rtas(a[0]);
        return new RunExit.Hypercall(nr, a);
    }

    /** Performs hypercall {@code nr} with r4.. in {@code a}; the status for r3, or null when user space handles it. */
    Long handle(long nr, long[] a) {
        if ((int) nr != nr) return null;
        GuestMemory mem = vcpu.vm.guestMemory();
        return switch ((int) nr) {
            case Hcall.H_SET_SPRG0 -> {
                core.writeSpr(SPR_SPRG0, a[0]);
                yield Hcall.H_SUCCESS;
            }
            case Hcall.H_SET_DABR -> Hcall.H_SUCCESS; // no data breakpoints here; accepted and ignored
            case Hcall.H_PAGE_INIT -> pageInit(mem, a[0], a[1], a[2]);
            case Hcall.H_RANDOM -> {
                core.setGpr(4, Entropy.SOURCE.nextLong());
                yield Hcall.H_SUCCESS;
            }
            case Hcall.H_SET_MODE -> setMode(a[0], a[1], a[2], a[3]);
            case Hcall.H_REGISTER_PROCESS_TABLE -> registerProcessTable(a[0], a[1], a[2], a[3]);
            case Hcall.H_REGISTER_VPA -> registerVpa(mem, a[0], a[1], a[2]);
            case Hcall.H_GET_CPU_CHARACTERISTICS -> {
                core.setGpr(4, CHAR_BRANCH_HINTS_HONORED);
                core.setGpr(5, BEHAV_FAVOUR_SECURITY | BEHAV_L1D_FLUSH_PR | BEHAV_BNDS_CHK_SPEC_BAR);
                yield Hcall.H_SUCCESS;
            }
            case Hcall.H_PROD -> prod(a[0]);
            case Hcall.H_CONFER -> confer(a[0]);
            case Hcall.H_HOME_NODE_ASSOCIATIVITY -> homeNodeAssociativity(a[0], a[1]);
            case Hcall.H_SIGNAL_SYS_RESET -> signalSystemReset(a[0]);
            case Hcall.H_EOI, Hcall.H_CPPR, Hcall.H_IPI, Hcall.H_IPOLL, Hcall.H_XIRR -> vcpu.xics().hcall(nr, a);
            default -> null;
        };
    }

    private long pageInit(GuestMemory mem, long flags, long dest, long src) {
        if ((flags & ~(PAGE_ZERO | PAGE_COPY | PAGE_ICACHE_SYNC | PAGE_ICACHE_INVALIDATE)) != 0) return Hcall.H_PARAMETER;
        boolean zero = (flags & PAGE_ZERO) != 0, copy = (flags & PAGE_COPY) != 0;
        if ((dest & 0xFFF) != 0 || (copy && (src & 0xFFF) != 0)) return Hcall.H_PARAMETER;
        if (!mem.isBacked(dest, 4096) || (copy && !mem.isBacked(src, 4096))) return Hcall.H_PARAMETER;
        byte[] page = new byte[4096];
        if (copy && !mem.read(src, page, 0, 4096)) return Hcall.H_PARAMETER;
        if ((copy || zero) && !mem.write(dest, page, 0, 4096)) return Hcall.H_PARAMETER;
        return Hcall.H_SUCCESS;
    }

    /**
     * H_SET_MODE: the instruction breakpoint (CIABR), the data watchpoints (DAWR0, and DAWR1,
     * accepted as QEMU's pseries accepts it), the address translation mode (LPCR[AIL] 0 or 3 for
     * every processor of the partition) and the interrupt byte order (LPCR[ILE]).
     */
    private long setMode(long mflags, long resource, long value1, long value2) {
        switch ((int) resource == resource ? (int) resource : -1) {
            case RESOURCE_CIABR -> {
                if (value2 != 0) return Hcall.H_P4;
                if (mflags != 0) return Hcall.H_UNSUPPORTED_FLAG;
                if ((value1 & 3) == 3) return Hcall.H_P3; // a match in hypervisor state is not the guest's
                core.writeSpr(SPR_CIABR, value1);
                return Hcall.H_SUCCESS;
            }
            case RESOURCE_DAWR0, RESOURCE_DAWR1 -> {
                if (mflags != 0) return Hcall.H_UNSUPPORTED_FLAG;
                if ((value2 & DAWRX_HYP) != 0) return Hcall.H_P4;
                if (resource == RESOURCE_DAWR0) {
                    core.writeSpr(SPR_DAWR0, value1);
                    core.writeSpr(SPR_DAWRX0, value2);
                }
                return Hcall.H_SUCCESS;
            }
            case RESOURCE_ADDR_TRANS_MODE -> {
                if (value1 != 0) return Hcall.H_P3;
                if (value2 != 0) return Hcall.H_P4;
                // AIL 1 is reserved and 2 is not offered to a radix guest on POWER9.
                if (mflags != 0 && mflags != 3) return Hcall.H_UNSUPPORTED_FLAG;
                return updateLpcr(Lpcr.AIL, mflags << Lpcr.AIL_SHIFT);
            }
            case RESOURCE_LE -> {
                if (value1 != 0) return Hcall.H_P3;
                if (value2 != 0) return Hcall.H_P4;
                if (mflags == 0) return updateLpcr(Lpcr.ILE, 0);
                if (mflags == 1) return updateLpcr(Lpcr.ILE, Lpcr.ILE);
                return Hcall.H_UNSUPPORTED_FLAG;
            }
            default -> {
                return Hcall.H_P2;
            }
        }
    }

    private long updateLpcr(long mask, long value) {
        vcpu.shared.updateLpcr(mask, value);
        vcpu.regs.lpcr = vcpu.shared.lpcr;
        core.translationRegistersChanged();
        return Hcall.H_SUCCESS;
    }

    /**
     * PAPR's H_REGISTER_PROCESS_TABLE for a radix-only partition. MODIFY|REGISTER|RADIX registers:
     * r5 the table's real address (4K aligned, below 2^60), r6 (page size) 0, r7 PRTS (a table of
     * 2^(r7+12) bytes, at most 24). MODIFY alone deregisters. Without MODIFY the registration is
     * kept if the RADIX flag agrees with it. Hash page tables are refused: there is no HPT here.
     */
    private long registerProcessTable(long flags, long base, long pageSize, long tableSize) {
        if ((flags & ~0x1FL) != 0) return Hcall.H_PARAMETER;
        boolean radix = (flags & PT_RADIX) != 0, gtse = (flags & PT_GTSE) != 0;
        PartitionScopedMmu partitionMmu = vcpu.partitionMmu;
        long table;
        if ((flags & PT_MODIFY) != 0) {
            if ((flags & PT_REGISTER) != 0) {
                if (!radix || (flags & PT_HASH) != 0) return Hcall.H_PARAMETER;
                if ((base & 0xFFF) != 0 || (base >>> 60) != 0) return Hcall.H_P2;
                if (pageSize != 0) return Hcall.H_P3;
                if (tableSize < 0 || tableSize > 24) return Hcall.H_P4;
                table = base | tableSize;
            } else {
                table = 0;
            }
        } else {
            if (radix != (partitionMmu.processTable() != 0)) return Hcall.H_PARAMETER;
            table = partitionMmu.processTable();
        }
        partitionMmu.configureV3Mmu(PartitionScopedMmu.MMUV3_RADIX | (gtse ? PartitionScopedMmu.MMUV3_GTSE : 0), table);
        return updateLpcr(Lpcr.GTSE, gtse ? Lpcr.GTSE : 0);
    }

    /**
     * H_REGISTER_VPA: the virtual processor area, the SLB shadow buffer and the dispatch trace log of
     * a processor, each a guest real address whose length the guest wrote at offset 4 (two bytes for
     * the VPA, four for the others). The SLB shadow and the trace log need a registered VPA, and the
     * VPA cannot go while either is registered.
     */
    private long registerVpa(GuestMemory mem, long flags, long server, long address) {
        PowerVcpu target = vcpu.shared.vcpu(server);
        if (target == null) return Hcall.H_PARAMETER;
        VpaRegistration r = target.vpa;
        switch ((int) (flags >>> 45 & 7)) {
            case VPA_REGISTER -> {
                if (address % VPA_ALIGN != 0) return Hcall.H_PARAMETER;
                long word = mem.readU32BE(address + 4);
                if (word == GuestMemory.NOT_BACKED) return Hcall.H_PARAMETER;
                int length = (int) (word >>> 16);
                if (length < VPA_MIN_SIZE || crossesPage(address, length) || !mem.isBacked(address, length)) {
                    return Hcall.H_PARAMETER;
                }
                byte[] b = new byte[1];
                if (!mem.read(address + VPA_SHARED_PROC_OFFSET, b, 0, 1)) return Hcall.H_PARAMETER;
                b[0] |= VPA_SHARED_PROC;
                if (!mem.write(address + VPA_SHARED_PROC_OFFSET, b, 0, 1)) return Hcall.H_PARAMETER;
                r.vpa = address;
            }
            case SLB_REGISTER, DTL_REGISTER -> {
                boolean slb = (flags >>> 45 & 7) == SLB_REGISTER;
                long length = mem.readU32BE(address + 4);
                if (length == GuestMemory.NOT_BACKED) return Hcall.H_PARAMETER;
                if (length < (slb ? SLB_SHADOW_MIN_SIZE : DTL_MIN_SIZE)) return Hcall.H_PARAMETER;
                if (slb && crossesPage(address, length)) return Hcall.H_PARAMETER;
                if (!mem.isBacked(address, length)) return Hcall.H_PARAMETER;
                if (r.vpa == 0) return Hcall.H_RESOURCE;
                if (slb) r.slbShadow = address;
                else r.dtl = address;
            }
            case VPA_DEREGISTER -> {
                if (r.slbShadow != 0 || r.dtl != 0) return Hcall.H_RESOURCE;
                r.vpa = 0;
            }
            case SLB_DEREGISTER -> r.slbShadow = 0;
            case DTL_DEREGISTER -> r.dtl = 0;
            default -> {
                return Hcall.H_PARAMETER;
            }
        }
        return Hcall.H_SUCCESS;
    }

    private static boolean crossesPage(long address, long length) {
        return (address >>> 12) != ((address + length - 1) >>> 12);
    }

    /** H_PROD: the target's next (or current) H_CEDE returns at once. */
    private long prod(long server) {
        PowerVcpu target = vcpu.shared.vcpu(server);
        if (target == null) return Hcall.H_PARAMETER;
        target.prod();
        return Hcall.H_SUCCESS;
    }

    /**
     * H_CONFER: the caller gives its time to a processor (or to any, -1). The host thread yields.
     * PAPR's status is H_SUCCESS; QEMU's pseries returns from a confer to any with r3 unchanged.
     */
    private long confer(long server) {
        if (server != -1 && vcpu.shared.vcpu(server) == null) return Hcall.H_PARAMETER;
        Thread.yield();
        return Hcall.H_SUCCESS;
    }

    /**
     * H_HOME_NODE_ASSOCIATIVITY for a processor: its associativity domains, 32 bits each, two to a
     * register in r4..r9, padded with all ones. One node: every domain is 0 but the last, the
     * processor's own number.
     */
    private long homeNodeAssociativity(long flags, long server) {
        if (flags != HOME_NODE_CPU) return Hcall.H_FUNCTION;
        PowerVcpu target = vcpu.shared.vcpu(server);
        if (target == null) return Hcall.H_P2;
        core.setGpr(4, 0);
        core.setGpr(5, 0);
        core.setGpr(6, ((long) target.id() << 32) | 0xFFFF_FFFFL);
        for (int r = 7; r <= 9; r++) core.setGpr(r, -1);
        return Hcall.H_SUCCESS;
    }

    /** H_SIGNAL_SYS_RESET: a system reset interrupt (an NMI) for one processor, all, or all others. */
    private long signalSystemReset(long target) {
        if (target == RESET_ALL || target == RESET_ALL_BUT_SELF) {
            for (PowerVcpu v : vcpu.shared.vcpus()) {
                if (target == RESET_ALL || v != vcpu) v.systemReset();
            }
            return Hcall.H_SUCCESS;
        }
        PowerVcpu v = target < 0 ? null : vcpu.shared.vcpu(target);
        if (v == null) return Hcall.H_PARAMETER;
        v.systemReset();
        return Hcall.H_SUCCESS;
    }
}
