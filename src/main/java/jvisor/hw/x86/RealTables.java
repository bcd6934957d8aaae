package jvisor.hw.x86;

import jvisor.memory.RealMemory;

/** Two-level tables in host real memory: x86 entries are little-endian. */
public record RealTables(RealMemory memory) implements TableMemory {
    @Override
    public int readEntry(long address) {
        return memory.readIntLE(address);
    }

    @Override
    public void writeEntry(long address, int value) {
        memory.writeIntLE(address, value);
    }
}
