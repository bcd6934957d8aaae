package jvisor.hw.x86;

import java.util.Arrays;

/**
 * A direct-mapped software TLB of 4 KiB translations, in parallel primitive arrays. Each entry
 * keeps the virtual page, the frame and the effective rights of the walk that filled it. A CR3
 * load drops every entry not marked global; INVLPG drops one page, global or not.
 */
public final class X86Tlb {
    private final int mask;
    /** Virtual page number + 1; 0 is an empty slot. */
    private final int[] tags;
    /** Frame address | effective flags, as the walker returned them. */
    private final int[] entries;

    public X86Tlb(int size) {
        if (Integer.bitCount(size) != 1) throw new IllegalArgumentException("TLB size must be a power of two");
        mask = size - 1;
        tags = new int[size];
        entries = new int[size];
    }

    private static int vpn(long va) {
        return (int) ((va & X86Pte.ADDRESS_MASK) >>> X86Pte.PAGE_SHIFT);
    }

    /** The cached walk result for {@code va}, or -1 on a miss. */
    public long lookup(long va) {
        int vpn = vpn(va);
        int slot = vpn & mask;
        return tags[slot] == vpn + 1 ? entries[slot] & X86Pte.ADDRESS_MASK : -1;
    }

    public void insert(long va, long walkResult) {
        int vpn = vpn(va);
        int slot = vpn & mask;
        tags[slot] = vpn + 1;
        entries[slot] = (int) walkResult;
    }

    /** What a CR3 load does: every non-global translation goes. */
    public void flushNonGlobal() {
        for (int i = 0; i < tags.length; i++) {
            if (tags[i] != 0 && (entries[i] & X86Pte.GLOBAL) == 0) tags[i] = 0;
        }
    }

    /** Everything goes, global entries too (CR4.PGE toggled). */
    public void flushAll() {
        Arrays.fill(tags, 0);
    }

    public void invalidatePage(long va) {
        int vpn = vpn(va);
        int slot = vpn & mask;
        if (tags[slot] == vpn + 1) tags[slot] = 0;
    }

    public int validEntries() {
        int n = 0;
        for (int t : tags) if (t != 0) n++;
        return n;
    }
}
