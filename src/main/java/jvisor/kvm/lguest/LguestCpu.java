package jvisor.kvm.lguest;

import jvisor.hw.x86.RealTables;
import jvisor.hw.x86.X86Mmu;
import jvisor.hw.x86.X86Pte;
import jvisor.kvm.AccessOutcome;
import jvisor.kvm.RunExit;
import jvisor.kvm.Vcpu;
import jvisor.memory.PhysicalMemory;

/**
 * One vCPU of an lguest guest (lguest's struct lg_cpu) and the CPU it runs on. There is no x86
 * instruction emulator: the guest model hands the vCPU one 32-bit load or store at a time, and a
 * {@link #run()} (the {@link Vcpu} contract) plays the guest running it. The hardware MMU walks
 * the shadow tables; a page fault traps to the hypervisor, which either fixes the shadow and
 * retries (a hidden fault), passes the fault to the guest (the run ends in
 * {@link RunExit.Interrupted}, the fault in {@link #faultAddress}/{@link #faultCode}), or
 * reports a device-window access to the launcher ({@link RunExit.Mmio}; the launcher puts a
 * load's data in it and the next run completes the load). A killed guest's runs all end in
 * {@link RunExit.Shutdown} with the reason. {@link #load} and {@link #store} are the guest
 * model's shorthand: hand over one access and run it. Page-table changes arrive through
 * {@link #hypercall}, handled in the hypervisor (never an exit), or queued with
 * {@link #queueHypercall} as a guest does in lazy-MMU mode, the queue being drained at the next
 * trap of any kind.
 *
 * <p>The guest kernel runs in ring 1 (a supervisor access for paging), its processes in ring 3.
 * Its segments end just below the Switcher, so touching the Switcher's addresses is a general
 * protection fault, and the hypervisor kills the guest for it.
 *
 * <p>Every return to the guest goes through the Switcher, which maps itself in the top slot and
 * loads CR3 with the shadow directory: each exit costs a TLB flush, a large part of why shadow
 * paging is expensive.
 */
public final class LguestCpu implements Vcpu {

    /** The asynchronous hypercall ring in the guest's lguest_data page holds this many calls. */
    public static final int RING_SIZE = 64;
    /** A single access that keeps faulting after the shadow was filled this often is a broken guest. */
    private static final int FAULT_LOOP_LIMIT = 64;
    private static final int TLB_ENTRIES = 64;

    private final Lguest lg;
    private final int id;
    private final int hostCpu;
    private final long regsPage;
    private final X86Mmu mmu;
    private final PhysicalMemory phys;

    private volatile int directory;
    private long guestCr3;
    private long stackTop;
    private int stackPages;
    private long seenGeneration = -1;

    private long faultAddress;
    private int faultCode;
    private long mmioAddress;
    private boolean mmioWrite;
    private int loaded;

    // The access the guest model handed over for the next run.
    private boolean staged, stagedWrite, stagedUser;
    private long stagedVa;
    private int stagedValue;
    /** What the last run ended with; a device load stays pending until the next run completes it. */
    private RunExit lastExit = RunExit.Interrupted.INSTANCE;
    private RunExit.Mmio pendingLoad;
    private volatile boolean kicked;

    /** Traps of this vCPU into the host, by cause; only its own thread changes them. */
    private long hypercallExits, pageFaultExits;

    private final int[] ringCalls = new int[RING_SIZE];
    private final long[] ringArgs = new long[3 * RING_SIZE];
    private int ringUsed;

    LguestCpu(Lguest lg, int id, int hostCpu, long regsPage, long initialCr3) {
        this.lg = lg;
        this.id = id;
        this.hostCpu = hostCpu;
        this.regsPage = regsPage;
        this.phys = lg.physicalMemory();
        this.mmu = new X86Mmu(new RealTables(phys), TLB_ENTRIES);
        this.mmu.setSegmentLimit(Switcher.ADDRESS - 1);
        this.mmu.setWriteProtect(true);
        this.directory = 0;
        this.guestCr3 = initialCr3 & X86Pte.FRAME_MASK & X86Pte.ADDRESS_MASK;
    }

    // ------------------------------------------------------------------ the guest's accesses

    /** The guest's next instruction, a 32-bit load (a store of {@code value} if {@code write}), for the next {@link #run()}. */
    public void setNextAccess(long va, boolean write, boolean user, int value) {
        stagedVa = va;
        stagedWrite = write;
        stagedUser = user;
        stagedValue = value;
        staged = true;
    }

    /** The guest model runs a 32-bit load; the value is in {@link #loaded()} when it is {@link AccessOutcome#DONE}. */
    public AccessOutcome load(long va, boolean user) {
        setNextAccess(va, false, user, 0);
        return runAccess();
    }

    /** The guest model runs a 32-bit store of {@code value}. */
    public AccessOutcome store(long va, boolean user, int value) {
        setNextAccess(va, true, user, value);
        return runAccess();
    }

    /**
     * KVM_RUN (lguest's read of /dev/lguest): completes a device load with the data the launcher
     * put in its exit, then executes the access the guest model handed over, if any (a kick leaves
     * it for the next run).
     */
    @Override
    public RunExit run() {
        return runAccess() == AccessOutcome.EXIT ? lastExit : RunExit.Interrupted.INSTANCE;
    }

    @Override
    public void kick() {
        kicked = true;
    }

    /** The exit the last run ended with ({@link RunExit.Interrupted} when it needed nothing of the launcher). */
    public RunExit lastExit() {
        return lastExit;
    }

    private AccessOutcome runAccess() {
        RunExit.Mmio p = pendingLoad;
        if (p != null) {
            pendingLoad = null;
            loaded = (int) p.valueLittleEndian();
        }
        lastExit = RunExit.Interrupted.INSTANCE;
        if (kicked) {
            kicked = false;
            return AccessOutcome.EXIT;
        }
        if (lg.dead()) return killed();
        if (!staged) return AccessOutcome.DONE;
        staged = false;
        return access(stagedVa, stagedWrite, stagedUser, stagedValue);
    }

    private AccessOutcome killed() {
        lastExit = new RunExit.Shutdown(lg.deathReason(), 1);
        return AccessOutcome.EXIT;
    }

    private AccessOutcome access(long va, boolean write, boolean user, int value) {
        for (int attempt = 0; ; attempt++) {
            if (lg.dead()) return killed();
            if (seenGeneration < 0) enterGuest();
            long pa;
            lg.lock().readLock().lock();
            try {
                long g = lg.generation();
                if (g != seenGeneration) {
                    mmu.tlb().flushNonGlobal();
                    seenGeneration = g;
                }
                pa = mmu.translate(va, write, user);
                int first = (int) Math.min(4, X86Pte.PAGE_SIZE - (va & (X86Pte.PAGE_SIZE - 1)));
                if (pa >= 0 && first < 4) {
                    // Unaligned across a page boundary: the next page is translated on its own
                    // (its frame is anywhere), and both before a byte moves; a fault on the
                    // second page is taken with CR2 there.
                    long pa2 = mmu.translate((va + first) & X86Pte.ADDRESS_MASK, write, user);
                    if (pa2 < 0) {
                        pa = pa2;
                    } else {
                        int v = 0;
                        for (int k = 0; k < 4; k++) {
                            long at = k < first ? pa + k : pa2 + k - first;
                            if (write) phys.writeByte(at, (byte) (value >>> (8 * k)));
                            else v |= (phys.readByte(at) & 0xFF) << (8 * k);
                        }
                        if (!write) loaded = v;
                        return AccessOutcome.DONE;
                    }
                } else if (pa >= 0) {
                    if (write) phys.writeIntLE(pa, value);
                    else loaded = phys.readIntLE(pa);
                    return AccessOutcome.DONE;
                }
            } finally {
                lg.lock().readLock().unlock();
            }
            int r = trap(pa, attempt);
            if (r != ShadowPageTables.MAPPED) {
                return switch (r) {
                    case ShadowPageTables.GUEST_FAULT -> AccessOutcome.GUEST_EXCEPTION;
                    case ShadowPageTables.MMIO -> deviceExit(value);
                    default -> killed();
                };
            }
        }
    }

    /** A device-window access for the launcher: a store's value little-endian, as x86 puts it on the bus. */
    private AccessOutcome deviceExit(int value) {
        RunExit.Mmio m = new RunExit.Mmio(mmioAddress, 4, mmioWrite, new byte[4]);
        if (mmioWrite) m.setValueLittleEndian(value);
        else pendingLoad = m;
        lastExit = m;
        return AccessOutcome.EXIT;
    }

    /** The CPU left the guest with a fault: the hypervisor's side of it. */
    private int trap(long why, int attempt) {
        lg.lock().writeLock().lock();
        try {
            if (lg.dead()) return ShadowPageTables.KILLED;
            LguestStats stats = lg.stats();
            if (why == X86Mmu.GENERAL_PROTECTION) {
                lg.kill("touched the Switcher's addresses");
                return ShadowPageTables.KILLED;
            }
            stats.pageFaultExits.increment();
            pageFaultExits++;
            drainRing();
            if (lg.dead()) return ShadowPageTables.KILLED;
            if (attempt >= FAULT_LOOP_LIMIT) {
                lg.kill(String.format("the access at 0x%08x keeps faulting", mmu.cr2()));
                return ShadowPageTables.KILLED;
            }
            int r = lg.shadow().demandPage(this, mmu.cr2(), mmu.errorCode());
            switch (r) {
                case ShadowPageTables.MAPPED -> stats.hiddenFaults.increment();
                case ShadowPageTables.GUEST_FAULT -> {
                    stats.deliveredFaults.increment();
                    faultAddress = mmu.cr2();
                    faultCode = mmu.errorCode();
                }
                case ShadowPageTables.MMIO -> stats.mmioExits.increment();
                default -> { }
            }
            if (!lg.dead()) enterGuestLocked();
            return lg.dead() ? ShadowPageTables.KILLED : r;
        } finally {
            lg.lock().writeLock().unlock();
        }
    }

    private void enterGuest() {
        lg.lock().writeLock().lock();
        try {
            if (!lg.dead()) enterGuestLocked();
        } finally {
            lg.lock().writeLock().unlock();
        }
    }

    /** The Switcher's way back in: map itself for this host CPU, load CR3 with the shadow directory. */
    private void enterGuestLocked() {
        lg.shadow().mapSwitcher(this, lg.switcher());
        mmu.loadCr3(lg.shadow().directoryAddress(this));
        seenGeneration = lg.generation();
        lg.stats().guestEntries.increment();
    }

    // ------------------------------------------------------------------ hypercalls

    /** A hypercall: a trap to the host, which first runs whatever the guest queued. */
    public void hypercall(int nr, long arg1, long arg2, long arg3) {
        lg.lock().writeLock().lock();
        try {
            if (lg.dead()) return;
            hypercallExits++;
            lg.stats().hypercallExits.increment();
            drainRing();
            perform(nr, arg1, arg2, arg3);
            if (!lg.dead()) enterGuestLocked();
        } finally {
            lg.lock().writeLock().unlock();
        }
    }

    /**
     * Queues a hypercall in the ring the host reads at its next trap, as a guest does in lazy-MMU
     * mode; a full ring is flushed with a {@link Hypercalls#FLUSH_ASYNC} first. The guest must
     * end the lazy section with {@link #flushQueued} before relying on the changes.
     */
    public void queueHypercall(int nr, long arg1, long arg2, long arg3) {
        if (ringUsed == RING_SIZE) hypercall(Hypercalls.FLUSH_ASYNC, 0, 0, 0);
        // A dead guest's flush drains nothing: its ring stays full and what it queues is dropped.
        if (ringUsed == RING_SIZE) return;
        ringCalls[ringUsed] = nr;
        ringArgs[3 * ringUsed] = arg1;
        ringArgs[3 * ringUsed + 1] = arg2;
        ringArgs[3 * ringUsed + 2] = arg3;
        ringUsed++;
    }

    /** The end of a lazy section: a FLUSH_ASYNC hypercall if anything is queued. */
    public void flushQueued() {
        if (ringUsed > 0) hypercall(Hypercalls.FLUSH_ASYNC, 0, 0, 0);
    }

    public int queued() {
        return ringUsed;
    }

    private void drainRing() {
        for (int i = 0; i < ringUsed && !lg.dead(); i++) {
            lg.stats().asyncHypercalls.increment();
            perform(ringCalls[i], ringArgs[3 * i], ringArgs[3 * i + 1], ringArgs[3 * i + 2]);
        }
        ringUsed = 0;
    }

    private void perform(int nr, long a1, long a2, long a3) {
        LguestStats stats = lg.stats();
        stats.hypercall(nr);
        ShadowPageTables shadow = lg.shadow();
        switch (nr) {
            case Hypercalls.FLUSH_ASYNC -> { }
            case Hypercalls.NEW_PGTABLE -> shadow.newPageTable(this, a1 & X86Pte.ADDRESS_MASK);
            case Hypercalls.FLUSH_TLB -> {
                if (a1 != 0) shadow.clearAll();
                else shadow.flushUser(this);
            }
            case Hypercalls.SET_STACK -> setStack(a2, a3);
            case Hypercalls.SET_PTE -> shadow.setPte(a1 & X86Pte.ADDRESS_MASK, a2 & X86Pte.ADDRESS_MASK, (int) a3);
            case Hypercalls.SET_PGD -> shadow.setPgd(a1 & X86Pte.ADDRESS_MASK, (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, a2)));
            default -> lg.kill("bad hypercall " + nr);
        }
    }

    /** The kernel stack the Switcher pushes trap frames onto: at most two pages, all mapped writable now. */
    private void setStack(long top, long pages) {
        if (pages < 1 || pages > 2) {
            lg.kill("bad stack of " + pages + " pages");
            return;
        }
        stackTop = top & X86Pte.ADDRESS_MASK;
        stackPages = (int) pages;
        lg.shadow().pinStack(this);
    }

    // ------------------------------------------------------------------ state

    void useDirectory(int dir, long cr3) {
        directory = dir;
        guestCr3 = cr3;
    }

    void setMmio(long gpa, boolean write) {
        mmioAddress = gpa;
        mmioWrite = write;
    }

    /** Hypercall traps this vCPU made (each also drains the ring). */
    public long hypercallExits() {
        return hypercallExits;
    }

    /** Page-fault traps this vCPU took (hidden, delivered or device). */
    public long pageFaultExits() {
        return pageFaultExits;
    }

    @Override
    public int id() {
        return id;
    }

    public int hostCpu() {
        return hostCpu;
    }

    /** Index of the cached shadow directory this vCPU runs on. */
    public int directory() {
        return directory;
    }

    /** The guest's own directory address (what it last wrote to CR3). */
    public long guestCr3() {
        return guestCr3;
    }

    public long stackTop() {
        return stackTop;
    }

    public int stackPages() {
        return stackPages;
    }

    long regsPage() {
        return regsPage;
    }

    public X86Mmu mmu() {
        return mmu;
    }

    /** The value of the last successful load. */
    public int loaded() {
        return loaded;
    }

    /** CR2 of the last fault delivered to the guest. */
    public long faultAddress() {
        return faultAddress;
    }

    /** Error code of the last fault delivered to the guest. */
    public int faultCode() {
        return faultCode;
    }

    /** Guest physical address of the last device-window access. */
    public long mmioAddress() {
        return mmioAddress;
    }

    public boolean mmioWrite() {
        return mmioWrite;
    }
}
