package jvisor.hw.arm;

/**
 * The TLB of one physical CPU: combined stage-1 + stage-2 translations of 4 KiB pages, tagged by
 * VMID and ASID, in parallel primitive arrays (direct mapped, indexed by page and VMID).
 *
 * <p>An entry remembers the IPA it went through, so a stage-2 invalidation by IPA drops exactly
 * the combined entries built on it (hardware that keeps only combined entries needs a
 * TLBI VMALLE1 after TLBI IPAS2E1 for the same effect; jvisor's by-IPA invalidation does both).
 * Entries are either non-global (one ASID), global (every ASID of their VMID), or
 * {@link #PHYSICAL}: the stage-2 translation of an IPA used without stage 1.
 *
 * <p>Lookups, fills and invalidations are made holding this object's monitor: the owning CPU
 * holds it across a whole walk and fill, so once an invalidation returns no walk that could
 * have read the old tables is still running (what the DSB after a TLBI guarantees).
 */
public final class Tlb {
    public static final int GLOBAL = -1, PHYSICAL = -2;
    private static final int INVALID = -1;

    /** Permission bits of an entry: read/write/execute at EL0 and at EL1. */
    public static final int R0 = 1, W0 = 2, X0 = 4, R1 = 8, W1 = 16, X1 = 32;

    private final int mask;
    private final long[] vpn;
    private final long[] ipaPage;
    private final long[] paPage;
    private final int[] vmid;
    private final int[] asid;
    private final byte[] perms;

    public long hits, misses, fills, invalidations, entriesDropped;

    public Tlb(int entries) {
        if (Integer.bitCount(entries) != 1) throw new IllegalArgumentException("TLB size must be a power of two");
        mask = entries - 1;
        vpn = new long[entries];
        ipaPage = new long[entries];
        paPage = new long[entries];
        vmid = new int[entries];
        asid = new int[entries];
        perms = new byte[entries];
        java.util.Arrays.fill(vmid, INVALID);
    }

    public int size() {
        return mask + 1;
    }

    private int index(long page, int vm) {
        long h = (page ^ ((long) vm << 20)) * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }

    /** The permission bit an access needs. */
    public static int need(int access, boolean el0) {
        int bit = switch (access) {
            case Mmu.STORE -> W0;
            case Mmu.FETCH -> X0;
            default -> R0;
        };
        return el0 ? bit : bit << 3;
    }

    /**
     * The host real address of {@code page} (a virtual page, or an IPA page for {@link #PHYSICAL})
     * if an entry of the VMID and ASID holds it and allows {@code need}; -1 otherwise.
     */
    public long lookup(int vm, int as, long page, int need) {
        int i = index(page, vm);
        if (vmid[i] == vm && vpn[i] == page && (asid[i] == as || (asid[i] == GLOBAL && as >= 0))
                && (perms[i] & need) != 0) {
            hits++;
            return paPage[i];
        }
        misses++;
        return -1;
    }

    public void fill(int vm, int as, long page, long ipa, long pa, int permBits) {
        int i = index(page, vm);
        vmid[i] = vm;
        asid[i] = as;
        vpn[i] = page;
        ipaPage[i] = ipa >>> 12;
        paPage[i] = pa >>> 12 << 12;
        perms[i] = (byte) permBits;
        fills++;
    }

    /** The VMID of the entry that would hold {@code page}, for tests; -1 when empty or another page. */
    public int vmidHolding(int vm, long page) {
        int i = index(page, vm);
        return vpn[i] == page ? vmid[i] : INVALID;
    }

    private void drop(int i) {
        vmid[i] = INVALID;
        entriesDropped++;
    }

    /** TLBI ALLE1: every entry of every VMID. */
    public void invalidateAll() {
        invalidations++;
        for (int i = 0; i <= mask; i++) if (vmid[i] != INVALID) drop(i);
    }

    /** TLBI VMALLS12E1: every stage-1 and stage-2 entry of a VMID. */
    public void invalidateVmid(int vm) {
        invalidations++;
        for (int i = 0; i <= mask; i++) if (vmid[i] == vm) drop(i);
    }

    /** TLBI VMALLE1: every stage-1 (and combined) entry of a VMID. */
    public void invalidateStage1(int vm) {
        invalidations++;
        for (int i = 0; i <= mask; i++) if (vmid[i] == vm && asid[i] != PHYSICAL) drop(i);
    }

    /** TLBI IPAS2E1 (with the stage-1 entries built on it): entries of the VMID through {@code [ipa, ipa+size)}. */
    public void invalidateIpa(int vm, long ipa, long size) {
        invalidations++;
        long first = ipa >>> 12, last = (ipa + size - 1) >>> 12;
        for (int i = 0; i <= mask; i++) {
            if (vmid[i] == vm && ipaPage[i] >= first && ipaPage[i] <= last) drop(i);
        }
    }

    /** TLBI ASIDE1: the non-global entries of one ASID. */
    public void invalidateAsid(int vm, int as) {
        invalidations++;
        for (int i = 0; i <= mask; i++) if (vmid[i] == vm && asid[i] == as) drop(i);
    }

    /** TLBI VAE1: the entry of {@code va} in the ASID, or a global one. */
    public void invalidateVa(int vm, int as, long va) {
        invalidations++;
        int i = index(va >>> 12, vm);
        if (vmid[i] == vm && vpn[i] == va >>> 12 && (asid[i] == as || asid[i] == GLOBAL)) drop(i);
    }

    /** TLBI VAAE1: the entries of {@code va} in every ASID. */
    public void invalidateVaAllAsids(int vm, long va) {
        invalidations++;
        int i = index(va >>> 12, vm);
        if (vmid[i] == vm && vpn[i] == va >>> 12 && asid[i] != PHYSICAL) drop(i);
    }

    /** Valid entries (for tests and statistics). */
    public int validEntries() {
        int n = 0;
        for (int i = 0; i <= mask; i++) if (vmid[i] != INVALID) n++;
        return n;
    }
}
