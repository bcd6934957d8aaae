package jvisor.hw.power;

/**
 * SRR1 (and HSRR1) bits an interrupt sets beside the saved MSR bits (Power ISA v3.0B Book III 7.5):
 * the reason of a program interrupt, the kind of machine check, the cause of an instruction
 * storage interrupt. The ISA numbers them MSB-0; the constants are the 64-bit masks.
 */
public final class Srr1 {
    private Srr1() {
    }

    /** MSB 33:36 and 42:47: the cause of an ISI or HISI, in the positions {@link Dsisr} uses for a DSI. */
    public static final long INSTRUCTION_STORAGE_CAUSE = 0x783F_0000L;
    /** Machine check MSB 42: the error was on a load or store. */
    public static final long MACHINE_CHECK_LOAD_STORE = 1L << 21;
    /** System reset MSB 42:45 = 0b0100: requested from outside the thread. */
    public static final long SYSTEM_RESET_EXTERNAL = 1L << 20;
    /** Program interrupt MSB 43: floating-point enabled exception. */
    public static final long FP_ENABLED = 1L << 20;
    /** Program interrupt MSB 44: illegal instruction. */
    public static final long ILLEGAL = 1L << 19;
    /** Program interrupt MSB 45: privileged instruction. */
    public static final long PRIVILEGED = 1L << 18;
    /** Program interrupt MSB 46: trap. */
    public static final long TRAP = 1L << 17;
}
