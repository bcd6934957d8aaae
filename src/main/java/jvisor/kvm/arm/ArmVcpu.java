package jvisor.kvm.arm;

import jvisor.hw.arm.Abort;
import jvisor.hw.arm.AccessInfo;
import jvisor.hw.arm.Esr;
import jvisor.hw.arm.Mmu;
import jvisor.hw.arm.Vttbr;
import jvisor.kvm.MemoryCache;
import jvisor.memory.PhysicalMemory;

/**
 * A virtual CPU of an ARM VM (KVM's kvm_vcpu): general registers and PC, the guest's EL1
 * translation registers, the memory cache its faults allocate tables from, and its state page
 * mapped at EL2. It runs on one {@link PhysicalCpu}.
 *
 * <p>There is no ARM instruction emulator: the guest model issues each load, store or fetch with
 * its {@link AccessInfo} through {@link #access}, which plays the guest running on the CPU until
 * the access completes, raises an exception the guest kernel must take (a stage-1 fault, or an
 * abort the hypervisor injected), or exits to the VMM ({@link #run()} says why; the VMM answers
 * an MMIO exit with {@link #completeMmio}).
 */
public final class ArmVcpu {
    /** Results of {@link #access}. */
    public static final int DONE = 0, GUEST_EXCEPTION = 1, EXIT = 2;
    /** Stage-2 faults on one access without progress before the vCPU gives up (a livelock guard). */
    static final int MAX_RESUMES = 10_000;
    private static final long STUCK_NANOS = 5_000_000_000L;
    private long stuckSince;

    private final Stage2Mmu stage2;
    private final int id;
    private final PhysicalCpu cpu;
    final MemoryCache cache;
    private final long stateFrame;
    private final long hypVa;
    private final KvmRun run = new KvmRun();
    private boolean destroyed;

    /** X0-X30; index 31 reads as zero (XZR). */
    public final long[] x = new long[32];
    public long pc;
    private boolean mmuOn;
    private long ttbr0;
    private int t0sz = 32;

    /** The exception the guest must take after {@link #GUEST_EXCEPTION}: ESR_EL1 and FAR_EL1. */
    public long guestEsr, guestFar;
    /** The value a completed load or fetch returned. */
    public long lastValue;
    /** Whether the pending exception was injected by the hypervisor (not raised by stage 1). */
    public boolean injected;

    public long exits, resumes, accesses;

    ArmVcpu(Stage2Mmu stage2, int id, PhysicalCpu cpu, long stateFrame, long hypVa) {
        this.stage2 = stage2;
        this.id = id;
        this.cpu = cpu;
        this.stateFrame = stateFrame;
        this.hypVa = hypVa;
        this.cache = new MemoryCache(stage2.physicalMemory(), 2 * stage2.pageTable().maxNewTables());
    }

    public int id() {
        return id;
    }

    public PhysicalCpu cpu() {
        return cpu;
    }

    public KvmRun run() {
        return run;
    }

    public long hypVa() {
        return hypVa;
    }

    public MemoryCache memoryCache() {
        return cache;
    }

    /** The guest writes SCTLR_EL1.M, TTBR0_EL1 and TCR_EL1.T0SZ (a context switch). */
    public void setStage1(boolean mmuOn, long ttbr0, int t0sz) {
        this.mmuOn = mmuOn;
        this.ttbr0 = ttbr0;
        this.t0sz = t0sz;
        cpu.running.lock();
        try {
            if (cpu.loaded == this) cpu.mmu().setStage1(mmuOn, ttbr0, t0sz);
        } finally {
            cpu.running.unlock();
        }
    }

    public long ttbr0() {
        return ttbr0;
    }

    /**
     * Guest entry: the VMID is checked (and renewed after a rollover), and if this CPU last ran
     * something else the world switch loads the VM's VTTBR, read by EL2 code from the VM's state
     * page through the EL2 tables, and the vCPU's EL1 context.
     */
    private void enter() {
        if (destroyed) throw new IllegalStateException("vCPU " + id + " destroyed");
        int vmid = stage2.host().vmids().update(stage2.vmidState(), cpu.index());
        long vttbr = Vttbr.make(stage2.pageTable().rootPa(), vmid);
        if (cpu.loaded != this || cpu.loadedVttbr != vttbr) {
            stage2.publishVttbr(vttbr);
            Hyp hyp = stage2.host().hyp();
            cpu.mmu().setStage2(hyp.readLong(stage2.hypVa()), hyp.readLong(stage2.hypVa() + 8));
            cpu.mmu().setStage1(mmuOn, ttbr0, t0sz);
            cpu.loaded = this;
            cpu.loadedVttbr = vttbr;
        }
    }

    /**
     * Runs one guest load, store or fetch.
     *
     * @param access     {@link Mmu#LOAD}, {@link Mmu#STORE} or {@link Mmu#FETCH}
     * @param el0        made by user code
     * @param info       the instruction's {@link AccessInfo} (Rt, size, sign extension...)
     * @param storeValue the value of Rt for a store
     * @return {@link #DONE}, {@link #GUEST_EXCEPTION} or {@link #EXIT}
     */
    public int access(long va, int access, boolean el0, int info, long storeValue) {
        return execute(va, access, el0, info, storeValue, false);
    }

    /**
     * Runs one guest load or store of a guest physical address, through stage 2 only: how the
     * guest model's kernel reaches its own page tables and page contents (a real kernel would go
     * through its linear map; the stage-2 work is the same).
     */
    public int accessPhysical(long ipa, int access, int info, long storeValue) {
        return execute(ipa, access, false, info, storeValue, true);
    }

    private int execute(long va, int access, boolean el0, int info, long storeValue, boolean physical) {
        cpu.running.lock();
        try {
            return executeOnCpu(va, access, el0, info, storeValue, physical);
        } finally {
            cpu.running.unlock();
        }
    }

    private int executeOnCpu(long va, int access, boolean el0, int info, long storeValue, boolean physical) {
        accesses++;
        int rt = AccessInfo.register(info);
        if (access == Mmu.STORE && rt != 31) x[rt] = storeValue;
        injected = false;
        run.clear();
        PhysicalMemory pm = stage2.physicalMemory();
        Abort abort = cpu.abort;
        for (int tries = 0; ; tries++) {
            enter();
            // The access itself completes under the TLB's monitor too: a TLBI that returns has
            // waited for it, so a page the host frees after invalidating is never written late.
            synchronized (cpu.tlb()) {
                long pa = physical ? cpu.mmu().translateIpa(va, access, info, abort)
                        : cpu.mmu().translate(va, access, el0, info, abort);
                if (pa >= 0) {
                    int bytes = access == Mmu.FETCH ? 4 : AccessInfo.bytes(info);
                    int first = (int) Math.min(bytes, 4096 - (va & 0xFFF));
                    if (first == bytes) {
                        perform(pm, pa, access, info, storeValue);
                        return DONE;
                    }
                    // An unaligned access across a page boundary: each page is translated on its
                    // own (the next page of the guest is any frame, or none), and both must
                    // translate before a byte moves. A fault on the second reports its address.
                    long next = va + first;
                    long pa2 = physical ? cpu.mmu().translateIpa(next, access, info, abort)
                            : cpu.mmu().translate(next, access, el0, info, abort);
                    if (pa2 >= 0) {
                        performSplit(pm, pa, first, pa2, bytes, access, info, storeValue);
                        return DONE;
                    }
                }
            }
            if (!abort.toEl2) {
                guestEsr = abort.esr;
                guestFar = abort.far;
                return GUEST_EXCEPTION;
            }
            exits++;
            int r = stage2.handleGuestAbort(this, abort);
            if (r == Stage2Mmu.WAIT) {
                // Not a lack of progress: the VMM is changing the memslots; the guest waits it out.
                tries--;
                continue;
            }
            if (r == Stage2Mmu.RESUME) {
                resumes++;
                if (tries < MAX_RESUMES) continue;
                // A busy host can keep invalidating under a fault for a while; give up only
                // when the access has made no progress for seconds.
                if (tries == MAX_RESUMES) stuckSince = System.nanoTime();
                if (System.nanoTime() - stuckSince < STUCK_NANOS) continue;
                run.reason = KvmRun.Reason.INTERNAL_ERROR;
                run.message = "no progress on " + Esr.describe(abort.esr) + String.format(" at 0x%x", va);
                return EXIT;
            }
            return r == Stage2Mmu.INJECTED ? GUEST_EXCEPTION : EXIT;
        }
    }

    private void perform(PhysicalMemory pm, long pa, int access, int info, long storeValue) {
        int bytes = access == Mmu.FETCH ? 4 : AccessInfo.bytes(info);
        if (access == Mmu.STORE) {
            switch (bytes) {
                case 1 -> pm.writeByte(pa, (byte) storeValue);
                case 2 -> pm.writeShortLE(pa, (short) storeValue);
                case 4 -> pm.writeIntLE(pa, (int) storeValue);
                default -> pm.writeLongLE(pa, storeValue);
            }
        } else {
            long v = switch (bytes) {
                case 1 -> pm.readByte(pa) & 0xFFL;
                case 2 -> pm.readShortLE(pa) & 0xFFFFL;
                case 4 -> pm.readIntLE(pa) & 0xFFFF_FFFFL;
                default -> pm.readLongLE(pa);
            };
            lastValue = access == Mmu.FETCH ? v : writeRegister(info, v);
        }
        pc += 4;
    }

    /** {@link #perform} for an access whose first {@code first} bytes are at {@code pa}, the rest at {@code pa2}. */
    private void performSplit(PhysicalMemory pm, long pa, int first, long pa2, int bytes, int access, int info,
                              long storeValue) {
        if (access == Mmu.STORE) {
            for (int k = 0; k < bytes; k++) pm.writeByte(k < first ? pa + k : pa2 + k - first, (byte) (storeValue >>> (8 * k)));
        } else {
            long v = 0;
            for (int k = 0; k < bytes; k++) v |= (pm.readByte(k < first ? pa + k : pa2 + k - first) & 0xFFL) << (8 * k);
            lastValue = access == Mmu.FETCH ? v : writeRegister(info, v);
        }
        pc += 4;
    }

    /** Puts load data in Rt as the instruction would: sign extension, 32-bit registers zero-extended. */
    private long writeRegister(int info, long data) {
        int bits = 8 * AccessInfo.bytes(info);
        return setRt(AccessInfo.register(info), data, bits, AccessInfo.signExtend(info), AccessInfo.sixtyFourBit(info));
    }

    private long setRt(int rt, long data, int bits, boolean signExtend, boolean sf) {
        long v = bits == 64 ? data : data & ((1L << bits) - 1);
        if (signExtend && bits < 64) v = (v << (64 - bits)) >> (64 - bits);
        if (!sf) v &= 0xFFFF_FFFFL;
        if (rt != 31) x[rt] = v;
        return v;
    }

    /** Filled in by the abort handler for an MMIO exit: the store data comes from Rt. */
    void prepareMmio(long esr, long ipa) {
        run.reason = KvmRun.Reason.MMIO;
        run.mmioPhysAddr = ipa;
        run.mmioLen = Esr.accessBytes(esr);
        run.mmioIsWrite = Esr.wnr(esr);
        int rt = Esr.srt(esr);
        long data = rt == 31 ? 0 : x[rt];
        run.mmioData = run.mmioLen == 8 ? data : data & ((1L << (8 * run.mmioLen)) - 1);
        pendingEsr = esr;
    }

    private long pendingEsr;

    /**
     * Completes an MMIO exit on the next run (kvm_handle_mmio_return): for a load, the data the
     * VMM put in the exit is sign-extended as SSE says, truncated to 32 bits when SF is clear,
     * written to Rt; then the PC moves past the instruction.
     *
     * @return the value written to Rt (loads) or 0
     */
    public long completeMmio(long data) {
        if (run.reason != KvmRun.Reason.MMIO) throw new IllegalStateException("no MMIO exit pending");
        long esr = pendingEsr;
        long v = 0;
        if (!run.mmioIsWrite) {
            v = setRt(Esr.srt(esr), data, 8 * Esr.accessBytes(esr), Esr.sse(esr), Esr.sf(esr));
            lastValue = v;
        }
        pc += 4;
        run.clear();
        return v;
    }

    /** The hypervisor makes the guest take an abort at EL1 (kvm_inject_dabt / kvm_inject_pabt). */
    void inject(long esr, long far) {
        guestEsr = esr;
        guestFar = far;
        injected = true;
    }

    // ---------------------------------------------------------------- TLB maintenance the guest issues

    /** TLBI ASIDE1IS from the guest: scoped, like every EL1 TLBI, to the VM's VMID. */
    public void tlbiAsid(int asid) {
        stage2.host().tlbs().invalidateAsid(stage2.currentVmid(), asid);
    }

    /** TLBI VAE1IS from the guest. */
    public void tlbiVa(int asid, long va) {
        stage2.host().tlbs().invalidateVa(stage2.currentVmid(), asid, va);
    }

    /** TLBI VAAE1IS from the guest (global kernel mappings). */
    public void tlbiVaAllAsids(long va) {
        stage2.host().tlbs().invalidateVaAllAsids(stage2.currentVmid(), va);
    }

    /** Frees the memory cache and the EL2 mapping of the vCPU's state. */
    void destroy() {
        if (destroyed) return;
        destroyed = true;
        cpu.running.lock();
        try {
            if (cpu.loaded == this) cpu.loaded = null;
        } finally {
            cpu.running.unlock();
        }
        cache.free();
        stage2.host().hyp().removeMappings(hypVa, 4096);
        stage2.physicalMemory().put(stateFrame >>> 12);
    }
}
