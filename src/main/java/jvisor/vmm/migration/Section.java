package jvisor.vmm.migration;

/**
 * The section types of a migration stream. After the header every byte belongs to a section:
 * {@code u32 type, u32 length, length bytes of payload, u32 CRC-32C} of the type, length and
 * payload (all big-endian). The order is fixed: MACHINE first, then RAM sections with
 * FULL_PASS_END after the first pass over memory, then the device and vCPU state, then END.
 */
enum Section {
    /** The machine description ({@link MachineDescription}): must match the destination's. */
    MACHINE(1),
    /** A batch of guest pages: u32 count, then count x (u64 guest frame number, 4096 bytes). */
    RAM(2),
    /** The first pass over memory is complete: every page it did not send is zero. */
    FULL_PASS_END(3),
    PARTITION(10),
    XICS(11),
    VCPU(12),
    CONSOLE(13),
    RTAS(14),
    UART(15),
    /** The last section: u32 sections before it, u64 RAM pages sent in all. */
    END(99);

    final int code;

    Section(int code) {
        this.code = code;
    }

    static Section of(int code) {
        for (Section s : values()) if (s.code == code) return s;
        return null;
    }
}
