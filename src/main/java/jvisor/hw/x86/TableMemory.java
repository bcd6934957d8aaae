package jvisor.hw.x86;

/**
 * Where two-level tables live, as the walker sees it: little-endian 4-byte entries at addresses.
 * The hardware's tables are in host real memory; a hypervisor inspecting a guest's tables
 * passes a view of guest physical memory instead.
 */
public interface TableMemory {
    int readEntry(long address);

    void writeEntry(long address, int value);
}
