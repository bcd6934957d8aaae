package jvisor.kvm.power;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * What a migration carries of the {@link XicsSources}: per source its server, priority, the
 * priority ibm,int-on gives back, and whether a trigger waits behind a mask or a rejection.
 */
public final class XicsSourcesState {
    public static final int VERSION = 1;

    private XicsSourcesState() {}

    public static void save(XicsSources s, DataOutput out) throws IOException {
        out.writeInt(VERSION);
        out.writeInt(XicsSources.SOURCES);
        synchronized (s) {
            for (int i = 0; i < XicsSources.SOURCES; i++) {
                out.writeInt(s.server[i]);
                out.writeShort(s.priority[i]);
                out.writeShort(s.savedPriority[i]);
                out.writeByte((s.maskedPending[i] ? 1 : 0) | (s.rejected[i] ? 2 : 0));
            }
        }
    }

    public static void restore(XicsSources s, DataInput in) throws IOException {
        int version = in.readInt();
        if (version != VERSION) throw new IOException("XICS state version " + version + ", expected " + VERSION);
        int n = in.readInt();
        if (n != XicsSources.SOURCES) throw new IOException("XICS state with " + n + " sources, expected " + XicsSources.SOURCES);
        synchronized (s) {
            int rejected = 0;
            for (int i = 0; i < n; i++) {
                s.server[i] = in.readInt();
                int p = in.readUnsignedShort(), saved = in.readUnsignedShort(), flags = in.readUnsignedByte();
                if (p > XicsSources.MASKED || saved > XicsSources.MASKED) throw new IOException("XICS source priority out of range");
                s.priority[i] = p;
                s.savedPriority[i] = saved;
                s.maskedPending[i] = (flags & 1) != 0;
                s.rejected[i] = (flags & 2) != 0;
                if (s.rejected[i]) rejected++;
            }
            s.rejectedCount = rejected;
        }
    }
}
