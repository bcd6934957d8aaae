package jvisor.kvm.lguest;

import jvisor.hw.x86.X86Pte;
import jvisor.memory.HostAddressSpace;
import jvisor.memory.PhysicalMemory;

/**
 * A small host with one lguest guest of 16 MiB whose tables the test writes by hand:
 * directory at 0x1000, the kernel's linear map of the first 4 MiB at PAGE_OFFSET through the
 * table at 0x2000, and a user table at 0x3000 for 0x08000000-0x083FFFFF.
 */
final class LguestFixture {
    static final long MEM = 16L << 20;
    static final long PAGE_OFFSET = 0xC000_0000L;
    static final long PGD = 0x1000, KERNEL_PT = 0x2000, USER_PT = 0x3000;
    static final long USER_VA = 0x0800_0000L;
    static final long STACK_TOP = PAGE_OFFSET + 0x10000;

    final PhysicalMemory phys;
    final HostAddressSpace mm;
    final Switcher switcher;
    final long base;
    final long baselineFrames;
    Lguest lg;
    GuestPhysicalMemory mem;

    LguestFixture(int vcpus, long seed) {
        this(vcpus, seed, 1L << 30);
    }

    LguestFixture(int vcpus, long seed, long hostCapacity) {
        phys = new PhysicalMemory(1L << 30, hostCapacity);
        mm = new HostAddressSpace(phys);
        switcher = new Switcher(phys, vcpus);
        base = mm.mmap(MEM, 0);
        baselineFrames = phys.framesInUse();
        lg = Lguest.create(switcher, mm, new Lguest.Config(base, MEM, 4, PAGE_OFFSET, vcpus, PGD, seed));
        mem = lg.memory();
        // The kernel half: linear map of the first 4 MiB, supervisor, global.
        pde(PGD, PAGE_OFFSET, X86Pte.make(KERNEL_PT >>> 12, X86Pte.TABLE_FLAGS));
        for (int i = 0; i < 1024; i++) {
            mem.writeU32LE(KERNEL_PT + 4L * i, X86Pte.make(i, X86Pte.KERNEL_FLAGS | X86Pte.GLOBAL));
        }
        pde(PGD, USER_VA, X86Pte.make(USER_PT >>> 12, X86Pte.TABLE_FLAGS));
    }

    LguestCpu cpu() {
        return lg.cpu(0);
    }

    void pde(long pgd, long va, int entry) {
        mem.writeU32LE(X86Pte.directoryEntryAddress(pgd, va), entry);
    }

    int guestPde(long pgd, long va) {
        return mem.readU32(X86Pte.directoryEntryAddress(pgd, va));
    }

    /** Writes a table entry in the table page at guest physical {@code table}. */
    void pte(long table, long va, int entry) {
        mem.writeU32LE(table + 4L * X86Pte.tableIndex(va), entry);
    }

    int guestPte(long table, long va) {
        return mem.readU32(table + 4L * X86Pte.tableIndex(va));
    }

    /** A user page: guest frame {@code gpfn} at {@code va} with the given flags. */
    void userPage(long va, long gpfn, int flags) {
        pte(USER_PT, va, X86Pte.make(gpfn, flags));
    }

    /** A new guest directory at {@code pgd} sharing the kernel half (and the user table). */
    void cloneDirectory(long pgd) {
        for (int i = 0; i < 1024; i++) mem.writeU32LE(pgd + 4L * i, mem.readU32(PGD + 4L * i));
    }

    void setStack() {
        cpu().hypercall(Hypercalls.SET_STACK, 0x21, STACK_TOP, 2);
    }

    /** The shadow entry for {@code va} in the directory the vCPU runs on. */
    int shadowPte(long va) {
        return lg.shadow().tableEntry(cpu().directory(), va);
    }

    /** Host frame backing guest frame {@code gpfn} in the launcher. */
    long hostFrame(long gpfn) {
        return jvisor.memory.HostPte.pfn(mm.lookupPte(base + (gpfn << 12)));
    }
}
