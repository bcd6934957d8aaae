package jvisor.hw.x86;

/**
 * Where two-level tables live, as the walkers see it: little-endian 4-byte entries at addresses
 * (the x86 counterpart of {@code hw.power.TableReader}). It is the walkers' port rather than
 * {@code GuestMemory} or {@code RealMemory} because a walk reads an entry per level on every TLB
 * miss: one {@code int} per call, no result to test, no copy. An entry that cannot be read is
 * the reader's business (it returns what the walk should see, a not-present 0, and can record or
 * act on the failure). The CPU's tables are in host real memory ({@link RealTables}); a
 * hypervisor walking a guest's own tables wraps its view of guest memory.
 */
public interface TableMemory {
    int readEntry(long address);

    void writeEntry(long address, int value);
}
