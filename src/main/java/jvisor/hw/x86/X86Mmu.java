package jvisor.hw.x86;

/**
 * The memory management unit of one 32-bit x86 CPU (no PAE): segment limit check, TLB, and on a
 * miss the {@link TwoLevelWalker} over the tables CR3 points at, in host real memory.
 *
 * <p>{@link #translate} returns the physical address, or {@link #PAGE_FAULT} with CR2 and the
 * error code left in {@link #cr2()} / {@link #errorCode()}, or {@link #GENERAL_PROTECTION} when
 * the address lies beyond the data segment's limit (flat segments with a limit below 4 GiB are
 * how a hypervisor keeps a ring-1 guest out of its own pages). Nothing here throws for any value
 * in the tables.
 *
 * <p>A TLB hit for a write through an entry that was filled clean walks again, because the CPU
 * must set the dirty bit in the table entry before the first write completes.
 */
public final class X86Mmu {
    public static final long PAGE_FAULT = -1, GENERAL_PROTECTION = -2;

    private final TableMemory tables;
    private final X86Tlb tlb;
    private final CountingTables counting;
    private long cr3;
    private long cr2;
    private int errorCode;
    private boolean writeProtect = true;
    private boolean pse;
    private long segmentLimit = X86Pte.ADDRESS_MASK;

    private long tlbHits, tlbMisses, walks, cr3Loads, pageFaults;

    public X86Mmu(TableMemory tables, int tlbEntries) {
        this.tables = tables;
        this.tlb = new X86Tlb(tlbEntries);
        this.counting = new CountingTables(tables);
    }

    /** Table reads and writes of the walker, counted. */
    private static final class CountingTables implements TableMemory {
        private final TableMemory inner;
        long reads, writes;

        CountingTables(TableMemory inner) {
            this.inner = inner;
        }

        @Override
        public int readEntry(long address) {
            reads++;
            return inner.readEntry(address);
        }

        @Override
        public void writeEntry(long address, int value) {
            writes++;
            inner.writeEntry(address, value);
        }
    }

    public long translate(long va, boolean write, boolean user) {
        va &= X86Pte.ADDRESS_MASK;
        if (va > segmentLimit) {
            return GENERAL_PROTECTION;
        }
        long hit = tlb.lookup(va);
        if (hit >= 0) {
            int rights = (int) (hit & X86Pte.FLAGS_MASK);
            boolean allowed = (!user || (rights & X86Pte.USER) != 0)
                    && (!write || (rights & X86Pte.RW) != 0 || (!user && !writeProtect));
            if (allowed && (!write || (rights & X86Pte.DIRTY) != 0)) {
                tlbHits++;
                return (hit & X86Pte.FRAME_MASK & X86Pte.ADDRESS_MASK) | (va & (X86Pte.PAGE_SIZE - 1));
            }
            // Not allowed by the cached rights, or a first write: the CPU re-walks (and on a
            // fault the stale entry goes, as the architecture requires).
            tlb.invalidatePage(va);
        }
        tlbMisses++;
        walks++;
        long r = TwoLevelWalker.walk(counting, cr3, va, X86Access.of(write, user) | X86Access.SET_ACCESSED_DIRTY
                | (writeProtect ? X86Access.WRITE_PROTECT : 0) | (pse ? X86Access.LARGE_PAGES : 0));
        if (TwoLevelWalker.faulted(r)) {
            cr2 = va;
            errorCode = TwoLevelWalker.errorCode(r);
            pageFaults++;
            return PAGE_FAULT;
        }
        tlb.insert(va, r);
        return TwoLevelWalker.physicalAddress(r, va);
    }

    /** A MOV to CR3: the new directory, and every non-global TLB entry dropped. */
    public void loadCr3(long value) {
        cr3 = value & X86Pte.ADDRESS_MASK;
        cr3Loads++;
        tlb.flushNonGlobal();
    }

    public void invlpg(long va) {
        tlb.invalidatePage(va);
    }

    public void flushTlbAll() {
        tlb.flushAll();
    }

    public long cr3() {
        return cr3;
    }

    public long cr2() {
        return cr2;
    }

    public int errorCode() {
        return errorCode;
    }

    public void setWriteProtect(boolean wp) {
        this.writeProtect = wp;
    }

    public void setPse(boolean pse) {
        this.pse = pse;
    }

    public void setSegmentLimit(long limit) {
        this.segmentLimit = limit & X86Pte.ADDRESS_MASK;
    }

    public long segmentLimit() {
        return segmentLimit;
    }

    public TableMemory tables() {
        return tables;
    }

    public X86Tlb tlb() {
        return tlb;
    }

    public long tlbHits() {
        return tlbHits;
    }

    public long tlbMisses() {
        return tlbMisses;
    }

    public long walks() {
        return walks;
    }

    /** Entries read by hardware walks (the cost of TLB misses). */
    public long tableReads() {
        return counting.reads;
    }

    /** Accessed/dirty updates written back by hardware walks. */
    public long tableWrites() {
        return counting.writes;
    }

    public long cr3Loads() {
        return cr3Loads;
    }

    public long pageFaults() {
        return pageFaults;
    }
}
