package jvisor.hw.power;

import jvisor.memory.RealMemory;

/**
 * Writes radix trees in the 52-bit POWER9 geometry: what tests, the fuzzers and the {@code walk}
 * explainer do to set up a guest or a host tree. Mapping is the one {@link RadixMapPolicy}, with
 * tables from this builder's allocator and a same-size leaf overwritten (no CPU translates through
 * the tree while it is being built).
 *
 * <p>Addresses are as the tree sees them: host real for a partition-scoped tree, guest real for a
 * guest's tree (give it a {@link RealMemory} view of guest real memory). Not thread-safe; callers
 * that share a tree hold their own lock.
 */
public final class RadixTreeBuilder {
    /** Gives out zeroable table memory, aligned to its size; -1 when none is left. */
    @FunctionalInterface
    public interface TableAllocator {
        long allocate(long bytes);
    }

    /** The leaf was written (the map policy's status). */
    public static final int MAPPED = RadixMapPolicy.MAPPED;
    /** The slot was cleared by {@link #unmap}. */
    public static final int UNMAPPED = RadixMapPolicy.FIRST_USER_STATUS;

    private final RealMemory tables;
    private final TableAllocator allocator;
    private final int lastLevelBits;
    private final RadixWalk walk = new RadixWalk();
    private final TableReader reader;
    private final RadixMapPolicy mapPolicy;
    private final UnmapVisitor unmapVisitor = new UnmapVisitor();

    /**
     * @param lastLevelBits 9 for a 4K base page tree, 5 for a 64K base page tree
     */
    public RadixTreeBuilder(RealMemory tables, TableAllocator allocator, int lastLevelBits) {
        if (lastLevelBits != 9 && lastLevelBits != 5) {
            throw new IllegalArgumentException("POWER9 last level is 9 or 5 bits, not " + lastLevelBits);
        }
        this.tables = tables;
        this.allocator = allocator;
        this.lastLevelBits = lastLevelBits;
        this.mapPolicy = RadixMapPolicy.overwriting(tables, lastLevelBits, this::newTable);
        this.reader = (w, level, address) -> {
            if (!tables.contains(address, 8)) {
                w.readFailure = TableReader.MACHINE_CHECK;
                w.failedAddress = address;
                return 0;
            }
            w.entryHostAddress = address;
            return tables.readLongBE(address);
        };
    }

    /** The smallest page this tree maps: 4K or 64K. */
    public int basePageShift() {
        return lastLevelBits == 9 ? 12 : 16;
    }

    /** Allocates an empty root directory; returns the root doubleword (PRTE / PATE dword 0 layout). */
    public long newRoot() {
        long base = newTable(RadixTreeRoot.ROOT_INDEX_BITS);
        if (base < 0) {
            throw new IllegalStateException("no memory for a radix root directory");
        }
        return RadixTreeRoot.of52(base);
    }

    /**
     * Maps the page containing {@code address} with {@code leaf} (a PTE from
     * {@link RadixEntry#pte}), creating directories on the way.
     *
     * @param pageShift 30 (1G), 21 (2M) or the base page size
     * @return {@link #MAPPED}, one of {@link RadixMapPolicy}'s refusals or a walker failure status
     */
    public int map(long root, long address, int pageShift, long leaf) {
        return mapPolicy.map(walk, root, address, reader, targetLevel(pageShift), leaf);
    }

    /** Maps {@code [address, address + length)} to consecutive real pages starting at {@code real}. */
    public int mapRange(long root, long address, long real, long length, int pageShift, long bits) {
        long size = 1L << pageShift;
        for (long off = 0; off < length; off += size) {
            int status = map(root, address + off, pageShift, RadixEntry.pte(real + off, bits));
            if (status != MAPPED) {
                return status;
            }
        }
        return MAPPED;
    }

    /** Clears the leaf that maps {@code address}. The caller issues the tlbie. */
    public int unmap(long root, long address) {
        return RadixTreeWalker.walk(walk, root, address, reader, unmapVisitor);
    }

    /** The address of the slot the last walk ended at (the leaf after a successful map). */
    public long lastEntryAddress() {
        return walk.entryAddress;
    }

    private int targetLevel(int pageShift) {
        if (pageShift == 30) {
            return 1;
        }
        if (pageShift == 21) {
            return 2;
        }
        if (pageShift == basePageShift()) {
            return 3;
        }
        throw new IllegalArgumentException("this tree cannot map 2^" + pageShift + " byte pages");
    }

    private long newTable(int nls) {
        long bytes = 8L << nls;
        long base = allocator.allocate(bytes);
        if (base < 0 || (base & (bytes - 1)) != 0 || !tables.contains(base, (int) bytes)) {
            return -1;
        }
        for (long a = base; a < base + bytes; a += 8) {
            tables.writeLongBE(a, 0);
        }
        return base;
    }

    private final class UnmapVisitor implements RadixWalkVisitor {
        @Override
        public int leaf(RadixWalk w, int level, long entryAddress, long entry) {
            tables.writeLongBE(entryAddress, 0);
            return UNMAPPED;
        }
    }
}
