package jvisor.hw.arm;

import jvisor.memory.RealMemory;

/**
 * The memory management unit of one physical CPU running a guest: stage 1 (the guest's tables,
 * TTBR0_EL1 / TCR_EL1.T0SZ, in guest memory) followed by stage 2 (the hypervisor's tables,
 * VTTBR_EL2 / VTCR_EL2, in host real memory), with every stage-1 descriptor read itself
 * translated by stage 2. A fault fills the CPU's {@link Abort}: a stage-2 fault (to EL2) with
 * ESR_EL2, FAR and HPFAR, and S1PTW set when it happened on a stage-1 table read; a stage-1
 * fault (to EL1) with ESR_EL1 and FAR. Nothing a guest writes in its tables makes this throw:
 * bad descriptors become translation or address-size faults, table pointers outside the IPA
 * space are stage-2 faults the hypervisor sees, and the walk has at most four levels, so loops
 * in the tables cannot make it run forever.
 *
 * <p>The guest's translation regime uses TTBR0 only (TTBR1 walks disabled, as EPD1 would): the
 * guest kernel shares its half by linking one kernel table into every process's root.
 */
public final class Mmu {
    /** Kinds of access. */
    public static final int LOAD = 0, STORE = 1, FETCH = 2;

    private final RealMemory mem;
    private final Tlb tlb;
    private final TableLookup s2lookup;

    // Registers, written by the world switch (EL2 state) and by the guest (EL1 state).
    private long vttbr, vtcr;
    private int vmid, ipaBits = 40, s2StartLevel = 1, s2Tables = 2, psBits = 48;
    private boolean stage1Enabled;
    private long ttbr0;
    private int t0sz = 32, asid;

    /** What walks cost: stage-1 and stage-2 descriptor reads, and walks made. */
    public long s1Reads, s2Reads, walks, stage1Faults, stage2Faults;

    public Mmu(RealMemory mem, Tlb tlb) {
        this.mem = mem;
        this.tlb = tlb;
        this.s2lookup = new TableLookup(mem);
    }

    public Tlb tlb() {
        return tlb;
    }

    /** Loads VTTBR_EL2 and VTCR_EL2 (on entry to a guest). */
    public void setStage2(long vttbr, long vtcr) {
        this.vttbr = vttbr;
        this.vtcr = vtcr;
        this.vmid = Vttbr.vmid(vttbr, Vtcr.vmid16(vtcr));
        this.ipaBits = Vtcr.ipaBits(vtcr);
        this.s2StartLevel = Vtcr.startLevel(vtcr);
        this.s2Tables = Vtcr.concatenatedTables(vtcr);
        this.psBits = Vtcr.psBits(vtcr);
    }

    /** The guest's SCTLR_EL1.M, TTBR0_EL1 (ASID in bits 63:48) and TCR_EL1.T0SZ. */
    public void setStage1(boolean enabled, long ttbr0, int t0sz) {
        this.stage1Enabled = enabled;
        this.ttbr0 = ttbr0;
        this.t0sz = t0sz;
        this.asid = (int) (ttbr0 >>> 48) & 0xFFFF;
    }

    public int vmid() {
        return vmid;
    }

    public int asid() {
        return asid;
    }

    public long vttbr() {
        return vttbr;
    }

    /**
     * Translates a virtual address of the running guest to a host real address.
     *
     * @param el0  the access is made at EL0 (user), else at EL1 (kernel)
     * @param info the instruction's {@link AccessInfo}, reported in the syndrome
     * @return the host real address, or -1 with {@code out} describing the abort
     */
    public long translate(long va, int access, boolean el0, int info, Abort out) {
        long page = va >>> 12;
        int as = stage1Enabled ? asid : Tlb.PHYSICAL;
        int need = Tlb.need(access, el0);
        synchronized (tlb) {
            long pa = tlb.lookup(vmid, as, page, need);
            if (pa >= 0) return pa | (va & 0xFFF);
            walks++;
            return stage1Enabled ? walk(va, access, el0, info, out) : physical(va, access, info, out);
        }
    }

    /**
     * Translates a guest physical address (IPA) through stage 2 only, as an access made with
     * stage 1 off; used for the guest kernel's accesses to its own tables.
     */
    public long translateIpa(long ipa, int access, int info, Abort out) {
        int need = Tlb.need(access, false);
        synchronized (tlb) {
            long pa = tlb.lookup(vmid, Tlb.PHYSICAL, ipa >>> 12, need);
            if (pa >= 0) return pa | (ipa & 0xFFF);
            walks++;
            return physical(ipa, access, info, out);
        }
    }

    private long physical(long ipa, int access, int info, Abort out) {
        long pa = stage2(ipa, access, false, ipa, access, info, out);
        if (pa < 0) return -1;
        int perms = s2Perms(lastS2);
        tlb.fill(vmid, Tlb.PHYSICAL, ipa >>> 12, ipa, pa, perms);
        return pa;
    }

    private long lastS2;

    private static int s2Perms(long d) {
        int p = 0;
        if (Stage2Descriptor.readable(d)) p |= Tlb.R0 | Tlb.R1;
        if (Stage2Descriptor.writable(d)) p |= Tlb.W0 | Tlb.W1;
        if (Stage2Descriptor.readable(d) && Stage2Descriptor.executable(d)) p |= Tlb.X0 | Tlb.X1;
        return p;
    }

    private static int s1Perms(long d) {
        int p = 0;
        for (int el = 0; el < 2; el++) {
            boolean el0 = el == 0;
            int shift = el0 ? 0 : 3;
            if (Stage1Descriptor.permits(d, LOAD, el0)) p |= Tlb.R0 << shift;
            if (Stage1Descriptor.permits(d, STORE, el0)) p |= Tlb.W0 << shift;
            if (Stage1Descriptor.permits(d, FETCH, el0)) p |= Tlb.X0 << shift;
        }
        return p;
    }

    /** The stage-1 walk; every table read goes through stage 2. Holds the TLB monitor. */
    private long walk(long va, int access, boolean el0, int info, Abort out) {
        int inputBits = 64 - t0sz;
        if (inputBits < 25 || inputBits > 48 || (va >>> inputBits) != 0) {
            return stage1Fault(Esr.FSC_TRANSLATION, 0, va, access, el0, info, out);
        }
        int level = Descriptor.startLevelFor(inputBits);
        long tableIpa = ttbr0 & Descriptor.OA_MASK;
        long ipaLimit = 1L << ipaBits;
        for (; ; level++) {
            int shift = Descriptor.levelShift(level);
            int indexBits = Math.min(Descriptor.BITS_PER_LEVEL, inputBits - shift);
            long index = (va >>> shift) & ((1L << indexBits) - 1);
            long descIpa = tableIpa + 8 * index;
            if (descIpa >= ipaLimit) {
                return stage1Fault(Esr.FSC_ADDRESS_SIZE, level, va, access, el0, info, out);
            }
            long descPa = stage2(descIpa, LOAD, true, va, access, info, out);
            if (descPa < 0) return -1;
            long d = mem.readLongLE(descPa);
            s1Reads++;
            if (!Descriptor.valid(d) || Descriptor.isReserved(d, level)) {
                return stage1Fault(Esr.FSC_TRANSLATION, level, va, access, el0, info, out);
            }
            long next = Descriptor.outputAddress(d);
            if ((d & Descriptor.OA_HIGH_MASK) != 0 || next >= ipaLimit) {
                return stage1Fault(Esr.FSC_ADDRESS_SIZE, level, va, access, el0, info, out);
            }
            if (Descriptor.isTable(d, level)) {
                tableIpa = next;
                continue;
            }
            if (!Stage1Descriptor.accessFlag(d)) {
                return stage1Fault(Esr.FSC_ACCESS_FLAG, level, va, access, el0, info, out);
            }
            if (!Stage1Descriptor.permits(d, access, el0)) {
                return stage1Fault(Esr.FSC_PERMISSION, level, va, access, el0, info, out);
            }
            long ipa = Descriptor.leafAddress(d, level) | (va & (Descriptor.levelSize(level) - 1));
            long pa = stage2(ipa, access, false, va, access, info, out);
            if (pa < 0) return -1;
            int perms = s1Perms(d) & s2Perms(lastS2);
            tlb.fill(vmid, Stage1Descriptor.global(d) ? Tlb.GLOBAL : asid, va >>> 12, ipa, pa, perms);
            return pa;
        }
    }

    private long stage1Fault(int fscBase, int level, long va, int access, boolean el0, int info, Abort out) {
        stage1Faults++;
        int fsc = fscBase == Esr.FSC_ACCESS_FLAG || fscBase == Esr.FSC_PERMISSION ? fscBase + Math.max(level, 1) : fscBase + level;
        long esr = access == FETCH ? Esr.instructionAbort(fsc, false, el0)
                : Esr.dataAbort(fsc, access == STORE, false, info, el0);
        out.stage1(esr, va);
        return -1;
    }

    /**
     * Stage-2 translation of {@code ipa} for {@code access}; {@code s1ptw} when it is a stage-1
     * table read made for an {@code origAccess} to {@code va}.
     */
    private long stage2(long ipa, int access, boolean s1ptw, long va, int origAccess, int info, Abort out) {
        int start = s2StartLevel;
        if (ipa < 0 || ipa >= 1L << ipaBits) {
            return stage2Fault(Esr.FSC_TRANSLATION, start, ipa, s1ptw, va, origAccess, info, out);
        }
        long before = s2lookup.reads();
        int r = s2lookup.find(Vttbr.baddr(vttbr), start, s2Tables, ipa);
        s2Reads += s2lookup.reads() - before;
        if (r == TableWalker.BAD_TABLE) {
            return stage2Fault(Esr.FSC_EXTERNAL_WALK, s2lookup.level, ipa, s1ptw, va, origAccess, info, out);
        }
        long d = s2lookup.descriptor;
        int level = s2lookup.level;
        if (!Descriptor.isLeaf(d, level)) {
            return stage2Fault(Esr.FSC_TRANSLATION, level, ipa, s1ptw, va, origAccess, info, out);
        }
        long pa = Descriptor.leafAddress(d, level) | (ipa & (Descriptor.levelSize(level) - 1));
        if ((d & Descriptor.OA_HIGH_MASK) != 0 || (psBits < 64 && pa >>> psBits != 0)) {
            return stage2Fault(Esr.FSC_ADDRESS_SIZE, level, ipa, s1ptw, va, origAccess, info, out);
        }
        if (!mem.contains(pa & ~0xFFFL, 4096)) {
            return stage2Fault(Esr.FSC_EXTERNAL, 0, ipa, s1ptw, va, origAccess, info, out);
        }
        if (!Stage2Descriptor.accessFlag(d)) {
            return stage2Fault(Esr.FSC_ACCESS_FLAG, level, ipa, s1ptw, va, origAccess, info, out);
        }
        if (!Stage2Descriptor.permits(d, access)) {
            return stage2Fault(Esr.FSC_PERMISSION, level, ipa, s1ptw, va, origAccess, info, out);
        }
        lastS2 = d;
        return pa;
    }

    private long stage2Fault(int fscBase, int level, long ipa, boolean s1ptw, long va, int origAccess, int info,
                             Abort out) {
        stage2Faults++;
        int fsc = fscBase == Esr.FSC_EXTERNAL ? fscBase : fscBase + level;
        long esr = origAccess == FETCH ? Esr.instructionAbort(fsc, s1ptw, true)
                : Esr.dataAbort(fsc, origAccess == STORE, s1ptw, info, true);
        out.stage2(esr, va, ipa);
        return -1;
    }

    /** Descriptor reads per walk so far (both stages). */
    public long tableReads() {
        return s1Reads + s2Reads;
    }
}
