package jvisor.kvm.arm;

import java.util.ArrayList;
import java.util.List;
import jvisor.hw.arm.Abort;
import jvisor.hw.arm.Descriptor;
import jvisor.hw.arm.Esr;
import jvisor.hw.arm.Hpfar;
import jvisor.hw.arm.Stage2Descriptor;
import jvisor.hw.arm.Vtcr;
import jvisor.kvm.ArchMmu;
import jvisor.kvm.KvmException;
import jvisor.kvm.MemoryCache;
import jvisor.kvm.MmuLock;
import jvisor.kvm.RunExit;
import jvisor.kvm.Vm;
import jvisor.memory.HostAddressSpace;
import jvisor.memory.HostPage;
import jvisor.memory.HostPte;
import jvisor.memory.MemorySlot;
import jvisor.memory.MemslotTable;
import jvisor.memory.PageSizes;
import jvisor.memory.PhysicalMemory;
import jvisor.memory.Vma;

/**
 * One VM's stage-2 MMU (KVM/ARM's kvm_arch MMU part): the stage-2 table, the VM's VMID, the abort
 * handler, the MMU-notifier and memslot hooks, dirty logging, device ioremap, and the VM's state
 * page mapped at EL2.
 *
 * <p>The IPA space is 40 bits with the 4 KiB granule, walked from level 1 where two tables are
 * concatenated (VTCR_EL2: T0SZ 24, SL0 1). Everything that changes the tables runs under the VM's
 * {@link MmuLock}; a fault looks the host page up first, outside the lock, with the notifier
 * sequence read before, and maps only if no invalidation ran in between and the memslot it
 * used is still the published, valid one.
 */
public final class Stage2Mmu implements ArchMmu, Vm.ExtensionAware {
    public static final int IPA_BITS = 40;
    /** Results of {@link #handleGuestAbort}. */
    static final int RESUME = 0, EXIT = 1, INJECTED = 2, WAIT = 3;

    private final KvmArm host;
    private final Vm<Stage2Mmu> vm;
    private final Stage2PageTable pgt;
    private final long vtcr;
    private final VmidAllocator.VmVmid vmid = new VmidAllocator.VmVmid();
    private final long stateFrame, hypVa;
    private final List<ArmVcpu> vcpus = new ArrayList<>();
    private final Stage2Stats stats = new Stage2Stats();
    private boolean destroyed;

    Stage2Mmu(KvmArm host, Vm<Stage2Mmu> vm) {
        this.host = host;
        this.vm = vm;
        PhysicalMemory pm = vm.physicalMemory();
        this.vtcr = Vtcr.make(IPA_BITS, 1, 48, host.vmids().bits() == 16);
        this.pgt = Stage2PageTable.create(pm, Vtcr.startLevel(vtcr), Vtcr.concatenatedTables(vtcr), IPA_BITS,
                (ipa, size) -> host.hyp().flushVmidIpa(currentVmid(), ipa, size));
        if (pgt == null) throw new KvmException(KvmException.Errno.ENOMEM, "no memory for the stage-2 root");
        long frame = pm.allocate(0);
        if (frame == PhysicalMemory.NO_FRAME) {
            pgt.destroy();
            throw new KvmException(KvmException.Errno.ENOMEM, "no memory for the VM state");
        }
        this.stateFrame = frame << 12;
        this.hypVa = host.hyp().createMappings(stateFrame, 4096);
        if (hypVa < 0) {
            pgt.destroy();
            pm.put(frame);
            throw new KvmException(KvmException.Errno.ENOMEM, "no memory for the EL2 mapping of the VM");
        }
        pm.writeLongLE(stateFrame + 8, vtcr);
    }

    public KvmArm host() {
        return host;
    }

    public Vm<Stage2Mmu> vm() {
        return vm;
    }

    public Stage2PageTable pageTable() {
        return pgt;
    }

    public Stage2Stats stats() {
        return stats;
    }

    public long vtcr() {
        return vtcr;
    }

    PhysicalMemory physicalMemory() {
        return vm.physicalMemory();
    }

    VmidAllocator.VmVmid vmidState() {
        return vmid;
    }

    /** The VMID the VM currently holds (0 before it first ran). */
    public int currentVmid() {
        return host.vmids().vmid(vmid.value());
    }

    /** The EL2 address of the VM's state page. */
    public long hypVa() {
        return hypVa;
    }

    /** The host kernel records the VTTBR in the VM's state, where EL2 code reads it on entry. */
    void publishVttbr(long vttbr) {
        vm.physicalMemory().writeLongLE(stateFrame, vttbr);
    }

    // ---------------------------------------------------------------- vCPUs

    /** KVM_CREATE_VCPU: the vCPU runs on physical CPU {@code cpu}; its state page is mapped at EL2. */
    public synchronized ArmVcpu createVcpu(int id, int cpu) {
        PhysicalMemory pm = vm.physicalMemory();
        long frame = pm.allocate(0);
        if (frame == PhysicalMemory.NO_FRAME) throw new KvmException(KvmException.Errno.ENOMEM, "no memory for a vCPU");
        long va = host.hyp().createMappings(frame << 12, 4096);
        if (va < 0) {
            pm.put(frame);
            throw new KvmException(KvmException.Errno.ENOMEM, "no memory for the EL2 mapping of a vCPU");
        }
        ArmVcpu v = new ArmVcpu(this, id, host.cpu(cpu % host.cpuCount()), frame << 12, va);
        vcpus.add(v);
        return v;
    }

    public synchronized List<ArmVcpu> vcpus() {
        return List.copyOf(vcpus);
    }

    // ---------------------------------------------------------------- the abort handler

    /**
     * kvm_handle_guest_abort: a stage-2 data or instruction abort taken to EL2.
     *
     * @return RESUME (the guest retries the access), WAIT (it retries once a memslot change in
     *         progress is done), INJECTED (the guest takes an abort the
     *         hypervisor made up), or EXIT (the vCPU's run structure says why)
     */
    int handleGuestAbort(ArmVcpu vcpu, Abort abort) {
        long esr = abort.esr;
        Esr.FaultKind kind = Esr.kind(esr);
        int level = Esr.level(esr);
        boolean iabt = Esr.isInstructionAbort(esr);
        boolean s1ptw = Esr.s1ptw(esr);
        boolean write = !iabt && !s1ptw && Esr.wnr(esr);
        long ipa = Hpfar.ipa(abort.hpfar, abort.far);
        stats.fault(kind, level);
        if (s1ptw) stats.s1ptwFaults.increment();
        if (iabt) stats.instructionAborts.increment();

        if (kind != Esr.FaultKind.TRANSLATION && kind != Esr.FaultKind.ACCESS_FLAG && kind != Esr.FaultKind.PERMISSION) {
            // Address-size and external aborts have nothing to map: the guest sees an external abort.
            injectAbort(vcpu, abort, iabt);
            return INJECTED;
        }
        long gfn = ipa >>> 12;
        MemorySlot slot = vm.memslots().find(gfn);
        if (slot != null && slot.invalid()) {
            // The slot is being deleted: never map into it; the access runs again once it is gone.
            stats.deletedSlotRetries.increment();
            Thread.yield();
            return WAIT;
        }
        if (slot == null || (write && slot.readOnly())) {
            if (iabt || s1ptw) {
                // Executing from, or keeping page tables in, something that is not memory.
                injectAbort(vcpu, abort, iabt);
                return INJECTED;
            }
            if (!Esr.isv(esr)) {
                stats.nisvExits.increment();
                vcpu.exitTo(new RunExit.ArmNisv(esr, ipa));
                return EXIT;
            }
            stats.mmioExits.increment();
            vcpu.prepareMmio(esr, ipa);
            return EXIT;
        }
        if (kind == Esr.FaultKind.ACCESS_FLAG) {
            MmuLock lock = vm.mmuLock();
            lock.lock();
            try {
                if (pgt.mkyoung(ipa & ~0xFFFL)) stats.madeYoung.increment();
            } finally {
                lock.unlock();
            }
            return RESUME;
        }
        return userMemAbort(vcpu, ipa, slot, kind, level, write, iabt);
    }

    private void injectAbort(ArmVcpu vcpu, Abort abort, boolean iabt) {
        stats.injectedAborts.increment();
        boolean el0 = abort.far < 0x8000_0000_0000L && abort.far < jvisorKernelBoundary;
        long esr = iabt ? Esr.instructionAbort(Esr.FSC_EXTERNAL, false, el0)
                : Esr.dataAbort(Esr.FSC_EXTERNAL, Esr.wnr(abort.esr), false, 0, el0);
        vcpu.inject(esr, abort.far);
    }

    /** Where the guests' kernel half begins; below it an injected abort is reported as from EL0. */
    private static final long jvisorKernelBoundary = 0xC000_0000L;

    /** The largest of 1G, 2M, 4K that the host backing, the slot bounds and IPA/HVA congruence all allow. */
    private static int mappingShift(MemorySlot slot, long ipa, long hva, int hostShift) {
        for (int shift : new int[] {PageSizes.SHIFT_1G, PageSizes.SHIFT_2M}) {
            if (hostShift < shift) continue;
            long mask = (1L << shift) - 1;
            if ((ipa & mask) != (hva & mask)) continue;
            long start = ipa & ~mask;
            if (start < slot.baseGpa() || start + (1L << shift) > slot.baseGpa() + slot.size()) continue;
            return shift;
        }
        return PageSizes.SHIFT_4K;
    }

    private int userMemAbort(ArmVcpu vcpu, long ipa, MemorySlot slot, Esr.FaultKind kind, int level, boolean write,
                             boolean iabt) {
        HostAddressSpace mm = vm.addressSpace();
        PhysicalMemory pm = vm.physicalMemory();
        MmuLock lock = vm.mmuLock();
        long gfn = ipa >>> 12;
        long hva = slot.gfnToHva(gfn);
        boolean logging = slot.logsDirty() && !slot.readOnly();
        Vma vma = mm.findVma(hva);
        if (vma == null || vma.pfnMap()) {
            return hostFault(vcpu, ipa, String.format("no host memory at 0x%x for IPA 0x%x", hva, ipa));
        }
        // While logging, pages only, and writable only once written.
        boolean wantWrite = !slot.readOnly() && (write || !logging);

        long seq = lock.sequence();
        if (!vcpu.cache.topUp(pgt.maxNewTables())) {
            return hostFault(vcpu, ipa, "out of memory for stage-2 tables");
        }
        HostPage page = mm.getUserPage(hva, wantWrite);
        if (page == null && wantWrite && !write) {
            wantWrite = false;
            page = mm.getUserPage(hva, false);
        }
        if (page == null) {
            return hostFault(vcpu, ipa, String.format("host could not fault in 0x%x for IPA 0x%x", hva, ipa));
        }
        Runnable hook = afterHostLookup;
        if (hook != null) hook.run();
        boolean writable = wantWrite && page.writable();
        int shift = logging ? PageSizes.SHIFT_4K : mappingShift(slot, ipa, hva, page.pageShift());
        long size = 1L << shift;
        int prot = Stage2Descriptor.PROT_R | Stage2Descriptor.PROT_X | (writable ? Stage2Descriptor.PROT_W : 0);
        lock.lock();
        try {
            if (lock.mustRetry(seq) || vm.memslots().find(gfn) != slot) {
                // The host changed the page, or the slot changed, since we looked: map nothing.
                stats.retries.increment();
                return RESUME;
            }
            int r;
            if (kind == Esr.FaultKind.PERMISSION && Descriptor.levelSize(level) == size) {
                r = pgt.relaxPermissions(ipa & ~(size - 1), prot);
                if (r == Stage2PageTable.OK) stats.relaxed.increment();
            } else {
                long pa = (page.pfn() << 12) & ~(size - 1);
                r = pgt.map(ipa & ~(size - 1), size, pa, shift, Stage2Descriptor.attributes(prot), vcpu.cache, 0);
                if (r == Stage2PageTable.OK) {
                    (shift == PageSizes.SHIFT_1G ? stats.mapped1g : shift == PageSizes.SHIFT_2M ? stats.mapped2m : stats.mapped4k).increment();
                }
            }
            if (r == Stage2PageTable.OK && writable && logging) {
                markDirty(slot, gfn);
            }
            return RESUME;
        } finally {
            lock.unlock();
            pm.put(page.pfn());
        }
    }

    /** Test hook: runs between the host page lookup and taking the MMU lock, where races land. */
    volatile Runnable afterHostLookup;

    private void markDirty(MemorySlot slot, long gfn) {
        if (slot.dirtyBitmap() != null && !slot.dirtyBitmap().isDirty(gfn - slot.baseGfn())) {
            stats.pagesDirtied.increment();
        }
        slot.markDirty(gfn);
    }

    private int hostFault(ArmVcpu vcpu, long ipa, String why) {
        stats.hostFaults.increment();
        vcpu.exitTo(new RunExit.MemoryFault(ipa, why));
        return EXIT;
    }

    // ---------------------------------------------------------------- device mappings

    /**
     * kvm_phys_addr_ioremap: maps host real {@code [pa, pa + size)} at {@code ipa} as device memory,
     * page by page, never replacing an entry that is already present.
     *
     * @throws KvmException EEXIST if part of the range is already mapped (the pages before it stay mapped)
     */
    public void ioremap(long ipa, long pa, long size) {
        MemoryCache cache = new MemoryCache(vm.physicalMemory(), pgt.maxNewTables());
        MmuLock lock = vm.mmuLock();
        try {
            long attrs = Stage2Descriptor.attributes(Stage2Descriptor.PROT_R | Stage2Descriptor.PROT_W | Stage2Descriptor.PROT_DEVICE);
            for (long off = 0; off < size; off += 4096) {
                if (!cache.topUp(pgt.maxNewTables())) throw new KvmException(KvmException.Errno.ENOMEM, "ioremap: out of memory");
                lock.lock();
                try {
                    int r = pgt.map(ipa + off, 4096, pa + off, 12, attrs, cache, Stage2PageTable.NO_OVERWRITE);
                    if (r == Stage2PageTable.EXISTS) {
                        throw new KvmException(KvmException.Errno.EEXIST, String.format("ioremap: IPA 0x%x is already mapped", ipa + off));
                    }
                } finally {
                    lock.unlock();
                }
            }
        } finally {
            cache.free();
        }
    }

    // ---------------------------------------------------------------- ArchMmu: notifiers and memslots

    @Override
    public void unmapGfnRange(MemorySlot slot, long start, long end) {
        stats.notifierUnmaps.increment();
        pgt.unmap(start << 12, (end - start) << 12);
    }

    @Override
    public boolean ageGfnRange(MemorySlot slot, long start, long end) {
        stats.agingCalls.increment();
        return pgt.mkold(start << 12, (end - start) << 12);
    }

    @Override
    public boolean testAgeGfn(MemorySlot slot, long gfn) {
        return pgt.isYoung(gfn << 12);
    }

    @Override
    public void changePte(MemorySlot slot, long gfn, long newHostPte) {
        // Never into a slot being deleted, never allocating tables: only where tables already are.
        if (slot.invalid() || !HostPte.present(newHostPte)) return;
        stats.changePtes.increment();
        long pa = HostPte.pfn(newHostPte) << 12;
        pgt.map(gfn << 12, 4096, pa, 12, Stage2Descriptor.attributes(Stage2Descriptor.PROT_R | Stage2Descriptor.PROT_X),
                null, Stage2PageTable.NO_ALLOCATE);
    }

    @Override
    public void flushMemslot(MemorySlot slot) {
        stats.memslotFlushes.increment();
        MmuLock lock = vm.mmuLock();
        lock.lock();
        try {
            pgt.unmap(slot.baseGpa(), slot.size());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void commitMemoryRegion(MemslotTable.Change change, MemorySlot old, MemorySlot now) {
        if (now != null && now.logsDirty() && !now.readOnly() && (old == null || !old.logsDirty())) {
            // Dirty logging starts: every write must fault once so it can be logged.
            MmuLock lock = vm.mmuLock();
            lock.lock();
            try {
                stats.writeProtected.add(pgt.writeProtect(now.baseGpa(), now.size()));
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public void getDirtyLog(MemorySlot slot, long[] map) {
        var bitmap = slot.dirtyBitmap();
        MmuLock lock = vm.mmuLock();
        for (int i = 0; i < bitmap.words(); i++) {
            long word = bitmap.getAndClearWord(i);
            if (word == 0) continue;
            map[i] |= word;
            stats.dirtyHarvested.add(Long.bitCount(word));
            // Re-arm: the pages harvested must fault on their next write.
            long first = slot.baseGpa() + ((64L * i + Long.numberOfTrailingZeros(word)) << 12);
            long last = slot.baseGpa() + ((64L * i + 63 - Long.numberOfLeadingZeros(word)) << 12);
            lock.lock();
            try {
                stats.writeProtected.add(pgt.writeProtect(first, last - first + 4096));
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public int checkExtension(jvisor.kvm.Capability cap) {
        return 0;
    }

    // ---------------------------------------------------------------- teardown

    /** Table pages whose count broke the invariant at teardown (0 when all is well). */
    private int brokenAtDestroy;

    @Override
    public void destroy() {
        if (destroyed) return;
        destroyed = true;
        for (ArmVcpu v : vcpus()) v.destroy();
        int id = currentVmid();
        if (id != 0) host.hyp().flushVmid(id);
        MmuLock lock = vm.mmuLock();
        lock.lock();
        try {
            brokenAtDestroy = pgt.destroy();
        } finally {
            lock.unlock();
        }
        host.hyp().removeMappings(hypVa, 4096);
        vm.physicalMemory().put(stateFrame >>> 12);
    }

    public int brokenTablesAtDestroy() {
        return brokenAtDestroy;
    }

    /** Flushes every TLB entry of this VM (KVM's kvm_flush_remote_tlbs on ARM). */
    public void flushTlbs() {
        int id = currentVmid();
        if (id != 0) host.hyp().flushVmid(id);
    }
}
