package jvisor.vmm;

/**
 * Where things sit in the pseries guest's real address space. RAM starts at 0; an ET_DYN kernel
 * goes at 4 MiB as QEMU's {@code -kernel} puts it; the device tree sits 2 MiB below the top of RAM
 * (the guests find it through r3, so only "inside RAM, clear of the image" matters); devices live
 * in an MMIO window above the largest RAM jvisor accepts, so a device can never shadow memory.
 */
public final class MachineLayout {
    private MachineLayout() {}

    /** Load address of a relocatable (ET_DYN) kernel, QEMU's default kernel-addr. */
    public static final long KERNEL_BASE = 0x400000L;
    /** The device tree starts this far below the top of RAM. */
    public static final long FDT_BELOW_TOP = 2L << 20;
    /** Most bytes a device tree may take (it must fit between its base and the top of RAM). */
    public static final int FDT_MAX_SIZE = 1 << 20;
    /** Initrd alignment: QEMU rounds the initrd's base to 64 KiB as well. */
    public static final long INITRD_ALIGN = 0x10000L;

    /**
     * Base of the MMIO window: 64 GiB, above the largest RAM accepted. The address fits the
     * 60 bits a guest can reach in real mode and any radix tree a guest builds.
     */
    public static final long MMIO_BASE = 0x10_0000_0000L;
    /** The 16550 UART: eight byte registers at the start of the MMIO window. */
    public static final long UART_BASE = MMIO_BASE;
    public static final long UART_SIZE = 8;
    /** The UART's input clock, as advertised in the device tree (the usual 1.8432 MHz crystal). */
    public static final int UART_CLOCK = 1_843_200;

    /**
     * reg (the PAPR unit address and termno) of the hypervisor console under /vdevice: QEMU's
     * number for the first VIO device, so a guest that hard-codes QEMU's termno works here too.
     */
    public static final int VTY_REG = 0x71000000;
    /** The interrupt sources of the vty (input arrived) and the NVRAM, as QEMU numbers its first VIO devices'. */
    public static final int VTY_IRQ = 0x1100, NVRAM_IRQ = 0x1101;
    /** reg of the NVRAM under /vdevice (where QEMU's pseries puts its own, beside the vty). */
    public static final int NVRAM_REG = 0x71000001;

    /**
     * The instantiated RTAS sits this far below the top of the guest's first gigabyte (or of RAM,
     * if smaller), as QEMU places it: below 4 GiB, because the tree gives its address in one cell
     * and the operating system calls it in real mode.
     */
    public static final long RTAS_BELOW_TOP = 64L << 10;
    public static final long RTAS_REGION_LIMIT = 1L << 30;

    /** Real address of the RTAS code for a machine of {@code memoryBytes}. */
    public static long rtasAddress(long memoryBytes) {
        return Math.min(memoryBytes, RTAS_REGION_LIMIT) - RTAS_BELOW_TOP;
    }

    /** Real address of the device tree for a machine of {@code memoryBytes}. */
    public static long fdtAddress(long memoryBytes) {
        return memoryBytes - FDT_BELOW_TOP;
    }
}
