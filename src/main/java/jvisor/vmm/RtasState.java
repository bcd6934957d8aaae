package jvisor.vmm;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Duration;

/**
 * What a migration carries of RTAS: the offset set-time-of-day put on the clock, the handlers
 * ibm,nmi-register recorded, and the NVRAM's contents.
 */
public final class RtasState {
    public static final int VERSION = 1;

    private RtasState() {}

    public static void save(Rtas rtas, Nvram nvram, DataOutput out) throws IOException {
        out.writeInt(VERSION);
        Duration d = rtas.timeOffset;
        out.writeLong(d.getSeconds());
        out.writeInt(d.getNano());
        out.writeLong(rtas.nmiSystemResetHandler);
        out.writeLong(rtas.nmiMachineCheckHandler);
        out.writeInt(Nvram.SIZE);
        synchronized (nvram) {
            out.write(nvram.bytes);
        }
    }

    public static void restore(Rtas rtas, Nvram nvram, DataInput in) throws IOException {
        int version = in.readInt();
        if (version != VERSION) throw new IOException("RTAS state version " + version + ", expected " + VERSION);
        long seconds = in.readLong();
        int nanos = in.readInt();
        if (nanos < 0 || nanos >= 1_000_000_000) throw new IOException("RTAS state: bad clock offset");
        long reset = in.readLong(), check = in.readLong();
        int size = in.readInt();
        if (size != Nvram.SIZE) throw new IOException("NVRAM of " + size + " bytes, expected " + Nvram.SIZE);
        byte[] bytes = new byte[size];
        in.readFully(bytes);
        rtas.timeOffset = Duration.ofSeconds(seconds, nanos);
        rtas.nmiSystemResetHandler = reset;
        rtas.nmiMachineCheckHandler = check;
        nvram.store(0, bytes);
    }
}
