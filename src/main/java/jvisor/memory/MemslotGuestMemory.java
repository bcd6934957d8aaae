package jvisor.memory;

/**
 * {@link GuestMemory} through KVM's memslots: a guest physical address resolved to the slot that
 * holds it and on to the host address space (kvm_read_guest, kvm_write_guest). A write marks the
 * pages dirty in the slot's log. An address outside every valid slot, or a write to a read-only
 * slot, is a failed access.
 */
public final class MemslotGuestMemory implements GuestMemory {
    private final MemslotTable slots;
    private final HostAddressSpace mm;

    public MemslotGuestMemory(MemslotTable slots, HostAddressSpace mm) {
        this.slots = slots;
        this.mm = mm;
    }

    public MemslotTable slots() {
        return slots;
    }

    public HostAddressSpace addressSpace() {
        return mm;
    }

    /** This memory as {@link RealMemory} at guest real addresses (for building guest structures from the host). */
    public RealMemory asRealMemory() {
        return new GuestRealMemory(this);
    }

    @Override
    public boolean isBacked(long gpa, long len) {
        if (gpa < 0 || len < 0) return false;
        for (long p = gpa & ~0xFFFL; p < gpa + len; p += PageSizes.SIZE_4K) {
            MemorySlot s = slots.find(p >>> PageSizes.SHIFT_4K);
            if (s == null || s.invalid()) return false;
        }
        return true;
    }

    @Override
    public boolean read(long gpa, byte[] dst, int off, int len) {
        return access(gpa, dst, off, len, false);
    }

    @Override
    public boolean write(long gpa, byte[] src, int off, int len) {
        return access(gpa, src, off, len, true);
    }

    /** Page by page, since consecutive guest pages need not be consecutive in the host. */
    private boolean access(long gpa, byte[] buf, int off, int len, boolean write) {
        int done = 0;
        while (done < len) {
            long a = gpa + done;
            long gfn = a >>> PageSizes.SHIFT_4K;
            MemorySlot s = a < 0 ? null : slots.find(gfn);
            if (s == null || s.invalid() || (write && s.readOnly())) return false;
            int n = (int) Math.min(len - done, PageSizes.SIZE_4K - (a & 0xFFF));
            long hva = s.gfnToHva(gfn) + (a & 0xFFF);
            boolean ok = write ? mm.write(hva, buf, off + done, n) : mm.read(hva, buf, off + done, n);
            if (!ok) return false;
            if (write) s.markDirty(gfn);
            done += n;
        }
        return true;
    }
}
