package jvisor.vmm;

/**
 * The RTAS code a firmware instantiates in guest memory and publishes as {@code linux,rtas-base}
 * and {@code linux,rtas-entry}: the operating system branches to it with r3 = the real address of
 * the argument block, in big-endian real mode, and it turns the call into the KVMPPC_H_RTAS
 * hypercall that the VMM's {@link Rtas} serves. Big-endian because RTAS always runs big-endian,
 * whatever the operating system's byte order.
 */
public final class RtasBlob {
    private RtasBlob() {}

    /** mr r4,r3; lis r3,0; ori r3,r3,0xf000 (KVMPPC_H_RTAS); sc 1; blr. */
    static final int[] INSTRUCTIONS = {0x7C641B78, 0x3C600000, 0x6063F000, 0x44000022, 0x4E800020};

    /** Bytes the blob takes, {@code rtas-size} in the tree. */
    public static final int SIZE = 4 * INSTRUCTIONS.length;

    /** The blob as it is written to guest memory. */
    public static byte[] bytes() {
        byte[] b = new byte[SIZE];
        for (int i = 0; i < INSTRUCTIONS.length; i++) {
            int w = INSTRUCTIONS[i];
            b[4 * i] = (byte) (w >>> 24);
            b[4 * i + 1] = (byte) (w >>> 16);
            b[4 * i + 2] = (byte) (w >>> 8);
            b[4 * i + 3] = (byte) w;
        }
        return b;
    }
}
