package jvisor.vmm;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * What a migration carries of the {@link Console}: the bytes typed that the guest has not read.
 * Output has nothing pending: every write reaches the stream before the guest's call returns.
 */
public final class ConsoleState {
    public static final int VERSION = 1;

    private ConsoleState() {}

    public static void save(Console c, DataOutput out) throws IOException {
        out.writeInt(VERSION);
        byte[] typed = c.pendingInput();
        out.writeInt(typed.length);
        out.write(typed);
    }

    public static void restore(Console c, DataInput in) throws IOException {
        int version = in.readInt();
        if (version != VERSION) throw new IOException("console state version " + version + ", expected " + VERSION);
        int n = in.readInt();
        if (n < 0 || n > Console.TYPED_AHEAD) throw new IOException("console state with " + n + " typed bytes");
        byte[] typed = new byte[n];
        in.readFully(typed);
        c.restorePendingInput(typed);
    }
}
