package jvisor.kvm.lguest;

import jvisor.memory.GuestMemory;
import jvisor.memory.HostAddressSpace;
import jvisor.memory.HostPage;
import jvisor.memory.PageSizes;
import jvisor.memory.PhysicalMemory;

/**
 * An lguest guest's memory: one linear range of the launcher's address space, guest physical
 * address {@code p} living at launcher address {@code base + p}, for {@code p} below the limit.
 * Everything the hypervisor reads or writes on the guest's behalf goes through here, range
 * checked; pages are faulted in through the launcher's address space as the launcher would.
 *
 * <p>It is a {@link GuestMemory} like KVM's memslot memory, with what lguest needs on top: no
 * memslots (one range, so {@link #contains} is one comparison), references taken on the host
 * pages behind shadow entries ({@link #pin}, get_user_pages), and the 32-bit little-endian
 * entry reads and writes of shadow paging, done on the host page without a copy.
 */
public final class GuestPhysicalMemory implements GuestMemory {
    private final HostAddressSpace mm;
    private final PhysicalMemory phys;
    private final long base;
    private final long size;

    public GuestPhysicalMemory(HostAddressSpace mm, long base, long size) {
        this.mm = mm;
        this.phys = mm.physicalMemory();
        this.base = base;
        this.size = size;
    }

    public long base() {
        return base;
    }

    public long size() {
        return size;
    }

    /** Guest frames below this are memory; lguest's pfn_limit. */
    public long pfnLimit() {
        return size >>> PageSizes.SHIFT_4K;
    }

    public boolean contains(long gpa, long length) {
        return gpa >= 0 && length >= 0 && gpa <= size - length;
    }

    /**
     * Takes a reference on the host page behind guest frame {@code gpfn} (get_user_pages).
     *
     * @return the page, or null when the frame is outside guest memory or the host cannot back it
     */
    public HostPage pin(long gpfn, boolean write) {
        if (gpfn < 0 || gpfn >= pfnLimit()) return null;
        return mm.getUserPage(base + (gpfn << PageSizes.SHIFT_4K), write);
    }

    /**
     * A table entry as lguest's get_user reads it: the little-endian 32-bit value, 0 when the
     * address is outside guest memory or the host cannot back the page (a not-present entry).
     */
    public int readU32(long gpa) {
        long v = readU32LE(gpa);
        return v == NOT_BACKED ? 0 : (int) v;
    }

    /** On the host page itself: shadow paging reads an entry on every fault and must not copy. */
    @Override
    public long readU32LE(long gpa) {
        if (!contains(gpa, 4)) return NOT_BACKED;
        HostPage p = mm.getUserPage(base + gpa, false);
        if (p == null) return NOT_BACKED;
        try {
            return Integer.toUnsignedLong(phys.readIntLE((p.pfn() << PageSizes.SHIFT_4K) | (gpa & (PageSizes.SIZE_4K - 1))));
        } finally {
            phys.put(p.pfn());
        }
    }

    /** On the host page itself, as {@link #readU32LE}. */
    @Override
    public boolean writeU32LE(long gpa, int value) {
        if (!contains(gpa, 4)) return false;
        HostPage p = mm.getUserPage(base + gpa, true);
        if (p == null) return false;
        try {
            phys.writeIntLE((p.pfn() << PageSizes.SHIFT_4K) | (gpa & (PageSizes.SIZE_4K - 1)), value);
            return true;
        } finally {
            phys.put(p.pfn());
        }
    }

    @Override
    public boolean isBacked(long gpa, long length) {
        return contains(gpa, length);
    }

    @Override
    public boolean read(long gpa, byte[] dst, int off, int len) {
        return contains(gpa, len) && mm.read(base + gpa, dst, off, len);
    }

    @Override
    public boolean write(long gpa, byte[] src, int off, int len) {
        return contains(gpa, len) && mm.write(base + gpa, src, off, len);
    }
}
