package jvisor.vmm;

import jvisor.memory.MemslotGuestMemory;
import jvisor.memory.HostAddressSpace;
import jvisor.memory.MemslotTable;
import jvisor.memory.PhysicalMemory;
import jvisor.memory.UserMemoryRegion;

/** Guest RAM at real address 0 for tests: one memslot over sparse host memory. */
final class GuestRam {
    static final long MIB = 1L << 20;

    final long size;
    final MemslotGuestMemory memory;

    GuestRam(long size) {
        this.size = size;
        PhysicalMemory phys = new PhysicalMemory(Math.max(1L << 30, (2 * size + (1L << 30) - 1) & -(1L << 30)));
        HostAddressSpace mm = new HostAddressSpace(phys);
        MemslotTable slots = new MemslotTable();
        long hva = mm.mmap(size, 0);
        slots.set(new UserMemoryRegion(0, 0, 0, size, hva), s -> {});
        memory = new MemslotGuestMemory(slots, mm);
    }

    byte[] read(long gpa, int len) {
        byte[] b = new byte[len];
        memory.read(gpa, b, 0, len);
        return b;
    }
}
