package jvisor.memory;

/**
 * Guest physical memory seen from the host (rust-vmm's GuestMemory; KVM's kvm_read_guest and
 * kvm_write_guest): accesses by guest physical address resolved through the memslots to the
 * host address space. A write marks the pages dirty in the slot's log. Addresses outside every
 * valid slot, and writes to read-only slots, fail with {@link GuestMemoryFault}: the guest asked
 * for something it does not have, which the caller turns into the guest-visible error.
 */
public final class GuestMemory {
    private final MemslotTable slots;
    private final HostAddressSpace mm;

    public GuestMemory(MemslotTable slots, HostAddressSpace mm) {
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

    /** Whether every byte of {@code [gpa, gpa+len)} lies in valid slots. */
    public boolean isBacked(long gpa, long len) {
        for (long p = gpa & ~0xFFFL; p < gpa + len; p += PageSizes.SIZE_4K) {
            MemorySlot s = slots.find(p >>> PageSizes.SHIFT_4K);
            if (s == null || s.invalid()) return false;
        }
        return len >= 0;
    }

    public void read(long gpa, byte[] dst, int off, int len) {
        access(gpa, dst, off, len, false);
    }

    public void write(long gpa, byte[] src, int off, int len) {
        access(gpa, src, off, len, true);
    }

    public long readLongBE(long gpa) {
        byte[] b = new byte[8];
        read(gpa, b, 0, 8);
        long v = 0;
        for (byte x : b) v = (v << 8) | (x & 0xFF);
        return v;
    }

    public int readIntBE(long gpa) {
        byte[] b = new byte[4];
        read(gpa, b, 0, 4);
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    public void writeLongBE(long gpa, long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) b[i] = (byte) (v >>> (56 - 8 * i));
        write(gpa, b, 0, 8);
    }

    public void writeIntBE(long gpa, int v) {
        byte[] b = {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        write(gpa, b, 0, 4);
    }

    private void access(long gpa, byte[] buf, int off, int len, boolean write) {
        int done = 0;
        while (done < len) {
            long a = gpa + done;
            long gfn = a >>> PageSizes.SHIFT_4K;
            MemorySlot s = a < 0 ? null : slots.find(gfn);
            if (s == null || s.invalid()) {
                throw new GuestMemoryFault(a, "no memory slot");
            }
            if (write && s.readOnly()) {
                throw new GuestMemoryFault(a, "read-only memory slot");
            }
            int n = (int) Math.min(len - done, PageSizes.SIZE_4K - (a & 0xFFF));
            long hva = s.gfnToHva(gfn) + (a & 0xFFF);
            boolean ok = write ? mm.write(hva, buf, off + done, n) : mm.read(hva, buf, off + done, n);
            if (!ok) {
                throw new GuestMemoryFault(a, "host address 0x" + Long.toHexString(hva) + " not mapped");
            }
            if (write) s.markDirty(gfn);
            done += n;
        }
    }
}
