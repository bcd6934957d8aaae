package jvisor.kvm.power;

/**
 * KVM's own paravirtual interface on POWER (seed 004): a guest that finds it (through the
 * device tree's hypercall instructions, KVM_PPC_GET_PVINFO's sequence) executes {@code sc} with
 * r0 = {@link #SC_MAGIC_R0} and r11 = the hypercall token; r3..r6 are the arguments, the status
 * comes back in r3 and a second value in r4. In 32-bit mode the arguments are 32 bits wide.
 */
public final class KvmParavirt {
    private KvmParavirt() {}

    /** "KVM!" in r0 marks a paravirtual hypercall. */
    public static final long SC_MAGIC_R0 = 0x4b564d21L;
    /** ePAPR vendor ids and the tokens built from them (vendor << 16 | function). */
    static final int EV_EPAPR_VENDOR_ID = 1, EV_KVM_VENDOR_ID = 42;
    public static final int KVM_HC_PPC_MAP_MAGIC_PAGE = (EV_KVM_VENDOR_ID << 16) | 1;
    public static final int KVM_HC_FEATURES = (EV_KVM_VENDOR_ID << 16) | 3;
    public static final int EV_IDLE = (EV_EPAPR_VENDOR_ID << 16) | 16;
    /** ePAPR statuses. */
    public static final long EV_SUCCESS = 0, EV_UNIMPLEMENTED = 12;
    /** KVM_PPC_PVINFO_FLAGS_EV_IDLE: the guest may idle with {@link #EV_IDLE}. */
    public static final int PVINFO_FLAGS_EV_IDLE = 1;
    /** OSI's magic registers (Mac-on-Linux): {@code sc} with these in r3/r4 exits to user space when enabled. */
    public static final long OSI_SC_MAGIC_R3 = 0x113724FAL, OSI_SC_MAGIC_R4 = 0x77810F9BL;

    /** KVM_PPC_GET_PVINFO: the instruction sequence a guest uses for paravirtual hypercalls, and flags. */
    public record PvInfo(int[] hcall, int flags) {}

    /** lis r0,"KV"; ori r0,r0,"M!"; sc; nop — big-endian instruction words. */
    public static PvInfo pvinfo() {
        int lis = 0x3c000000 | (int) ((SC_MAGIC_R0 >>> 16) & 0xFFFF);
        int ori = 0x60000000 | (int) (SC_MAGIC_R0 & 0xFFFF);
        return new PvInfo(new int[]{lis, ori, 0x44000002, 0x60000000}, PVINFO_FLAGS_EV_IDLE);
    }
}
