package jvisor.hw.power;

/**
 * The one radix tree walker. It starts from a root doubleword (PATE dword 0 or PRTE dword 0),
 * reads entries through a {@link TableReader} and hands what it finds to a
 * {@link RadixWalkVisitor}. Process-scoped, partition-scoped and nested walks, the hypervisor's
 * software walk and the table builder are all this method with a different reader or visitor.
 *
 * <p>What the walker enforces, because POWER9 does:
 * <ul>
 * <li>only the 52-bit tree (RTS = 21) split 13/9/9/(9 or 5): 4K or 64K base pages, 2M and 1G
 * leaves at the third and second level; anything else is {@link #BAD_CONFIG};</li>
 * <li>at most four levels, so a directory pointing back at itself or at an ancestor ends the walk
 * as a bad configuration after four reads instead of looping;</li>
 * <li>no leaf at the root level (a 512G page), and a leaf's RPN must be aligned to its page size;</li>
 * <li>an address above the tree's 52 bits has no translation.</li>
 * </ul>
 * A table base that is not aligned to its table's size is masked down to the alignment, as QEMU
 * (the reference machine) does, rather than rejected as KVM's software walk does. Reserved bits in
 * entries are ignored, also as QEMU does: the masks keep every table address inside the 2^60 range
 * the NLB field can name, and the reader checks it against memory.
 *
 * <p>The walk never allocates and never throws; its result is a status code.
 */
public final class RadixTreeWalker {
    /** The visitor accepted a leaf. */
    public static final int DONE = 0;
    /** An invalid entry (V=0), or an address outside the tree. */
    public static final int NO_TRANSLATION = 1;
    /** Unsupported geometry, root-level leaf, misaligned leaf, or a tree deeper than four levels. */
    public static final int BAD_CONFIG = 2;
    /** The reader failed; see {@link RadixWalk#readFailure}. */
    public static final int READ_FAILED = 3;
    /** Visitors may define their own statuses from here on. */
    public static final int FIRST_VISITOR_STATUS = 16;

    /** Deepest tree POWER9 walks. */
    public static final int MAX_LEVELS = 4;
    /** Times a visitor may ask to re-read a slot in one walk, so a confused visitor cannot loop. */
    static final int MAX_RETRIES = MAX_LEVELS;

    private RadixTreeWalker() {
    }

    /** True for the directory sizes POWER9 accepts at {@code level} of the 52-bit tree. */
    public static boolean supportedLevel(int level, int nls) {
        return switch (level) {
            case 0 -> nls == RadixTreeRoot.ROOT_INDEX_BITS;
            case 1, 2 -> nls == 9;
            case 3 -> nls == 9 || nls == 5;
            default -> false;
        };
    }

    /**
     * Walks the tree rooted at {@code root} for {@code address}.
     *
     * @return {@link #DONE}, {@link #NO_TRANSLATION}, {@link #BAD_CONFIG}, {@link #READ_FAILED}
     *         or a status returned by the visitor
     */
    public static int walk(RadixWalk walk, long root, long address, TableReader reader, RadixWalkVisitor visitor) {
        walk.reset(address);
        int bits = RadixTreeRoot.addressBits(root);
        if (bits != RadixTreeRoot.ADDRESS_BITS_52) {
            return BAD_CONFIG;
        }
        if ((address >>> bits) != 0) {
            return NO_TRANSLATION;
        }
        long base = RadixTreeRoot.rpdb(root);
        int nls = RadixTreeRoot.rpds(root);
        int retries = 0;
        for (int level = 0; level < MAX_LEVELS; level++) {
            if (!supportedLevel(level, nls)) {
                walk.level = level;
                return BAD_CONFIG;
            }
            base &= -(1L << (nls + 3));
            bits -= nls;
            long slot = base + (((address >>> bits) & ((1L << nls) - 1)) << 3);
            long e;
            for (;;) {
                e = reader.readEntry(walk, level, slot);
                if (walk.readFailure != 0) {
                    return READ_FAILED;
                }
                walk.level = level;
                walk.entry = e;
                walk.entryAddress = slot;
                walk.hostAt[level] = walk.entryHostAddress;
                walk.spanAt[level] = (byte) bits;
                walk.sizeAt[level] = (byte) nls;
                if (RadixEntry.valid(e)) {
                    break;
                }
                int status = visitor.invalid(walk, level, slot, e);
                if (status != RadixWalkVisitor.RETRY) {
                    return status;
                }
                if (++retries > MAX_RETRIES) {
                    return NO_TRANSLATION;
                }
            }
            if (RadixEntry.leaf(e)) {
                long size = 1L << bits;
                long rpn = RadixEntry.rpn(e);
                if (level == 0 || (rpn & (size - 1)) != 0) {
                    return BAD_CONFIG;
                }
                walk.pageShift = bits;
                walk.result = rpn | (address & (size - 1));
                return visitor.leaf(walk, level, slot, e);
            }
            int status = visitor.directory(walk, level, slot, e);
            if (status != RadixWalkVisitor.CONTINUE) {
                return status;
            }
            base = RadixEntry.nlb(e);
            nls = RadixEntry.nls(e);
        }
        // A directory where the last level must hold leaves.
        return BAD_CONFIG;
    }
}
