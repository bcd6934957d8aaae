package jvisor.fuzz;

import jvisor.vmm.MachineLayout;

/**
 * Where the POWER fuzz guest keeps things in its real address space. RAM is slot 0 from 0; a
 * second, small slot sits at 4 GiB (read-only or dirty-logged, by the round); devices are the
 * VMM's, in its MMIO window; two holes back nothing at all.
 */
final class PowerFuzzLayout {
    private PowerFuzzLayout() {
    }

    static final long RAM = 32L << 20;
    /** Interrupt vectors 0x100..0xFE0, one stub every 0x20 bytes, and the handler they share. */
    static final long VECTORS_END = 0x1000, COMMON_HANDLER = 0x1000;
    /** A lone {@code sc 1}: the host sets r3..r12 and the pc here to make the guest call the hypervisor. */
    static final long HCALL_STUB = 0x1800;
    /** RTAS argument blocks, 256 bytes apart. */
    static final long RTAS_BLOCKS = 0x2000, RTAS_BLOCK_SIZE = 0x100, RTAS_BLOCK_COUNT = 16;
    /** A place for a VPA (H_REGISTER_VPA wants 640 bytes within a page). */
    static final long VPA = 0x3000;
    static final long CODE = 0x10000, CODE_END = 0x50000;
    static final long DATA = 0x100000, DATA_END = 0x200000;
    /** The guest's process table (4 KiB: 256 PIDs) and the table pages of its radix trees. */
    static final long PROCESS_TABLE = 0x200000, TABLES = 0x210000, TABLES_END = 0x400000;
    static final int PROCESS_TABLE_SIZE_LOG = 0;
    static final long SLOT1 = 0x1_0000_0000L, SLOT1_SIZE = 2L << 20;
    static final long UART = MachineLayout.UART_BASE;
    /** A scratch device (reads back what was written), partly coalesced. */
    static final long SCRATCH = MachineLayout.MMIO_BASE + 0x1000, SCRATCH_SIZE = 0x1000;
    static final long HOLE_LOW = 0x4000_0000L, HOLE_HIGH = 0x8_0000_0000L;
}
