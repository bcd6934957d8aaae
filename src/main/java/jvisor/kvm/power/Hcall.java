package jvisor.kvm.power;

/** PAPR hypercall numbers and status codes jvisor knows (spec sheet: pseries platform). */
public final class Hcall {
    private Hcall() {}

    public static final long H_SUCCESS = 0, H_BUSY = 1, H_HARDWARE = -1, H_FUNCTION = -2, H_PRIVILEGE = -3,
            H_PARAMETER = -4, H_RESOURCE = -16, H_P2 = -55, H_P3 = -56, H_P4 = -57, H_UNSUPPORTED_FLAG = -256;

    public static final long H_SET_SPRG0 = 0x24, H_SET_DABR = 0x28, H_PAGE_INIT = 0x2C, H_GET_TERM_CHAR = 0x54,
            H_PUT_TERM_CHAR = 0x58, H_EOI = 0x64, H_CPPR = 0x68, H_IPI = 0x6C, H_IPOLL = 0x70, H_XIRR = 0x74,
            H_REGISTER_VPA = 0xDC, H_CEDE = 0xE0, H_RANDOM = 0x300, H_SET_MODE = 0x31C,
            H_REGISTER_PROCESS_TABLE = 0x37C, KVMPPC_H_RTAS = 0xF000;

    public static String name(long nr) {
        if (nr != (int) nr) return String.format("hcall 0x%x", nr);
        return switch ((int) nr) {
            case 0x24 -> "H_SET_SPRG0";
            case 0x28 -> "H_SET_DABR";
            case 0x2C -> "H_PAGE_INIT";
            case 0x54 -> "H_GET_TERM_CHAR";
            case 0x58 -> "H_PUT_TERM_CHAR";
            case 0x64 -> "H_EOI";
            case 0x68 -> "H_CPPR";
            case 0x6C -> "H_IPI";
            case 0x70 -> "H_IPOLL";
            case 0x74 -> "H_XIRR";
            case 0xDC -> "H_REGISTER_VPA";
            case 0xE0 -> "H_CEDE";
            case 0x300 -> "H_RANDOM";
            case 0x31C -> "H_SET_MODE";
            case 0x37C -> "H_REGISTER_PROCESS_TABLE";
            case 0xF000 -> "KVMPPC_H_RTAS";
            case 0x4b564d21 -> "KVM paravirtual (sc)";
            default -> String.format("hcall 0x%x", nr);
        };
    }
}
