package jvisor.vmm;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** What a migration carries of the {@link Uart16550}: its registers and its receive FIFO. */
public final class UartState {
    public static final int VERSION = 1;

    private UartState() {}

    public static void save(Uart16550 u, DataOutput out) throws IOException {
        synchronized (u) {
            out.writeInt(VERSION);
            for (int r : new int[] {u.ier, u.lcr, u.mcr, u.scr, u.dll, u.dlm, u.fcr}) out.writeByte(r);
            out.writeByte(u.rx.size());
            for (byte b : u.rx) out.writeByte(b);
        }
    }

    public static void restore(Uart16550 u, DataInput in) throws IOException {
        int version = in.readInt();
        if (version != VERSION) throw new IOException("UART state version " + version + ", expected " + VERSION);
        int[] r = new int[7];
        for (int i = 0; i < r.length; i++) r[i] = in.readUnsignedByte();
        int n = in.readUnsignedByte();
        if (n > Uart16550.FIFO_SIZE) throw new IOException("UART state with " + n + " bytes in a FIFO of " + Uart16550.FIFO_SIZE);
        synchronized (u) {
            u.ier = r[0];
            u.lcr = r[1];
            u.mcr = r[2];
            u.scr = r[3];
            u.dll = r[4];
            u.dlm = r[5];
            u.fcr = r[6];
            u.rx.clear();
            for (int i = 0; i < n; i++) u.rx.add(in.readByte());
        }
    }
}
