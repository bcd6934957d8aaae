package jvisor.hw.power;

/**
 * The policy of a walk: what to do at a directory, at a leaf and at an invalid slot. The walker
 * owns the architecture (geometry, alignment, where the next table is); a visitor owns what the
 * walk is for. The hardware translation accepts the leaf; a mapping visitor fills invalid slots
 * with new tables and writes the leaf; an explainer only looks.
 *
 * <p>Return values are walk statuses: {@link RadixTreeWalker#DONE}, one of the walker's failure
 * codes, a visitor-defined code (&gt;= {@link RadixTreeWalker#FIRST_VISITOR_STATUS}), or one of the
 * control values {@link #CONTINUE} and {@link #RETRY}.
 */
public interface RadixWalkVisitor {
    /** From {@link #directory}: descend into the next level. */
    int CONTINUE = -1;
    /** From {@link #invalid}: the visitor has written the slot; read it again. */
    int RETRY = -2;

    /** The translating policy used by the hardware: take any leaf, fail at an invalid slot. */
    RadixWalkVisitor TRANSLATE = new RadixWalkVisitor() {
        @Override
        public int leaf(RadixWalk walk, int level, long entryAddress, long entry) {
            return RadixTreeWalker.DONE;
        }
    };

    /** A valid directory entry at {@code level}. */
    default int directory(RadixWalk walk, int level, long entryAddress, long entry) {
        return CONTINUE;
    }

    /**
     * A valid leaf that passed the architected checks; {@link RadixWalk#result} and
     * {@link RadixWalk#pageShift} are already set.
     */
    int leaf(RadixWalk walk, int level, long entryAddress, long entry);

    /** An entry with V=0. */
    default int invalid(RadixWalk walk, int level, long entryAddress, long entry) {
        return RadixTreeWalker.NO_TRANSLATION;
    }
}
