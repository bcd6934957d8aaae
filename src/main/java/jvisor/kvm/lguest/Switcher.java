package jvisor.kvm.lguest;

import jvisor.hw.x86.X86Pte;
import jvisor.memory.PageSizes;
import jvisor.memory.PhysicalMemory;

/**
 * The Switcher: the few pages of hypervisor code and per-CPU state that must be mapped in the
 * guest's address space while it runs, because the CPU switches between host and guest through
 * them. It sits in the top 4 MiB of the 32-bit address space; each host CPU has its own page of
 * table entries for that slot, so a guest running on one CPU sees only that CPU's pair of
 * state pages: a register page it may write and a read-only state page.
 *
 * <p>Created once for the host (module load) and shared by every guest; the frames belong to
 * the Switcher, never to a guest, so guest teardown never releases them.
 */
public final class Switcher {
    /** The Switcher's address: the last directory slot. */
    public static final long ADDRESS = 0xFFC0_0000L;
    public static final int PGD_INDEX = X86Pte.directoryIndex(ADDRESS);
    /** Pages of Switcher code mapped at the start of the slot. */
    public static final int CODE_PAGES = 1;

    private final PhysicalMemory phys;
    private final int hostCpus;
    private final long[] codePages;
    /** Per CPU: the table page mapped in the top slot, the register page, the read-only state page. */
    private final long[] ptePages, regsPages, statePages;

    public Switcher(PhysicalMemory phys, int hostCpus) {
        if (hostCpus < 1 || CODE_PAGES + 2 * hostCpus > X86Pte.ENTRIES) {
            throw new IllegalArgumentException("the Switcher slot holds at most 511 host CPUs");
        }
        if (phys.size() > (1L << 32)) {
            throw new IllegalArgumentException("shadow entries without PAE reach only 4 GiB of host memory");
        }
        this.phys = phys;
        this.hostCpus = hostCpus;
        codePages = new long[CODE_PAGES];
        ptePages = new long[hostCpus];
        regsPages = new long[hostCpus];
        statePages = new long[hostCpus];
        for (int i = 0; i < CODE_PAGES; i++) codePages[i] = allocate();
        for (int cpu = 0; cpu < hostCpus; cpu++) {
            regsPages[cpu] = allocate();
            statePages[cpu] = allocate();
            ptePages[cpu] = allocate();
            populate(cpu);
        }
    }

    private long allocate() {
        long pfn = phys.allocate(0);
        if (pfn == PhysicalMemory.NO_FRAME) throw new IllegalStateException("out of host memory for the Switcher");
        return pfn;
    }

    /** The code first, then this CPU's pair: registers writable, read-only state read-only. */
    private void populate(int cpu) {
        long table = ptePages[cpu] << PageSizes.SHIFT_4K;
        for (int i = 0; i < CODE_PAGES; i++) {
            phys.writeIntLE(table + 4L * i, X86Pte.make(codePages[i], X86Pte.PRESENT | X86Pte.ACCESSED));
        }
        phys.writeIntLE(table + 4L * regsSlot(cpu), X86Pte.make(regsPages[cpu], X86Pte.KERNEL_FLAGS));
        phys.writeIntLE(table + 4L * (regsSlot(cpu) + 1), X86Pte.make(statePages[cpu], X86Pte.PRESENT | X86Pte.ACCESSED));
    }

    public int hostCpus() {
        return hostCpus;
    }

    /** The table page mapped in the top directory slot while a guest runs on {@code cpu}. */
    public long ptePage(int cpu) {
        return ptePages[cpu];
    }

    /** Index, in the Switcher's table page, of {@code cpu}'s register page (its state page follows). */
    public static int regsSlot(int cpu) {
        return CODE_PAGES + 2 * cpu;
    }

    /** Virtual address of {@code cpu}'s register page. */
    public static long regsAddress(int cpu) {
        return ADDRESS + ((long) regsSlot(cpu) << PageSizes.SHIFT_4K);
    }

    /**
     * Points {@code cpu}'s register slot at a guest's register page, so the Switcher saves the
     * guest's registers straight into that guest's page.
     */
    void mapRegisters(int cpu, long regsPagePfn) {
        phys.writeIntLE((ptePages[cpu] << PageSizes.SHIFT_4K) + 4L * regsSlot(cpu),
                X86Pte.make(regsPagePfn, X86Pte.KERNEL_FLAGS));
    }

    /** Frames the Switcher holds: code, and per CPU a table page, a register page, a state page. */
    public int frames() {
        return CODE_PAGES + 3 * hostCpus;
    }

    /** Module unload: every Switcher frame goes back. */
    public void free() {
        for (long p : codePages) phys.put(p);
        for (int cpu = 0; cpu < hostCpus; cpu++) {
            phys.put(ptePages[cpu]);
            phys.put(regsPages[cpu]);
            phys.put(statePages[cpu]);
        }
    }
}
