package jvisor.vmm.migration;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.BitSet;
import jvisor.memory.GuestMemory;
import jvisor.memory.HostAddressSpace;
import jvisor.vmm.PseriesMachine;

/**
 * The destination's side of guest RAM: writes the pages of each RAM section, and after the first
 * pass clears every page that pass did not send but that holds something here (what loading the
 * kernel, the device tree and RTAS wrote before the stream came): on the source it was zero.
 */
final class RamReceiver {
    private final GuestMemory memory;
    private final HostAddressSpace mm;
    private final long hva, pages;
    private final BitSet firstPass = new BitSet();
    private boolean firstPassDone;
    private long received;
    private final byte[] page = new byte[StreamFormat.PAGE];

    RamReceiver(PseriesMachine machine) {
        this.memory = machine.vm().guestMemory();
        this.mm = machine.vm().addressSpace();
        this.hva = machine.ramHostAddress();
        this.pages = machine.config().memoryBytes() / StreamFormat.PAGE;
    }

    void pages(byte[] payload) throws StreamException, IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload));
        int n = in.readInt();
        if (n <= 0 || n > StreamFormat.PAGES_PER_SECTION || payload.length != 4 + (long) n * (8 + StreamFormat.PAGE)) {
            throw StreamException.damaged("a RAM section of " + payload.length + " bytes claims " + n + " pages");
        }
        for (int i = 0; i < n; i++) {
            long gfn = in.readLong();
            if (gfn < 0 || gfn >= pages) {
                throw StreamException.damaged(String.format("a RAM section writes page 0x%x, outside the guest's %d pages", gfn, pages));
            }
            in.readFully(page);
            memory.write(gfn * StreamFormat.PAGE, page, 0, StreamFormat.PAGE);
            if (!firstPassDone) firstPass.set((int) gfn);
        }
        received += n;
    }

    void firstPassEnd() throws StreamException {
        if (firstPassDone) throw StreamException.damaged("the stream ends its first pass over RAM twice");
        firstPassDone = true;
        byte[] zero = new byte[StreamFormat.PAGE];
        for (long gfn = 0; gfn < pages; gfn++) {
            if (firstPass.get((int) gfn) || mm.lookupPte(hva + gfn * StreamFormat.PAGE) == 0) continue;
            memory.read(gfn * StreamFormat.PAGE, page, 0, StreamFormat.PAGE);
            if (!java.util.Arrays.equals(page, zero)) memory.write(gfn * StreamFormat.PAGE, zero, 0, StreamFormat.PAGE);
        }
    }

    boolean firstPassDone() {
        return firstPassDone;
    }

    long received() {
        return received;
    }
}
