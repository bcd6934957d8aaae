package jvisor.hw.power;

/**
 * The interrupt vectors of a POWER9 thread (Power ISA v3.0B Book III 7.5): the real address where
 * execution continues when the interrupt is taken, before LPCR[AIL] relocation. The core raises
 * them, the MMU's {@link TranslationFault}s name them, and the hypervisor reflects them into a
 * guest; this is the one place the numbers are written.
 */
public final class InterruptVector {
    private InterruptVector() {
    }

    public static final int SYSTEM_RESET = 0x100;
    public static final int MACHINE_CHECK = 0x200;
    /** DSI: DAR and DSISR describe the access. */
    public static final int DATA_STORAGE = 0x300;
    public static final int DATA_SEGMENT = 0x380;
    /** ISI: SRR1 describes the fetch. */
    public static final int INSTRUCTION_STORAGE = 0x400;
    public static final int INSTRUCTION_SEGMENT = 0x480;
    public static final int EXTERNAL = 0x500;
    public static final int ALIGNMENT = 0x600;
    public static final int PROGRAM = 0x700;
    public static final int FLOATING_POINT_UNAVAILABLE = 0x800;
    public static final int DECREMENTER = 0x900;
    public static final int SYSTEM_CALL = 0xC00;
    public static final int TRACE = 0xD00;
    /** HDSI: HDAR, HDSISR and ASDR describe the access; taken by the hypervisor. */
    public static final int HYPERVISOR_DATA_STORAGE = 0xE00;
    /** HISI: HSRR1 and ASDR describe the fetch; taken by the hypervisor. */
    public static final int HYPERVISOR_INSTRUCTION_STORAGE = 0xE20;
    public static final int VECTOR_UNAVAILABLE = 0xF20;
    public static final int VSX_UNAVAILABLE = 0xF40;
    public static final int FACILITY_UNAVAILABLE = 0xF60;
}
