package jvisor.vmm;

import jvisor.kvm.RunExit;
import jvisor.memory.GuestMemory;

/** Writes an RTAS argument block in guest memory, performs it through a KVMPPC_H_RTAS exit, reads the returns. */
final class RtasBlock {
    /** What a call left: its returns and the hypercall status. */
    record Result(int[] rets, long status) {}

    private RtasBlock() {}

    /** Performs {@code token} with {@code args}, {@code nret} returns (preset to 0x7777), the block at {@code block}. */
    static Result call(GuestMemory memory, Rtas rtas, long block, int token, int nret, int... args) {
        memory.writeU32BE(block, token);
        memory.writeU32BE(block + 4, args.length);
        memory.writeU32BE(block + 8, nret);
        for (int i = 0; i < args.length; i++) memory.writeU32BE(block + 12 + 4L * i, args[i]);
        for (int i = 0; i < nret; i++) memory.writeU32BE(block + 12 + 4L * (args.length + i), 0x7777);
        RunExit.Rtas exit = new RunExit.Rtas(block);
        rtas.handle(exit);
        int[] rets = new int[nret];
        for (int i = 0; i < nret; i++) rets[i] = (int) memory.readU32BE(block + 12 + 4L * (args.length + i));
        return new Result(rets, exit.ret()[0]);
    }
}
