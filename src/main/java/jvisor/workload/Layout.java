package jvisor.workload;

/** Virtual address layout shared by all scenarios, valid on 32-bit x86 as well as on ARM64 and POWER. */
public final class Layout {
    private Layout() {}

    public static final long PAGE = 4096;
    /** User mappings live below this. */
    public static final long USER_TOP = 0xB000_0000L;
    /** The kernel's half starts here (the x86 guest's PAGE_OFFSET). */
    public static final long KERNEL_BASE = 0xC000_0000L;
    /** Kernel virtual addresses for device mappings (ioremap). */
    public static final long IOREMAP_BASE = 0xF000_0000L;
    /** Guest physical address where the scenarios' device sits (outside RAM). */
    public static final long DEVICE_GPA = 0x1_0000_0000L;
}
