package jvisor.kvm;

import jvisor.memory.HostAddressSpace;
import jvisor.memory.MemorySlot;
import jvisor.memory.MemslotTable;
import jvisor.memory.MmuNotifier;
import jvisor.memory.PageSizes;

/**
 * The generic MMU-notifier glue of a VM (the mmu-notifier half of KVM's kvm_main.c): host virtual
 * ranges are translated to the guest frames of every memslot they back, and the architecture's
 * handlers run under the MMU lock. Invalidations also move the sequence protocol of
 * {@link MmuLock} forward so that racing faults retry.
 */
final class KvmMmuNotifier implements MmuNotifier {
    private final MemslotTable slots;
    private final MmuLock mmuLock;
    private final ArchMmu arch;

    KvmMmuNotifier(MemslotTable slots, MmuLock mmuLock, ArchMmu arch) {
        this.slots = slots;
        this.mmuLock = mmuLock;
        this.arch = arch;
    }

    private interface GfnHandler {
        boolean handle(MemorySlot slot, long startGfn, long endGfn);
    }

    /** Calls {@code h} for each slot overlapping the host range, with the overlapping guest frames. */
    private boolean forEachOverlap(long start, long end, GfnHandler h) {
        boolean any = false;
        for (MemorySlot s : slots.slots()) {
            long hs = Math.max(start, s.userspaceAddr());
            long he = Math.min(end, s.userspaceAddr() + s.size());
            if (hs >= he) continue;
            long g0 = s.baseGfn() + ((hs - s.userspaceAddr()) >>> PageSizes.SHIFT_4K);
            long g1 = s.baseGfn() + ((he - s.userspaceAddr() + PageSizes.SIZE_4K - 1) >>> PageSizes.SHIFT_4K);
            any |= h.handle(s, g0, g1);
        }
        return any;
    }

    @Override
    public void invalidateRangeStart(HostAddressSpace mm, long start, long end) {
        mmuLock.lock();
        try {
            mmuLock.invalidateBegin();
            forEachOverlap(start, end, (s, a, b) -> {
                arch.unmapGfnRange(s, a, b);
                return false;
            });
        } finally {
            mmuLock.unlock();
        }
    }

    @Override
    public void invalidateRangeEnd(HostAddressSpace mm, long start, long end) {
        mmuLock.lock();
        try {
            mmuLock.invalidateEnd();
        } finally {
            mmuLock.unlock();
        }
    }

    @Override
    public void changePte(HostAddressSpace mm, long hva, long newPte) {
        mmuLock.lock();
        try {
            forEachOverlap(hva, hva + 1, (s, a, b) -> {
                arch.changePte(s, a, newPte);
                return false;
            });
        } finally {
            mmuLock.unlock();
        }
    }

    @Override
    public boolean clearYoung(HostAddressSpace mm, long start, long end) {
        mmuLock.lock();
        try {
            return forEachOverlap(start, end, arch::ageGfnRange);
        } finally {
            mmuLock.unlock();
        }
    }

    @Override
    public boolean testYoung(HostAddressSpace mm, long hva) {
        mmuLock.lock();
        try {
            return forEachOverlap(hva, hva + 1, (s, a, b) -> arch.testAgeGfn(s, a));
        } finally {
            mmuLock.unlock();
        }
    }

    @Override
    public void release(HostAddressSpace mm) {
        for (MemorySlot s : slots.slots()) arch.flushMemslot(s);
    }
}
