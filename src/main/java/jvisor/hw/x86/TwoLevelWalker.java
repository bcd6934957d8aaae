package jvisor.hw.x86;

import static jvisor.hw.x86.X86Pte.ACCESSED;
import static jvisor.hw.x86.X86Pte.DIRTY;
import static jvisor.hw.x86.X86Pte.FRAME_MASK;
import static jvisor.hw.x86.X86Pte.GLOBAL;
import static jvisor.hw.x86.X86Pte.PRESENT;
import static jvisor.hw.x86.X86Pte.PSE;
import static jvisor.hw.x86.X86Pte.RW;
import static jvisor.hw.x86.X86Pte.USER;

/**
 * The one walk of the two-level format: CR3 -> directory entry -> table entry -> page. It is used
 * by the CPU (over host real memory, setting accessed/dirty as the hardware does) and by anyone
 * who wants to know what a set of tables says (without {@link X86Access#SET_ACCESSED_DIRTY}, a
 * pure read). What the walk is for is one {@link X86Access} value. It looks at one address; a
 * walk over a range of addresses with callbacks is {@link TwoLevelRangeWalker}.
 *
 * <p>The result is a {@code long} so that the hot path never allocates: a successful walk returns
 * the page's frame address in bits 31:12 and, in bits 11:0, the effective rights (RW and USER are
 * the AND of both levels), DIRTY and GLOBAL of the leaf, and PRESENT. A fault returns
 * {@link #FAULT} with the #PF error code in the low bits.
 *
 * <p>Rights: a user access needs USER at both levels, a write needs RW at both levels, except a
 * supervisor write with CR0.WP clear. The accessed bits are set on the way down and the dirty bit
 * on a write, only for accesses that are allowed (a faulting access leaves the tables as they
 * were, which is what a hypervisor emulating A/D relies on). With CR4.PSE a directory entry with
 * PS maps a 4 MiB page; without it the bit is ignored.
 */
public final class TwoLevelWalker {
    private TwoLevelWalker() {}

    public static final long FAULT = Long.MIN_VALUE;
    private static final int RIGHTS = RW | USER;
    /** Bits 21:13 of a 4 MiB directory entry must be zero (no PSE-36 here). */
    private static final int LARGE_RESERVED = 0x003F_E000;

    public static boolean faulted(long result) {
        return result < 0;
    }

    public static int errorCode(long result) {
        return (int) (result & 0xFF);
    }

    /** For a successful walk: the physical address of {@code va}. */
    public static long physicalAddress(long result, long va) {
        return (result & FRAME_MASK & X86Pte.ADDRESS_MASK) | (va & (X86Pte.PAGE_SIZE - 1));
    }

    /** For a successful walk: the effective flags (PRESENT, RW, USER, DIRTY, GLOBAL). */
    public static int rights(long result) {
        return (int) (result & X86Pte.FLAGS_MASK);
    }

    /** Walks the tables at {@code cr3} for {@code va}; {@code access} is a set of {@link X86Access} bits. */
    public static long walk(TableMemory mem, long cr3, long va, int access) {
        boolean write = X86Access.write(access);
        boolean user = X86Access.user(access);
        boolean writeProtect = X86Access.writeProtect(access);
        boolean setAccessedDirty = X86Access.setAccessedDirty(access);
        long pdeAddress = X86Pte.directoryEntryAddress(cr3, va);
        int pde = mem.readEntry(pdeAddress);
        if ((pde & PRESENT) == 0) {
            return fault(false, write, user, false);
        }
        if (X86Access.largePages(access) && (pde & PSE) != 0) {
            if ((pde & LARGE_RESERVED) != 0) return fault(true, write, user, true);
            int rights = pde & RIGHTS;
            if (!allowed(rights, write, user, writeProtect)) return fault(true, write, user, false);
            if (setAccessedDirty) setBits(mem, pdeAddress, pde, ACCESSED | (write ? DIRTY : 0));
            long frame = (pde & 0xFFC0_0000L) | (va & 0x003F_F000L);
            return frame | rights | PRESENT | (pde & GLOBAL) | ((pde & DIRTY) != 0 || write ? DIRTY : 0);
        }
        long pteAddress = X86Pte.tableEntryAddress(pde, va);
        int pte = mem.readEntry(pteAddress);
        if ((pte & PRESENT) == 0) {
            return fault(false, write, user, false);
        }
        int rights = pde & pte & RIGHTS;
        if (!allowed(rights, write, user, writeProtect)) {
            return fault(true, write, user, false);
        }
        if (setAccessedDirty) {
            setBits(mem, pdeAddress, pde, ACCESSED);
            setBits(mem, pteAddress, pte, ACCESSED | (write ? DIRTY : 0));
        }
        boolean dirty = (pte & DIRTY) != 0 || (write && setAccessedDirty);
        return (pte & FRAME_MASK & X86Pte.ADDRESS_MASK) | rights | PRESENT | (pte & GLOBAL) | (dirty ? DIRTY : 0);
    }

    private static boolean allowed(int rights, boolean write, boolean user, boolean writeProtect) {
        if (user && (rights & USER) == 0) return false;
        if (write && (rights & RW) == 0 && (user || writeProtect)) return false;
        return true;
    }

    private static void setBits(TableMemory mem, long address, int entry, int bits) {
        if ((entry & bits) != bits) mem.writeEntry(address, entry | bits);
    }

    private static long fault(boolean protection, boolean write, boolean user, boolean reserved) {
        return FAULT | PageFaultErrorCode.of(protection, write, user) | (reserved ? PageFaultErrorCode.RESERVED : 0);
    }
}
