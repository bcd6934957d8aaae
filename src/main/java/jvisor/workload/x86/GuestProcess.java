package jvisor.workload.x86;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A process of the guest model: its page directory, kernel stack, regions and page tables. */
final class GuestProcess {
    /** A mapped range and what the kernel knows of it (Linux's vm_area_struct). */
    record Region(long va, long pages, boolean writable, boolean anonymous) {
        boolean contains(long a) {
            return a >= va && a < va + pages * 4096L;
        }
    }

    final int pid;
    /** Guest physical address of the page directory (what CR3 holds while it runs). */
    final long pgd;
    /** Guest physical address of the two-page kernel stack. */
    final long kernelStack;
    final List<Region> regions = new ArrayList<>();
    /** User page tables by directory index: guest physical address of each table page. */
    final Map<Integer, Long> tables = new HashMap<>();
    boolean exited;

    GuestProcess(int pid, long pgd, long kernelStack) {
        this.pid = pid;
        this.pgd = pgd;
        this.kernelStack = kernelStack;
    }

    Region regionOf(long va) {
        for (Region r : regions) if (r.contains(va)) return r;
        return null;
    }
}
