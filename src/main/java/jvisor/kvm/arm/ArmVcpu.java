package jvisor.kvm.arm;

import jvisor.hw.arm.Abort;
import jvisor.hw.arm.AccessInfo;
import jvisor.hw.arm.Esr;
import jvisor.hw.arm.Mmu;
import jvisor.hw.arm.Vttbr;
import jvisor.kvm.AccessOutcome;
import jvisor.kvm.MemoryCache;
import jvisor.kvm.RunExit;
import jvisor.kvm.Vcpu;
import jvisor.memory.PhysicalMemory;

/**
 * A virtual CPU of an ARM VM (KVM's kvm_vcpu): general registers and PC, the guest's EL1
 * translation registers, the memory cache its faults allocate tables from, and its state page
 * mapped at EL2. It runs on one {@link PhysicalCpu}.
 *
 * <p>There is no ARM instruction emulator: the guest model hands the vCPU each load, store or
 * fetch with its {@link AccessInfo}, and a {@link #run()} (the {@link Vcpu} contract) plays the
 * guest running that one access on the CPU. It ends in an exit for the VMM ({@link RunExit.Mmio},
 * {@link RunExit.ArmNisv}, {@link RunExit.MemoryFault}, {@link RunExit.InternalError}), or in
 * {@link RunExit.Interrupted} once the access has completed or raised an exception the guest
 * kernel must take (a stage-1 fault, or an abort the hypervisor injected). The VMM answers an MMIO
 * load in the exit's buffer; the next run puts the data in Rt and moves the PC on.
 * {@link #access} and {@link #accessPhysical} are the guest model's shorthand: hand over one
 * access and run it, with the outcome as the model needs it.
 */
public final class ArmVcpu implements Vcpu {
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
    private boolean destroyed;

    // The access the guest model handed over for the next run.
    private boolean staged, stagedPhysical, stagedEl0;
    private long stagedVa, stagedStoreValue;
    private int stagedAccess, stagedInfo;
    /** What the last run ended with; an MMIO exit stays here until the next run completes it. */
    private RunExit lastExit = RunExit.Interrupted.INSTANCE;
    private RunExit.Mmio pendingMmio;
    private long pendingEsr;
    private volatile boolean kicked;

    /** X0-X30; index 31 reads as zero (XZR). */
    public final long[] x = new long[32];
    public long pc;
    private boolean mmuOn;
    private long ttbr0;
    private int t0sz = 32;

    /** The exception the guest must take after {@link AccessOutcome#GUEST_EXCEPTION}: ESR_EL1 and FAR_EL1. */
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

    @Override
    public int id() {
        return id;
    }

    public PhysicalCpu cpu() {
        return cpu;
    }

    /** The exit the last run ended with ({@link RunExit.Interrupted} when it needed nothing of the VMM). */
    public RunExit lastExit() {
        return lastExit;
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
     * The guest's next instruction, a load, store or fetch at virtual address {@code va}, for the
     * next {@link #run()} to execute.
     *
     * @param access     {@link Mmu#LOAD}, {@link Mmu#STORE} or {@link Mmu#FETCH}
     * @param el0        made by user code
     * @param info       the instruction's {@link AccessInfo} (Rt, size, sign extension...)
     * @param storeValue the value of Rt for a store
     */
    public void setNextAccess(long va, int access, boolean el0, int info, long storeValue) {
        stage(va, access, el0, info, storeValue, false);
    }

    /**
     * The guest's next instruction, a load or store of a guest physical address, through stage 2
     * only: how the guest model's kernel reaches its own page tables and page contents (a real
     * kernel would go through its linear map; the stage-2 work is the same).
     */
    public void setNextPhysicalAccess(long ipa, int access, int info, long storeValue) {
        stage(ipa, access, false, info, storeValue, true);
    }

    private void stage(long va, int access, boolean el0, int info, long storeValue, boolean physical) {
        stagedVa = va;
        stagedAccess = access;
        stagedEl0 = el0;
        stagedInfo = info;
        stagedStoreValue = storeValue;
        stagedPhysical = physical;
        staged = true;
    }

    /**
     * The guest model runs one load, store or fetch: {@link #setNextAccess} and {@link #run()}.
     *
     * @return the outcome; after {@link AccessOutcome#EXIT}, {@link #lastExit()} says why
     */
    public AccessOutcome access(long va, int access, boolean el0, int info, long storeValue) {
        stage(va, access, el0, info, storeValue, false);
        return runAccess();
    }

    /** The guest model runs one load or store of a guest physical address: {@link #setNextPhysicalAccess} and {@link #run()}. */
    public AccessOutcome accessPhysical(long ipa, int access, int info, long storeValue) {
        stage(ipa, access, false, info, storeValue, true);
        return runAccess();
    }

    /**
     * KVM_RUN: completes the last MMIO exit with the data the VMM put in it, then executes the
     * access the guest model handed over, if any (a kick leaves it for the next run).
     */
    @Override
    public RunExit run() {
        return runAccess() == AccessOutcome.EXIT ? lastExit : RunExit.Interrupted.INSTANCE;
    }

    private AccessOutcome runAccess() {
        completePending();
        lastExit = RunExit.Interrupted.INSTANCE;
        if (kicked) {
            kicked = false;
            return AccessOutcome.EXIT;
        }
        if (!staged) return AccessOutcome.DONE;
        staged = false;
        cpu.running.lock();
        try {
            return executeOnCpu(stagedVa, stagedAccess, stagedEl0, stagedInfo, stagedStoreValue, stagedPhysical);
        } finally {
            cpu.running.unlock();
        }
    }

    @Override
    public void kick() {
        kicked = true;
    }

    private AccessOutcome executeOnCpu(long va, int access, boolean el0, int info, long storeValue, boolean physical) {
        accesses++;
        int rt = AccessInfo.register(info);
        if (access == Mmu.STORE && rt != 31) x[rt] = storeValue;
        injected = false;
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
                        return AccessOutcome.DONE;
                    }
                    // An unaligned access across a page boundary: each page is translated on its
                    // own (the next page of the guest is any frame, or none), and both must
                    // translate before a byte moves. A fault on the second reports its address.
                    long next = va + first;
                    long pa2 = physical ? cpu.mmu().translateIpa(next, access, info, abort)
                            : cpu.mmu().translate(next, access, el0, info, abort);
                    if (pa2 >= 0) {
                        performSplit(pm, pa, first, pa2, bytes, access, info, storeValue);
                        return AccessOutcome.DONE;
                    }
                }
            }
            if (!abort.toEl2) {
                guestEsr = abort.esr;
                guestFar = abort.far;
                return AccessOutcome.GUEST_EXCEPTION;
            }
            exits++;
            int r = stage2.handleGuestAbort(this, abort);
            if ((r == Stage2Mmu.WAIT || r == Stage2Mmu.RESUME) && kicked) {
                // The access has not happened: a kick ends the run here and the next run retries it.
                kicked = false;
                staged = true;
                return AccessOutcome.EXIT;
            }
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
                lastExit = new RunExit.InternalError("no progress on " + Esr.describe(abort.esr) + String.format(" at 0x%x", va));
                return AccessOutcome.EXIT;
            }
            return r == Stage2Mmu.INJECTED ? AccessOutcome.GUEST_EXCEPTION : AccessOutcome.EXIT;
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

    /**
     * The abort handler's MMIO exit: the access decoded from the syndrome, a store's data taken
     * from Rt and laid out little-endian (this model's guests run with data little-endian).
     */
    void prepareMmio(long esr, long ipa) {
        int rt = Esr.srt(esr);
        RunExit.Mmio m = new RunExit.Mmio(ipa, Esr.accessBytes(esr), Esr.wnr(esr), new byte[Esr.accessBytes(esr)]);
        if (m.isWrite()) m.setValueLittleEndian(rt == 31 ? 0 : x[rt]);
        pendingMmio = m;
        pendingEsr = esr;
        lastExit = m;
    }

    /** The abort handler's exit for what the hypervisor cannot emulate or resolve (no MMIO to complete). */
    void exitTo(RunExit exit) {
        lastExit = exit;
    }

    /**
     * Completes an MMIO exit at the start of the next run (kvm_handle_mmio_return): for a load, the
     * data the VMM put in the exit is sign-extended as SSE says, truncated to 32 bits when SF is
     * clear, and written to Rt; then the PC moves past the instruction.
     */
    private void completePending() {
        RunExit.Mmio m = pendingMmio;
        if (m == null) return;
        pendingMmio = null;
        long esr = pendingEsr;
        if (!m.isWrite()) {
            lastValue = setRt(Esr.srt(esr), m.valueLittleEndian(), 8 * Esr.accessBytes(esr), Esr.sse(esr), Esr.sf(esr));
        }
        pc += 4;
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
