package jvisor.memory;

/**
 * A guest memory slot (KVM's kvm_memory_slot): guest frames {@code [baseGfn, baseGfn + pages)}
 * backed by the host virtual range from {@link #userspaceAddr}. A slot being deleted or moved is
 * first published {@link #invalid} so that no fault maps into it while its old mappings are
 * flushed.
 */
public record MemorySlot(int id, long baseGfn, long pages, long userspaceAddr, int flags,
                         DirtyBitmap dirtyBitmap, boolean invalid) {

    public static final int LOG_DIRTY_PAGES = 1, READONLY = 2;

    public long baseGpa() {
        return baseGfn << PageSizes.SHIFT_4K;
    }

    public long size() {
        return pages << PageSizes.SHIFT_4K;
    }

    public boolean containsGfn(long gfn) {
        return gfn >= baseGfn && gfn - baseGfn < pages;
    }

    public long gfnToHva(long gfn) {
        return userspaceAddr + ((gfn - baseGfn) << PageSizes.SHIFT_4K);
    }

    /** The guest frame a host address of this slot backs, or -1. */
    public long hvaToGfn(long hva) {
        long off = hva - userspaceAddr;
        return off >= 0 && off < size() ? baseGfn + (off >>> PageSizes.SHIFT_4K) : -1;
    }

    public boolean readOnly() {
        return (flags & READONLY) != 0;
    }

    public boolean logsDirty() {
        return (flags & LOG_DIRTY_PAGES) != 0;
    }

    /** Marks a guest frame of this slot dirty if the slot logs dirty pages. */
    public void markDirty(long gfn) {
        if (dirtyBitmap != null) dirtyBitmap.mark(gfn - baseGfn);
    }

    MemorySlot asInvalid() {
        return new MemorySlot(id, baseGfn, pages, userspaceAddr, flags, dirtyBitmap, true);
    }

    @Override
    public String toString() {
        return String.format("slot %d: gpa 0x%x-0x%x -> hva 0x%x%s%s%s", id, baseGpa(), baseGpa() + size(),
                userspaceAddr, readOnly() ? " ro" : "", logsDirty() ? " log-dirty" : "", invalid ? " INVALID" : "");
    }
}
