package jvisor.hw.power.cpu;

/**
 * Why {@link Core#run(long)} returned. Details are in the core's state: the instruction word for
 * emulation assistance ({@link Core#heir()}), HDSISR/HDAR/ASDR for HDSI/HISI, the message for
 * {@link #ERROR}. For every exit, {@link Core#pc()} is where the next {@code run} resumes and
 * HSRR0/HSRR1 hold what the hardware would have saved for the hypervisor.
 */
public final class Exit {
    private Exit() {
    }

    /** The instruction budget given to run was used up. */
    public static final int INSTRUCTION_LIMIT = 1;
    /**
     * {@code sc 1}: r3 holds the hcall number; pc is already past the sc. Also returned from problem
     * state: the hypervisor checks MSR[PR] and answers H_PRIVILEGE, as the hardware leaves it to.
     */
    public static final int HYPERCALL = 2;
    /** Hypervisor data storage interrupt (partition-scoped fault on a load/store); pc at the instruction. */
    public static final int HDSI = 3;
    /** Hypervisor instruction storage interrupt; pc at the instruction that could not be fetched. */
    public static final int HISI = 4;
    /** Hypervisor emulation assistance: a hypervisor-only SPR or instruction; word in HEIR, pc at it. */
    public static final int HYPERVISOR_EMULATION_ASSIST = 5;
    /** Another thread asked the core to return ({@link Core#requestExit()}). */
    public static final int INTERRUPTED = 6;
    /** The guest can no longer run (checkstop: machine check with MSR[ME]=0). */
    public static final int STOPPED = 7;
    /** Something jvisor does not implement yet; {@link Core#exitMessage()} says what. pc at it. */
    public static final int ERROR = 8;
    /** {@code sc} (LEV=0) while the hypervisor intercepts system calls; pc is past the sc. */
    public static final int SYSTEM_CALL = 9;
    /**
     * A debugger's breakpoint or watchpoint ({@link Core#setDebugPoints}); {@link Core#debugHit()}
     * says which. pc at the instruction, which has not executed.
     */
    public static final int DEBUG = 10;

    public static String name(int code) {
        return switch (code) {
            case INSTRUCTION_LIMIT -> "INSTRUCTION_LIMIT";
            case HYPERCALL -> "HYPERCALL";
            case HDSI -> "HDSI";
            case HISI -> "HISI";
            case HYPERVISOR_EMULATION_ASSIST -> "HYPERVISOR_EMULATION_ASSIST";
            case INTERRUPTED -> "INTERRUPTED";
            case STOPPED -> "STOPPED";
            case ERROR -> "ERROR";
            case SYSTEM_CALL -> "SYSTEM_CALL";
            case DEBUG -> "DEBUG";
            default -> "UNKNOWN(" + code + ")";
        };
    }
}
