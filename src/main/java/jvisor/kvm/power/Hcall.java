package jvisor.kvm.power;

/**
 * PAPR hypercall numbers and status codes jvisor knows (spec sheet: pseries platform). Numbers
 * are {@code int} so handlers can switch on them; a guest's r3 is compared after a range check.
 */
public final class Hcall {
    private Hcall() {}

    public static final long H_SUCCESS = 0, H_BUSY = 1, H_HARDWARE = -1, H_FUNCTION = -2, H_PRIVILEGE = -3,
            H_PARAMETER = -4, H_RESOURCE = -16, H_P2 = -55, H_P3 = -56, H_P4 = -57, H_UNSUPPORTED_FLAG = -256;

    public static final int H_SET_SPRG0 = 0x24, H_SET_DABR = 0x28, H_PAGE_INIT = 0x2C, H_GET_TERM_CHAR = 0x54,
            H_PUT_TERM_CHAR = 0x58, H_EOI = 0x64, H_CPPR = 0x68, H_IPI = 0x6C, H_IPOLL = 0x70, H_XIRR = 0x74,
            H_REGISTER_VPA = 0xDC, H_CEDE = 0xE0, H_CONFER = 0xE4, H_PROD = 0xE8, H_GET_CPU_CHARACTERISTICS = 0x1C8,
            H_HOME_NODE_ASSOCIATIVITY = 0x2EC, H_RANDOM = 0x300, H_SET_MODE = 0x31C, H_REGISTER_PROCESS_TABLE = 0x37C,
            H_SIGNAL_SYS_RESET = 0x380, H_QUERY_VAS_CAPABILITIES = 0x398, KVMPPC_H_RTAS = 0xF000,
            H_GET_PERF_COUNTER_INFO = 0xF080;

    public static String name(long nr) {
        return switch ((int) nr == nr ? (int) nr : -1) {
            case H_SET_SPRG0 -> "H_SET_SPRG0";
            case H_SET_DABR -> "H_SET_DABR";
            case H_PAGE_INIT -> "H_PAGE_INIT";
            case H_GET_TERM_CHAR -> "H_GET_TERM_CHAR";
            case H_PUT_TERM_CHAR -> "H_PUT_TERM_CHAR";
            case H_EOI -> "H_EOI";
            case H_CPPR -> "H_CPPR";
            case H_IPI -> "H_IPI";
            case H_IPOLL -> "H_IPOLL";
            case H_XIRR -> "H_XIRR";
            case H_REGISTER_VPA -> "H_REGISTER_VPA";
            case H_CEDE -> "H_CEDE";
            case H_CONFER -> "H_CONFER";
            case H_PROD -> "H_PROD";
            case H_GET_CPU_CHARACTERISTICS -> "H_GET_CPU_CHARACTERISTICS";
            case H_HOME_NODE_ASSOCIATIVITY -> "H_HOME_NODE_ASSOCIATIVITY";
            case H_RANDOM -> "H_RANDOM";
            case H_SET_MODE -> "H_SET_MODE";
            case H_REGISTER_PROCESS_TABLE -> "H_REGISTER_PROCESS_TABLE";
            case H_SIGNAL_SYS_RESET -> "H_SIGNAL_SYS_RESET";
            case H_QUERY_VAS_CAPABILITIES -> "H_QUERY_VAS_CAPABILITIES";
            case KVMPPC_H_RTAS -> "KVMPPC_H_RTAS";
            case H_GET_PERF_COUNTER_INFO -> "H_GET_PERF_COUNTER_INFO";
            case 0x4b564d21 -> "KVM paravirtual (sc)";
            default -> String.format("hcall 0x%x", nr);
        };
    }
}
