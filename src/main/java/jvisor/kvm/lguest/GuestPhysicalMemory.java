package jvisor.kvm.lguest;

import jvisor.hw.x86.TableMemory;
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
 * <p>As a {@link TableMemory} it lets the two-level walker read the guest's own tables (for
 * inspection; an address outside guest memory reads as a not-present entry).
 */
public final class GuestPhysicalMemory implements TableMemory {
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

    /** Reads a little-endian 32-bit value; the caller checked the range. 0 if the host cannot back the page. */
    public int readU32(long gpa) {
        HostPage p = mm.getUserPage(base + gpa, false);
        if (p == null) return 0;
        try {
            return phys.readIntLE((p.pfn() << PageSizes.SHIFT_4K) | (gpa & (PageSizes.SIZE_4K - 1)));
        } finally {
            phys.put(p.pfn());
        }
    }

    /** Writes a little-endian 32-bit value; the caller checked the range. False if the host cannot back the page. */
    public boolean writeU32(long gpa, int value) {
        HostPage p = mm.getUserPage(base + gpa, true);
        if (p == null) return false;
        try {
            phys.writeIntLE((p.pfn() << PageSizes.SHIFT_4K) | (gpa & (PageSizes.SIZE_4K - 1)), value);
            return true;
        } finally {
            phys.put(p.pfn());
        }
    }

    /** Copies bytes out of guest memory; false when outside it. */
    public boolean read(long gpa, byte[] dst, int off, int len) {
        return contains(gpa, len) && mm.read(base + gpa, dst, off, len);
    }

    /** Copies bytes into guest memory; false when outside it. */
    public boolean write(long gpa, byte[] src, int off, int len) {
        return contains(gpa, len) && mm.write(base + gpa, src, off, len);
    }

    @Override
    public int readEntry(long address) {
        return contains(address, 4) ? readU32(address) : 0;
    }

    @Override
    public void writeEntry(long address, int value) {
        if (contains(address, 4)) writeU32(address, value);
    }
}
