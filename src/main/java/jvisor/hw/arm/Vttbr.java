package jvisor.hw.arm;

/**
 * VTTBR_EL2 as a value: the VMID in bits 63:48 (bits 55:48 with 8-bit VMIDs), the base address of
 * the stage-2 root table (aligned to the size of the concatenated tables), CnP bit 0.
 */
public final class Vttbr {
    private Vttbr() {}

    public static final long BADDR_MASK = 0x0000_FFFF_FFFF_FFFEL;

    public static long make(long baddr, int vmid) {
        return ((long) (vmid & 0xFFFF) << 48) | (baddr & BADDR_MASK);
    }

    public static int vmid(long vttbr, boolean vmid16) {
        return (int) ((vttbr >>> 48) & (vmid16 ? 0xFFFF : 0xFF));
    }

    public static long baddr(long vttbr) {
        return vttbr & BADDR_MASK & ~0xFFFL;
    }
}
