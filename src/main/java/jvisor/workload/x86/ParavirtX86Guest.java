package jvisor.workload.x86;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import jvisor.hw.x86.PageFaultErrorCode;
import jvisor.hw.x86.X86Pte;
import jvisor.kvm.AccessOutcome;
import jvisor.kvm.RunExit;
import jvisor.kvm.lguest.GuestPhysicalMemory;
import jvisor.kvm.lguest.Hypercalls;
import jvisor.kvm.lguest.Lguest;
import jvisor.kvm.lguest.LguestCpu;
import jvisor.kvm.lguest.Switcher;
import jvisor.workload.GuestAction;
import jvisor.workload.Layout;

/**
 * A model of lguest's paravirtual Linux guest kernel, enough to run the scenarios: real
 * two-level tables in guest memory, a page directory per process whose kernel half is copied
 * from the kernel's own directory, fork with copy-on-write, exit, context switches, and the
 * hypercalls Linux's lguest paravirt hooks make for each of them:
 * <ul>
 * <li>every table entry written is followed by SET_PTE (directory entries by SET_PGD);</li>
 * <li>range operations (map, unmap, mprotect, fork, exit) run in a lazy-MMU section: their
 *     hypercalls are queued and sent with one FLUSH_ASYNC at the end;</li>
 * <li>a context switch queues NEW_PGTABLE and SET_STACK and flushes them in one trap;</li>
 * <li>after unmapping or write-protecting user pages of the running process: FLUSH_TLB(0); after
 *     unmapping kernel pages: FLUSH_TLB(1), which makes the host drop every shadow.</li>
 * </ul>
 * Pages are populated when mapped (as with MAP_POPULATE), with the dirty bit already set on
 * writable ones, as Linux's anonymous fault path does.
 *
 * <p>Memory: tables, directories and 4 KiB kernel stacks come from the first quarter of guest
 * memory, which the kernel maps linearly at {@link Layout#KERNEL_BASE} before the first run;
 * process and vmalloc pages come from the rest. The scenarios' device (at
 * {@link Layout#DEVICE_GPA}, which 32-bit paging cannot reach) is placed in the device window
 * just above guest memory, where lguest's launcher puts its devices.
 *
 * <p>The kernel's bookkeeping and table writes run under one kernel lock and write guest memory
 * directly (as its own stores through the linear map would); loads and stores of the scenario
 * go through the vCPU and the shadow tables.
 */
public final class ParavirtX86Guest {
    private static final long PAGE = Layout.PAGE;
    private static final int KERNEL_SEGMENT = 0x21;
    /** Directory entry of a kernel page table (Linux's _KERNPG_TABLE: no user access). */
    private static final int KERNEL_TABLE = X86Pte.PRESENT | X86Pte.RW | X86Pte.ACCESSED | X86Pte.DIRTY;
    private static final int USER_TABLE = X86Pte.TABLE_FLAGS;
    private static final int FIRST_KERNEL_SLOT = X86Pte.directoryIndex(Layout.KERNEL_BASE);

    /** What the guest counted. */
    public static final class Counters {
        public final LongAdder pteWrites = new LongAdder();
        public final LongAdder pdeWrites = new LongAdder();
        /** Hypercall traps made while changing page tables (map, unmap, protect, fork, exit, COW). */
        public final LongAdder updateExits = new LongAdder();
        public final LongAdder contextSwitches = new LongAdder();
        /** Hypercall traps made by context switches. */
        public final LongAdder switchExits = new LongAdder();
        public final LongAdder processesCreated = new LongAdder();
        public final LongAdder forks = new LongAdder();
        public final LongAdder exits = new LongAdder();
        public final LongAdder cowCopies = new LongAdder();
        public final LongAdder cowReuses = new LongAdder();
        public final LongAdder segfaults = new LongAdder();
        public final LongAdder loads = new LongAdder();
        public final LongAdder stores = new LongAdder();
        public final LongAdder deviceAccesses = new LongAdder();
        public final LongAdder unsupported = new LongAdder();
        public final LongAdder outOfMemory = new LongAdder();
    }

    /** One vCPU as the guest kernel sees it. */
    private static final class Vcpu {
        LguestCpu cpu;
        GuestProcess current;
        /** An exited process still loaded here: its directory goes after the next switch (mmdrop). */
        GuestProcess toDrop;
        boolean lazy;
    }

    private final GuestPhysicalMemory mem;
    private final long memBytes;
    private final long deviceFrame;
    private final LauncherDevice device;
    private final GuestFrames frames;
    private final ReentrantLock kernel = new ReentrantLock();
    private final GuestProcess swapper;
    private final Map<Integer, GuestProcess> processes = new ConcurrentHashMap<>();
    /** Kernel page tables by directory index, shared by every directory. */
    private final Map<Integer, Long> kernelTables = new TreeMap<>();
    private final Vcpu[] vcpus;
    private final Counters counters = new Counters();
    private final byte[] zeroPage = new byte[(int) PAGE];
    private Lguest lg;

    /**
     * Boots the kernel's memory before the first run: its directory, the linear map of the
     * kernel quarter, a stack per vCPU.
     *
     * @param mem the guest's memory (its own stores)
     */
    public ParavirtX86Guest(GuestPhysicalMemory mem, int vcpuCount, LauncherDevice device) {
        this.mem = mem;
        this.memBytes = mem.size();
        this.deviceFrame = memBytes / PAGE;
        this.device = device;
        this.frames = new GuestFrames(memBytes / PAGE);
        long pgd = frames.allocateKernel();
        swapper = new GuestProcess(0, pgd * PAGE, frames.allocateKernel() * PAGE);
        zero(swapper.pgd);
        processes.put(0, swapper);
        vcpus = new Vcpu[vcpuCount];
        for (int i = 0; i < vcpuCount; i++) vcpus[i] = new Vcpu();
        Vcpu boot = vcpus[0];
        for (long f = 0; f < frames.kernelEnd(); f++) {
            writePte(boot, swapper, Layout.KERNEL_BASE + f * PAGE, X86Pte.make(f, X86Pte.KERNEL_FLAGS | X86Pte.GLOBAL));
        }
        // Boot-time writes are the kernel's own business: nothing has run on lguest yet.
        counters.pteWrites.reset();
        counters.pdeWrites.reset();
    }

    public long initialCr3() {
        return swapper.pgd;
    }

    public long deviceWindowPages() {
        return 16;
    }

    /** The guest starts running: each vCPU tells the host its kernel stack. */
    public void attach(Lguest lguest) {
        this.lg = lguest;
        for (int i = 0; i < vcpus.length; i++) {
            Vcpu v = vcpus[i];
            v.cpu = lguest.cpu(i);
            v.current = swapper;
            long stack = i == 0 ? swapper.kernelStack : allocateStack();
            v.cpu.hypercall(Hypercalls.SET_STACK, KERNEL_SEGMENT, stackTop(stack), 1);
        }
    }

    public Counters counters() {
        return counters;
    }

    public LauncherDevice device() {
        return device;
    }

    /** Processes alive (the kernel included). */
    public int processCount() {
        return processes.size();
    }

    /**
     * Carries out one scenario action on vCPU {@code vcpu}.
     *
     * @return false when the guest is dead and the vCPU should stop
     */
    public boolean perform(int vcpu, GuestAction action) {
        Vcpu v = vcpus[vcpu];
        if (lg.dead()) return false;
        switch (action) {
            case GuestAction.CreateProcess a -> kernelOp(v, false, () -> createProcess(a.pid()));
            case GuestAction.MapAnonymous a -> kernelOp(v, true, () -> mapAnonymous(v, a));
            case GuestAction.MapPhysical a -> kernelOp(v, true, () -> mapPhysical(v, a));
            case GuestAction.Unmap a -> kernelOp(v, true, () -> unmap(v, a.pid(), a.va(), a.pages()));
            case GuestAction.Protect a -> kernelOp(v, true, () -> protect(v, a));
            case GuestAction.Fork a -> kernelOp(v, true, () -> fork(v, a.parent(), a.child()));
            case GuestAction.Exit a -> kernelOp(v, true, () -> exit(v, a.pid()));
            case GuestAction.Switch a -> kernelOp(v, false, () -> switchTo(v, a.pid()));
            case GuestAction.Access a -> access(v, a);
            case GuestAction.DirtyLog a -> counters.unsupported.increment();
        }
        return !lg.dead();
    }

    private void kernelOp(Vcpu v, boolean update, Runnable op) {
        kernel.lock();
        try {
            long before = v.cpu.hypercallExits();
            op.run();
            long exits = v.cpu.hypercallExits() - before;
            (update ? counters.updateExits : counters.switchExits).add(exits);
        } finally {
            kernel.unlock();
        }
    }

    // ------------------------------------------------------------------ memory helpers

    private void zero(long gpa) {
        mem.write(gpa, zeroPage, 0, zeroPage.length);
    }

    private long allocateStack() {
        long f = frames.allocateKernel();
        if (f == GuestFrames.NONE) throw new IllegalStateException("guest kernel memory exhausted");
        return f * PAGE;
    }

    private static long stackTop(long stackGpa) {
        return Layout.KERNEL_BASE + stackGpa + PAGE;
    }

    private GuestProcess process(int pid) {
        return processes.get(pid);
    }

    private void hypercall(Vcpu v, int nr, long a1, long a2, long a3) {
        if (v.cpu == null) return; // before the first run
        if (v.lazy) v.cpu.queueHypercall(nr, a1, a2, a3);
        else v.cpu.hypercall(nr, a1, a2, a3);
    }

    private void enterLazy(Vcpu v) {
        v.lazy = true;
    }

    private void leaveLazy(Vcpu v) {
        v.lazy = false;
        if (v.cpu != null) v.cpu.flushQueued();
    }

    // ------------------------------------------------------------------ page tables

    private static boolean kernelAddress(long va) {
        return va >= Layout.KERNEL_BASE;
    }

    /** The table page covering {@code va}, created if asked; NONE if absent (or out of memory). */
    private long table(Vcpu v, GuestProcess p, long va, boolean create) {
        int index = X86Pte.directoryIndex(va);
        Long t = kernelAddress(va) ? kernelTables.get(index) : p.tables.get(index);
        if (t != null || !create) return t == null ? GuestFrames.NONE : t;
        long f = frames.allocateKernel();
        if (f == GuestFrames.NONE) {
            counters.outOfMemory.increment();
            return GuestFrames.NONE;
        }
        long table = f * PAGE;
        zero(table);
        if (kernelAddress(va)) {
            kernelTables.put(index, table);
            // A new kernel table goes into every directory, as i386 Linux keeps them in sync.
            int pde = X86Pte.make(f, KERNEL_TABLE);
            writePde(v, swapper.pgd, index, pde);
            for (GuestProcess q : processes.values()) if (q != swapper && !q.exited) writePde(v, q.pgd, index, pde);
        } else {
            p.tables.put(index, table);
            writePde(v, p.pgd, index, X86Pte.make(f, USER_TABLE));
        }
        return table;
    }

    private void writePde(Vcpu v, long pgd, int index, int pde) {
        mem.writeU32LE(pgd + 4L * index, pde);
        counters.pdeWrites.increment();
        hypercall(v, Hypercalls.SET_PGD, pgd, index, 0);
    }

    private int readPte(GuestProcess p, long va) {
        long t = table(null, p, va, false);
        return t == GuestFrames.NONE ? 0 : mem.readU32(t + 4L * X86Pte.tableIndex(va));
    }

    /** Writes a table entry and tells the host; false when no table could be had. */
    private boolean writePte(Vcpu v, GuestProcess p, long va, int pte) {
        long t = table(v, p, va, X86Pte.present(pte));
        if (t == GuestFrames.NONE) return false;
        mem.writeU32LE(t + 4L * X86Pte.tableIndex(va), pte);
        counters.pteWrites.increment();
        if (v.cpu != null) hypercall(v, Hypercalls.SET_PTE, kernelAddress(va) ? v.current.pgd : p.pgd, va, pte);
        return true;
    }

    // ------------------------------------------------------------------ processes

    private GuestProcess createProcess(int pid) {
        long pgdFrame = frames.allocateKernel();
        long stackFrame = frames.allocateKernel();
        if (pgdFrame == GuestFrames.NONE || stackFrame == GuestFrames.NONE) {
            counters.outOfMemory.increment();
            return null;
        }
        GuestProcess p = new GuestProcess(pid, pgdFrame * PAGE, stackFrame * PAGE);
        zero(p.pgd);
        // The kernel half is copied, not hypercalled: the new directory is not loaded anywhere.
        for (int i = FIRST_KERNEL_SLOT; i < Switcher.PGD_INDEX; i++) {
            int pde = mem.readU32(swapper.pgd + 4L * i);
            if (pde != 0) mem.writeU32LE(p.pgd + 4L * i, pde);
        }
        processes.put(pid, p);
        counters.processesCreated.increment();
        return p;
    }

    private void switchTo(Vcpu v, int pid) {
        GuestProcess p = process(pid);
        if (p == null || p == v.current) return;
        // Linux's context switch runs in lazy mode: the CR3 write and the new kernel stack
        // reach the host together.
        enterLazy(v);
        hypercall(v, Hypercalls.NEW_PGTABLE, p.pgd, 0, 0);
        hypercall(v, Hypercalls.SET_STACK, KERNEL_SEGMENT, stackTop(p.kernelStack), 1);
        leaveLazy(v);
        v.current = p;
        counters.contextSwitches.increment();
        if (v.toDrop != null) {
            frames.put(v.toDrop.pgd / PAGE);
            frames.put(v.toDrop.kernelStack / PAGE);
            v.toDrop = null;
        }
    }

    private void mapAnonymous(Vcpu v, GuestAction.MapAnonymous a) {
        GuestProcess p = process(a.pid());
        if (p == null) return;
        boolean kernelMap = kernelAddress(a.va());
        p.regions.add(new GuestProcess.Region(a.va(), a.pages(), a.writable(), true));
        enterLazy(v);
        for (long i = 0; i < a.pages(); i++) {
            long f = frames.allocateUser();
            if (f == GuestFrames.NONE) {
                counters.outOfMemory.increment();
                break;
            }
            zero(f * PAGE);
            int flags = kernelMap
                    ? X86Pte.PRESENT | X86Pte.ACCESSED | X86Pte.DIRTY | X86Pte.GLOBAL | (a.writable() ? X86Pte.RW : 0)
                    : X86Pte.PRESENT | X86Pte.USER | (a.writable() ? X86Pte.RW | X86Pte.DIRTY : 0);
            if (!writePte(v, p, a.va() + i * PAGE, X86Pte.make(f, flags))) {
                frames.put(f);
                break;
            }
        }
        leaveLazy(v);
    }

    private void mapPhysical(Vcpu v, GuestAction.MapPhysical a) {
        GuestProcess p = process(a.pid());
        if (p == null) return;
        boolean kernelMap = kernelAddress(a.va());
        p.regions.add(new GuestProcess.Region(a.va(), a.pages(), a.writable(), false));
        enterLazy(v);
        for (long i = 0; i < a.pages(); i++) {
            long frame = a.device() ? deviceFrame + (a.gpa() - Layout.DEVICE_GPA) / PAGE + i : a.gpa() / PAGE + i;
            if (a.device() ? frame >= deviceFrame + deviceWindowPages() : frame >= deviceFrame) break;
            int flags = X86Pte.PRESENT | X86Pte.ACCESSED | (a.writable() ? X86Pte.RW | X86Pte.DIRTY : 0)
                    | (a.device() ? X86Pte.PCD : 0) | (kernelMap ? X86Pte.GLOBAL : X86Pte.USER);
            int pte = X86Pte.make(frame, flags);
            long va = a.va() + i * PAGE;
            // Mapping what is already mapped changes nothing and tells the host nothing.
            if ((readPte(p, va) & ~(X86Pte.ACCESSED | X86Pte.DIRTY)) == (pte & ~(X86Pte.ACCESSED | X86Pte.DIRTY))) continue;
            if (!writePte(v, p, va, pte)) break;
        }
        leaveLazy(v);
    }

    private void unmap(Vcpu v, int pid, long va, long pages) {
        GuestProcess p = process(pid);
        if (p == null) return;
        List<Long> freed = new ArrayList<>();
        enterLazy(v);
        for (long i = 0; i < pages; i++) {
            long a = va + i * PAGE;
            int pte = readPte(p, a);
            if (!X86Pte.present(pte)) continue;
            GuestProcess.Region r = p.regionOf(a);
            writePte(v, p, a, 0);
            if (r != null && r.anonymous() && frames.owns(X86Pte.pfn(pte))) freed.add(X86Pte.pfn(pte));
        }
        leaveLazy(v);
        p.regions.removeIf(r -> r.va() >= va && r.va() + r.pages() * PAGE <= va + pages * PAGE);
        flushAfterChange(v, p, va);
        for (long f : freed) frames.put(f);
    }

    /** Linux's TLB flush after removing or restricting mappings, as lguest's paravirt hooks send it. */
    private void flushAfterChange(Vcpu v, GuestProcess p, long va) {
        if (kernelAddress(va)) hypercall(v, Hypercalls.FLUSH_TLB, 1, 0, 0);
        else if (p == v.current) hypercall(v, Hypercalls.FLUSH_TLB, 0, 0, 0);
    }

    private void protect(Vcpu v, GuestAction.Protect a) {
        GuestProcess p = process(a.pid());
        if (p == null) return;
        enterLazy(v);
        for (long i = 0; i < a.pages(); i++) {
            long va = a.va() + i * PAGE;
            int pte = readPte(p, va);
            if (!X86Pte.present(pte)) continue;
            boolean shared = frames.owns(X86Pte.pfn(pte)) && frames.refs(X86Pte.pfn(pte)) > 1;
            int updated = a.writable() && !shared ? pte | X86Pte.RW : pte & ~X86Pte.RW;
            if (updated != pte) writePte(v, p, va, updated);
        }
        leaveLazy(v);
        for (int i = 0; i < p.regions.size(); i++) {
            GuestProcess.Region r = p.regions.get(i);
            if (r.va() == a.va()) p.regions.set(i, new GuestProcess.Region(r.va(), r.pages(), a.writable(), r.anonymous()));
        }
        if (!a.writable()) flushAfterChange(v, p, a.va());
    }

    private void fork(Vcpu v, int parentPid, int childPid) {
        GuestProcess parent = process(parentPid);
        if (parent == null) return;
        GuestProcess child = createProcess(childPid);
        if (child == null) return;
        enterLazy(v);
        for (GuestProcess.Region r : parent.regions) {
            child.regions.add(r);
            for (long i = 0; i < r.pages(); i++) {
                long va = r.va() + i * PAGE;
                int pte = readPte(parent, va);
                if (!X86Pte.present(pte)) continue;
                long f = X86Pte.pfn(pte);
                if (r.anonymous() && frames.owns(f)) frames.get(f);
                if (r.anonymous() && X86Pte.writable(pte)) {
                    pte &= ~X86Pte.RW;                // copy on write, for both
                    writePte(v, parent, va, pte);
                }
                writePte(v, child, va, pte & ~X86Pte.ACCESSED);
            }
        }
        leaveLazy(v);
        if (parent == v.current) hypercall(v, Hypercalls.FLUSH_TLB, 0, 0, 0);
        counters.forks.increment();
    }

    private void exit(Vcpu v, int pid) {
        GuestProcess p = process(pid);
        if (p == null || p == swapper) return;
        List<Long> freed = new ArrayList<>();
        enterLazy(v);
        for (GuestProcess.Region r : p.regions) {
            for (long i = 0; i < r.pages(); i++) {
                long va = r.va() + i * PAGE;
                int pte = readPte(p, va);
                if (!X86Pte.present(pte)) continue;
                writePte(v, p, va, 0);
                if (r.anonymous() && frames.owns(X86Pte.pfn(pte))) freed.add(X86Pte.pfn(pte));
            }
        }
        for (Map.Entry<Integer, Long> t : p.tables.entrySet()) {
            writePde(v, p.pgd, t.getKey(), 0);
            freed.add(t.getValue() / PAGE);
        }
        leaveLazy(v);
        p.tables.clear();
        p.regions.clear();
        p.exited = true;
        processes.remove(pid);
        for (long f : freed) frames.put(f);
        if (p == v.current) {
            v.toDrop = p;
        } else {
            frames.put(p.pgd / PAGE);
            frames.put(p.kernelStack / PAGE);
        }
        counters.exits.increment();
    }

    // ------------------------------------------------------------------ the running process's accesses

    private void access(Vcpu v, GuestAction.Access a) {
        boolean write = a.kind() == GuestAction.Kind.STORE;
        for (long i = 0; i < a.count(); i++) {
            long va = (a.va() + i * a.stride()) & X86Pte.ADDRESS_MASK;
            boolean user = !kernelAddress(va);
            int value = (int) va ^ (v.current.pid << 20);
            for (int attempt = 0; ; attempt++) {
                AccessOutcome r = write ? v.cpu.store(va, user, value) : v.cpu.load(va, user);
                if (r == AccessOutcome.DONE) break;
                if (r == AccessOutcome.EXIT) {
                    // The launcher's side: the device answers, and the next run completes a load.
                    if (!(v.cpu.lastExit() instanceof RunExit.Mmio m)) return; // the guest was killed
                    int answer = device.access(m.physAddr(), m.isWrite(), (int) m.valueLittleEndian());
                    if (!m.isWrite()) m.setValueLittleEndian(answer);
                    v.cpu.run();
                    counters.deviceAccesses.increment();
                    break;
                }
                if (attempt > 2 || !pageFault(v, va, v.cpu.faultCode())) {
                    counters.segfaults.increment();
                    break;
                }
            }
            (write ? counters.stores : counters.loads).increment();
        }
    }

    /** The guest's page-fault handler; true when the access should be retried. */
    private boolean pageFault(Vcpu v, long va, int code) {
        kernel.lock();
        try {
            long before = v.cpu.hypercallExits();
            boolean retry = breakCopyOnWrite(v, va, code);
            counters.updateExits.add(v.cpu.hypercallExits() - before);
            return retry;
        } finally {
            kernel.unlock();
        }
    }

    private boolean breakCopyOnWrite(Vcpu v, long va, int code) {
        GuestProcess p = v.current;
        if (kernelAddress(va) || !PageFaultErrorCode.write(code)) return false;
        GuestProcess.Region r = p.regionOf(va);
        if (r == null || !r.writable() || !r.anonymous()) return false;
        long page = va & ~(PAGE - 1);
        int pte = readPte(p, page);
        if (!X86Pte.present(pte) || X86Pte.writable(pte)) return X86Pte.present(pte);
        long f = X86Pte.pfn(pte);
        long target = f;
        if (frames.refs(f) > 1) {
            target = frames.allocateUser();
            if (target == GuestFrames.NONE) {
                counters.outOfMemory.increment();
                return false;
            }
            byte[] copy = new byte[(int) PAGE];
            mem.read(f * PAGE, copy, 0, copy.length);
            mem.write(target * PAGE, copy, 0, copy.length);
            frames.put(f);
            counters.cowCopies.increment();
        } else {
            counters.cowReuses.increment();
        }
        // Accessed and dirty already: the host can install it writable at once.
        int flags = X86Pte.PRESENT | X86Pte.USER | X86Pte.RW | X86Pte.ACCESSED | X86Pte.DIRTY;
        return writePte(v, p, page, X86Pte.make(target, flags));
    }
}
