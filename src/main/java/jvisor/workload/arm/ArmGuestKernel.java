package jvisor.workload.arm;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jvisor.hw.arm.AccessInfo;
import jvisor.hw.arm.Descriptor;
import jvisor.hw.arm.Esr;
import jvisor.hw.arm.Mmu;
import jvisor.hw.arm.Stage1Descriptor;
import jvisor.kvm.AccessOutcome;
import jvisor.kvm.arm.ArmVcpu;
import jvisor.workload.Layout;

/**
 * The guest kernel's memory management, played in Java on real stage-1 tables in guest memory.
 *
 * <p>Every address space translates 32-bit virtual addresses (TCR_EL1.T0SZ = 32, so walks start
 * at level 1 with four level-1 entries): entries 0-2 cover user space and point at the process's
 * own level-2 tables; entry 3 (0xC000_0000 and up) points at the one kernel level-2 table that
 * every root shares, so a kernel mapping made once is seen by every process. Kernel entries are
 * global; user entries are non-global and tagged by the process's ASID. Table pages come from the
 * first quarter of guest RAM, anonymous pages from the rest.
 *
 * <p>Descriptor writes and page copies are guest stores to guest physical addresses made on the
 * vCPU doing the work, so they go through stage 2 like any other guest access. One kernel lock
 * serializes changes to the tables, as a single mm lock would.
 */
final class ArmGuestKernel {
    static final int T0SZ = 32;
    /** Stage-1 software bit 55: the page is copy-on-write (read-only now, writable once copied). */
    static final long SW_COW = 1L << 55;
    private static final int STR_X0 = AccessInfo.single(3, 0, false, true);
    private static final int LDR_X0 = AccessInfo.single(3, 0, false, true);
    private static final long PAGE = 4096;

    /** A guest kernel panic: what the model cannot go on from (out of guest memory, a vCPU that stopped). */
    static final class GuestPanic extends RuntimeException {
        GuestPanic(String message) {
            super(message, null, false, false);
        }
    }

    final class Process {
        final int pid, asid;
        final long root;
        final Map<Integer, Long> l2 = new HashMap<>();
        final Map<Long, Long> l3 = new HashMap<>();
        final TreeMap<Long, Long> ptes = new TreeMap<>();
        final Map<Long, Long> blocks = new HashMap<>();

        Process(int pid, int asid, long root) {
            this.pid = pid;
            this.asid = asid;
            this.root = root;
        }

        long ttbr0() {
            return ((long) asid << 48) | root;
        }
    }

    private final long memBytes;
    private long nextTable, nextAnon;
    private final long tableEnd, anonBase, anonEnd;
    private final ArrayDeque<Long> freeTables = new ArrayDeque<>(), freeAnon = new ArrayDeque<>();
    private final int[] shares;
    private final Map<Integer, Process> procs = new HashMap<>();
    private final ArrayDeque<Integer> freeAsids = new ArrayDeque<>();
    private int nextAsid = 1;
    private final Process kernel;
    private final long kernelL2;

    // Statistics (under the kernel lock).
    long descriptorWrites, exitsOnDescriptorWrites, tablesAllocated, tablesFreed, cowCopies, cowReuses,
            tlbis, segfaults, pagesMapped;
    final long[][] stage1Faults = new long[Esr.FaultKind.values().length][4];

    ArmGuestKernel(ArmVcpu boot, long memBytes) {
        this.memBytes = memBytes;
        this.nextTable = PAGE;
        this.tableEnd = memBytes / 4;
        this.anonBase = memBytes / 4;
        this.nextAnon = anonBase;
        this.anonEnd = memBytes;
        this.shares = new int[(int) (memBytes / PAGE)];
        this.kernelL2 = allocTable(boot);
        long root = allocTable(boot);
        writeDescriptor(boot, root + 8 * 3, Descriptor.table(kernelL2));
        this.kernel = new Process(0, 0, root);
        kernel.l2.put(3, kernelL2);
        procs.put(0, kernel);
    }

    // ---------------------------------------------------------------- frames

    private long allocTable(ArmVcpu v) {
        Long t = freeTables.poll();
        long ipa;
        if (t != null) {
            ipa = t;
        } else {
            if (nextTable >= tableEnd) throw new GuestPanic("guest out of page-table memory");
            ipa = nextTable;
            nextTable += PAGE;
        }
        for (long off = 0; off < PAGE; off += 8) store(v, ipa + off, 0);
        tablesAllocated++;
        return ipa;
    }

    private void freeTable(long ipa) {
        freeTables.push(ipa);
        tablesFreed++;
    }

    private long allocAnon() {
        Long f = freeAnon.poll();
        long ipa;
        if (f != null) {
            ipa = f;
        } else {
            if (nextAnon >= anonEnd) throw new GuestPanic("guest out of memory");
            ipa = nextAnon;
            nextAnon += PAGE;
        }
        shares[(int) (ipa / PAGE)] = 1;
        return ipa;
    }

    private boolean isAnon(long ipa) {
        return ipa >= anonBase && ipa < anonEnd;
    }

    private void releaseAnon(long ipa) {
        if (!isAnon(ipa)) return;
        int i = (int) (ipa / PAGE);
        if (--shares[i] == 0) freeAnon.push(ipa);
    }

    // ---------------------------------------------------------------- guest physical accesses

    private void store(ArmVcpu v, long ipa, long value) {
        AccessOutcome r = v.accessPhysical(ipa, Mmu.STORE, STR_X0, value);
        if (r != AccessOutcome.DONE) throw new GuestPanic(String.format("store to guest physical 0x%x failed: %s", ipa, v.lastExit()));
    }

    private long load(ArmVcpu v, long ipa) {
        AccessOutcome r = v.accessPhysical(ipa, Mmu.LOAD, LDR_X0, 0);
        if (r != AccessOutcome.DONE) throw new GuestPanic(String.format("load from guest physical 0x%x failed: %s", ipa, v.lastExit()));
        return v.lastValue;
    }

    private void writeDescriptor(ArmVcpu v, long ipa, long value) {
        long before = v.exits;
        store(v, ipa, value);
        descriptorWrites++;
        exitsOnDescriptorWrites += v.exits - before;
    }

    // ---------------------------------------------------------------- address spaces

    synchronized Process process(int pid) {
        Process p = procs.get(pid);
        if (p == null) throw new GuestPanic("no process " + pid);
        return p;
    }

    synchronized Process createProcess(ArmVcpu v, int pid) {
        if (procs.containsKey(pid)) throw new GuestPanic("process " + pid + " exists");
        Integer a = freeAsids.poll();
        int asid = a != null ? a : nextAsid++;
        if (asid > 0xFFFF) throw new GuestPanic("out of ASIDs");
        long root = allocTable(v);
        writeDescriptor(v, root + 8 * 3, Descriptor.table(kernelL2));
        Process p = new Process(pid, asid, root);
        procs.put(pid, p);
        return p;
    }

    /** Context switch: TTBR0 gets the process's root and ASID. */
    synchronized void switchTo(ArmVcpu v, int pid) {
        v.setStage1(true, process(pid).ttbr0(), T0SZ);
    }

    private static boolean kernelVa(long va) {
        return va >= Layout.KERNEL_BASE;
    }

    /** The level-3 table for {@code va}, created when asked. Kernel addresses use the shared kernel tables. */
    private long l3Table(ArmVcpu v, Process p, long va, boolean create) {
        Process owner = kernelVa(va) ? kernel : p;
        Long t = owner.l3.get(va >>> 21);
        if (t != null || !create) return t == null ? -1 : t;
        int l1 = (int) (va >>> 30);
        Long l2 = owner.l2.get(l1);
        if (l2 == null) {
            l2 = allocTable(v);
            writeDescriptor(v, owner.root + 8L * l1, Descriptor.table(l2));
            owner.l2.put(l1, l2);
        }
        long l3 = allocTable(v);
        writeDescriptor(v, l2 + 8L * Descriptor.index(va, 2), Descriptor.table(l3));
        owner.l3.put(va >>> 21, l3);
        return l3;
    }

    private void setPte(ArmVcpu v, Process p, long va, long pte) {
        long l3 = l3Table(v, p, va, true);
        writeDescriptor(v, l3 + 8L * Descriptor.index(va, 3), pte);
        (kernelVa(va) ? kernel : p).ptes.put(va >>> 12, pte);
    }

    private void invalidate(ArmVcpu v, Process p, long va) {
        tlbis++;
        if (kernelVa(va)) v.tlbiVaAllAsids(va);
        else v.tlbiVa(p.asid, va);
    }

    synchronized void mapAnonymous(ArmVcpu v, int pid, long va, long pages, boolean writable, boolean exec) {
        Process p = process(pid);
        boolean k = kernelVa(va);
        for (long i = 0; i < pages; i++) {
            long a = va + i * PAGE;
            long frame = allocAnon();
            setPte(v, p, a, Stage1Descriptor.leaf(frame, 3, Stage1Descriptor.MAIR_NORMAL, !k, writable, exec, k));
            pagesMapped++;
        }
    }

    /** Maps guest physical memory (the linear map: 2 MiB blocks where aligned) or a device (pages, never executable). */
    synchronized void mapPhysical(ArmVcpu v, int pid, long va, long gpa, long pages, boolean writable, boolean device) {
        Process p = process(pid);
        boolean k = kernelVa(va);
        Process owner = k ? kernel : p;
        int attr = device ? Stage1Descriptor.MAIR_DEVICE : Stage1Descriptor.MAIR_NORMAL;
        long end = va + pages * PAGE;
        for (long a = va; a < end; ) {
            long pa = gpa + (a - va);
            if (!device && ((a | pa) & 0x1F_FFFF) == 0 && end - a >= 0x20_0000) {
                int l1 = (int) (a >>> 30);
                Long l2 = owner.l2.get(l1);
                if (l2 == null) {
                    l2 = allocTable(v);
                    writeDescriptor(v, owner.root + 8L * l1, Descriptor.table(l2));
                    owner.l2.put(l1, l2);
                }
                long block = Stage1Descriptor.leaf(pa, 2, attr, !k, writable, false, k);
                writeDescriptor(v, l2 + 8L * Descriptor.index(a, 2), block);
                owner.blocks.put(a >>> 21, block);
                a += 0x20_0000;
            } else {
                setPte(v, p, a, Stage1Descriptor.leaf(pa, 3, attr, !k, writable, false, k));
                a += PAGE;
            }
            pagesMapped++;
        }
    }

    synchronized void unmap(ArmVcpu v, int pid, long va, long pages) {
        Process p = process(pid);
        Process owner = kernelVa(va) ? kernel : p;
        for (long i = 0; i < pages; i++) {
            long a = va + i * PAGE;
            Long pte = owner.ptes.remove(a >>> 12);
            if (pte == null) continue;
            long l3 = l3Table(v, p, a, false);
            writeDescriptor(v, l3 + 8L * Descriptor.index(a, 3), 0);
            // The page may be reused only once no TLB can reach it any more.
            invalidate(v, p, a);
            releaseAnon(Descriptor.outputAddress(pte));
        }
    }

    synchronized void protect(ArmVcpu v, int pid, long va, long pages, boolean writable) {
        Process p = process(pid);
        Process owner = kernelVa(va) ? kernel : p;
        for (long i = 0; i < pages; i++) {
            long a = va + i * PAGE;
            Long pte = owner.ptes.get(a >>> 12);
            if (pte == null) continue;
            setPte(v, p, a, Stage1Descriptor.withReadOnly(pte & ~SW_COW, !writable));
            invalidate(v, p, a);
        }
    }

    /** fork: the child shares every user page; pages writable in the parent become copy-on-write in both. */
    synchronized void fork(ArmVcpu v, int parentPid, int childPid) {
        Process parent = process(parentPid);
        Process child = createProcess(v, childPid);
        List<Map.Entry<Long, Long>> entries = new ArrayList<>(parent.ptes.entrySet());
        boolean changedParent = false;
        for (Map.Entry<Long, Long> e : entries) {
            long va = e.getKey() << 12;
            long pte = e.getValue();
            if (!Stage1Descriptor.readOnly(pte) || (pte & SW_COW) != 0) {
                long cow = Stage1Descriptor.withReadOnly(pte, true) | SW_COW;
                if (cow != pte) {
                    setPte(v, parent, va, cow);
                    changedParent = true;
                }
                pte = cow;
            }
            long frame = Descriptor.outputAddress(pte);
            if (isAnon(frame)) shares[(int) (frame / PAGE)]++;
            setPte(v, child, va, pte);
        }
        if (changedParent) {
            tlbis++;
            v.tlbiAsid(parent.asid);
        }
    }

    /** exit: every user page released, the process's tables freed, its ASID's TLB entries dropped. */
    synchronized void exit(ArmVcpu v, int pid) {
        Process p = process(pid);
        if (pid == 0) throw new GuestPanic("the kernel cannot exit");
        if (v.ttbr0() == p.ttbr0()) v.setStage1(true, kernel.ttbr0(), T0SZ);
        // The tables go first and the TLBs are cleaned before any page or table is reused.
        for (Map.Entry<Integer, Long> e : p.l2.entrySet()) writeDescriptor(v, p.root + 8L * e.getKey(), 0);
        tlbis++;
        v.tlbiAsid(p.asid);
        for (long pte : p.ptes.values()) releaseAnon(Descriptor.outputAddress(pte));
        for (long t : p.l3.values()) freeTable(t);
        for (long t : p.l2.values()) freeTable(t);
        freeTable(p.root);
        procs.remove(pid);
        freeAsids.push(p.asid);
    }

    /**
     * The guest's exception handler for a stage-1 abort. A write to a copy-on-write page gets its
     * own copy (or the page itself when no one else shares it); anything else is a segmentation
     * fault in the model, counted and skipped.
     *
     * @return true when the access should be retried
     */
    synchronized boolean handleFault(ArmVcpu v, int pid, long esr, long far) {
        Esr.FaultKind kind = Esr.kind(esr);
        stage1Faults[kind.ordinal()][Esr.level(esr)]++;
        Process p = procs.get(pid);
        if (p == null || kind != Esr.FaultKind.PERMISSION || !Esr.wnr(esr)) {
            segfaults++;
            return false;
        }
        Process owner = kernelVa(far) ? kernel : p;
        long va = far & ~0xFFFL;
        Long pte = owner.ptes.get(va >>> 12);
        if (pte == null || (pte & SW_COW) == 0) {
            segfaults++;
            return false;
        }
        long frame = Descriptor.outputAddress(pte);
        long writable = Stage1Descriptor.withReadOnly(pte & ~SW_COW, false);
        if (!isAnon(frame) || shares[(int) (frame / PAGE)] == 1) {
            cowReuses++;
            setPte(v, p, va, writable);
        } else {
            long copy = allocAnon();
            for (long off = 0; off < PAGE; off += 8) store(v, copy + off, load(v, frame + off));
            releaseAnon(frame);
            cowCopies++;
            setPte(v, p, va, (writable & ~Descriptor.OA_MASK) | copy);
        }
        invalidate(v, p, va);
        return true;
    }

    synchronized long anonPagesInUse() {
        long n = 0;
        for (int s : shares) if (s > 0) n++;
        return n;
    }

    synchronized int processes() {
        return procs.size();
    }

    synchronized Iterator<Process> processIterator() {
        return new ArrayList<>(procs.values()).iterator();
    }

    long memBytes() {
        return memBytes;
    }
}
