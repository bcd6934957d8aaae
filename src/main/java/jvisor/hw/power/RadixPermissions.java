package jvisor.hw.power;

/**
 * Access checks on a leaf, as the architecture orders them: attribute (no fetch from
 * non-idempotent I/O), then the EAA bits with the privilege and AMR/IAMR key-0 rules, then
 * reference/change. Returns DSISR-style cause bits, 0 when the access may proceed.
 *
 * <p>Permission sets are small ints: {@link #EXEC} = 1 &lt;&lt; FETCH, {@link #READ} = 1 &lt;&lt;
 * LOAD, {@link #WRITE} = 1 &lt;&lt; STORE, so the bit an access needs is {@code 1 << access}.
 */
public final class RadixPermissions {
    public static final int EXEC = 1 << Mmu.FETCH;
    public static final int READ = 1 << Mmu.LOAD;
    public static final int WRITE = 1 << Mmu.STORE;
    public static final int ALL = EXEC | READ | WRITE;
    /** Flag in a granted set: privileged access to a non-privileged page; AMR/IAMR key 0 applies. */
    public static final int KEY0 = 8;

    /** AMR key 0: MSB 0 forbids stores, MSB 1 forbids loads. IAMR key 0: MSB 1 forbids fetches. */
    public static final long AMR_KEY0_NO_WRITE = 0x8000000000000000L;
    public static final long AMR_KEY0_NO_READ = 0x4000000000000000L;
    public static final long IAMR_KEY0_NO_EXEC = 0x4000000000000000L;


    private RadixPermissions() {
    }

    /** What the EAA bits allow, ignoring privilege, keys and R/C. */
    public static int eaa(long pte) {
        int p = 0;
        if ((pte & RadixEntry.READ) != 0) {
            p |= READ;
        }
        if ((pte & RadixEntry.READ_WRITE) != 0) {
            p |= READ | WRITE;
        }
        if ((pte & RadixEntry.EXECUTE) != 0) {
            p |= EXEC;
        }
        return p;
    }

    /** What AMR/IAMR key 0 still allows. */
    public static int key0(long amr, long iamr) {
        int p = ALL;
        if ((amr & AMR_KEY0_NO_WRITE) != 0) {
            p &= ~WRITE;
        }
        if ((amr & AMR_KEY0_NO_READ) != 0) {
            p &= ~READ;
        }
        if ((iamr & IAMR_KEY0_NO_EXEC) != 0) {
            p &= ~EXEC;
        }
        return p;
    }

    /** True when the AMR/IAMR key-0 rules allow {@code access}. */
    public static boolean key0Allows(int access, long amr, long iamr) {
        return switch (access) {
            case Mmu.LOAD -> (amr & AMR_KEY0_NO_READ) == 0;
            case Mmu.STORE -> (amr & AMR_KEY0_NO_WRITE) == 0;
            default -> (iamr & IAMR_KEY0_NO_EXEC) == 0;
        };
    }

    /**
     * Process-scoped permission check. A fetch that is refused for any reason reports SRR1 MSB 35;
     * a refused load or store reports DSISR MSB 36 (QEMU's choice for radix, including refusals by
     * AMR key 0; MSB 42 is left to hashed page tables' storage keys).
     */
    public static long processScoped(long pte, int access, long msr, long amr, long iamr) {
        if (access == Mmu.FETCH && RadixEntry.att(pte) == RadixEntry.ATT_NON_IDEMPOTENT_IO) {
            return Dsisr.NO_EXECUTE_OR_GUARDED;
        }
        boolean problemState = (msr & Msr.PR) != 0;
        boolean privilegedPage = RadixEntry.privileged(pte);
        int allowed;
        if (privilegedPage && problemState) {
            allowed = 0;
        } else if (!privilegedPage && !problemState) {
            allowed = eaa(pte) & key0(amr, iamr);
        } else {
            allowed = eaa(pte);
        }
        if ((allowed & (1 << access)) != 0) {
            return 0;
        }
        return access == Mmu.FETCH ? Dsisr.NO_EXECUTE_OR_GUARDED : Dsisr.PROTECTION;
    }

    /** Partition-scoped permission check: only R, RW and X (and ATT for fetches) apply. */
    public static long partitionScoped(long pte, int access) {
        if (access == Mmu.FETCH && RadixEntry.att(pte) == RadixEntry.ATT_NON_IDEMPOTENT_IO) {
            return Dsisr.NO_EXECUTE_OR_GUARDED;
        }
        if ((eaa(pte) & (1 << access)) != 0) {
            return 0;
        }
        return access == Mmu.FETCH ? Dsisr.NO_EXECUTE_OR_GUARDED : Dsisr.PROTECTION;
    }

    /** Every access needs R; a store also needs C. POWER9 never sets them itself. */
    public static boolean referenceChangeOk(long pte, int access) {
        if (!RadixEntry.referenced(pte)) {
            return false;
        }
        return access != Mmu.STORE || RadixEntry.changed(pte);
    }

    /**
     * The accesses a cached copy of a process-scoped leaf may satisfy without another walk, for
     * the MSR[PR] it was walked with: the EAA set after the privilege rule and the attribute rule,
     * without W when C is clear (so the first store walks and faults) and with {@link #KEY0} when
     * the AMR/IAMR must be consulted on every access.
     */
    public static int grantedProcessScoped(long pte, long msr) {
        if (!RadixEntry.referenced(pte)) {
            return 0;
        }
        boolean problemState = (msr & Msr.PR) != 0;
        boolean privilegedPage = RadixEntry.privileged(pte);
        if (privilegedPage && problemState) {
            return 0;
        }
        int p = eaa(pte);
        if (RadixEntry.att(pte) == RadixEntry.ATT_NON_IDEMPOTENT_IO) {
            p &= ~EXEC;
        }
        if (!RadixEntry.changed(pte)) {
            p &= ~WRITE;
        }
        if (!privilegedPage && !problemState) {
            p |= KEY0;
        }
        return p;
    }

    /**
     * As {@link #grantedProcessScoped} for a partition-scoped leaf. {@link #KEY0} is set so that
     * ANDing with the process-scoped set keeps that set's flag (keys are process-scoped only).
     */
    public static int grantedPartitionScoped(long pte) {
        if (!RadixEntry.referenced(pte)) {
            return 0;
        }
        int p = eaa(pte);
        if (RadixEntry.att(pte) == RadixEntry.ATT_NON_IDEMPOTENT_IO) {
            p &= ~EXEC;
        }
        if (!RadixEntry.changed(pte)) {
            p &= ~WRITE;
        }
        return p | KEY0;
    }

    /** DSISR cause for a walk that ended without a leaf. */
    public static long causeOfWalkStatus(int status) {
        return status == RadixTreeWalker.BAD_CONFIG ? Dsisr.UNSUPPORTED_RADIX : Dsisr.NO_TRANSLATION;
    }
}
