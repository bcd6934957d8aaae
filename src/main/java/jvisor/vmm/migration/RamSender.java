package jvisor.vmm.migration;

import java.io.DataOutputStream;
import java.io.IOException;
import jvisor.kvm.Vm;
import jvisor.memory.GuestMemory;
import jvisor.memory.HostAddressSpace;
import jvisor.vmm.PseriesMachine;

/**
 * The source's side of guest RAM: the first pass over all of it, then the pages the dirty log
 * names, in RAM sections of up to {@link StreamFormat#PAGES_PER_SECTION} pages. A page the host
 * never backed, or one that holds only zeros, is left out of the first pass: the destination's
 * RAM starts zeroed (it clears what its own boot loading wrote there, see {@link RamReceiver}).
 */
final class RamSender {
    private final Vm<?> vm;
    private final GuestMemory memory;
    private final HostAddressSpace mm;
    private final long hva, pages;
    private final long[] batchGfn = new long[StreamFormat.PAGES_PER_SECTION];
    private final byte[] batch = new byte[StreamFormat.PAGES_PER_SECTION * StreamFormat.PAGE];
    private int batched;
    private long harvests, harvestNanos;

    RamSender(PseriesMachine machine) {
        this.vm = machine.vm();
        this.memory = vm.guestMemory();
        this.mm = vm.addressSpace();
        this.hva = machine.ramHostAddress();
        this.pages = machine.config().memoryBytes() / StreamFormat.PAGE;
    }

    long pages() {
        return pages;
    }

    /** KVM_GET_DIRTY_LOG of the RAM slot, timed. */
    long[] harvest() {
        long t = System.nanoTime();
        long[] log = vm.getDirtyLog(PseriesMachine.RAM_SLOT);
        harvestNanos += System.nanoTime() - t;
        harvests++;
        return log;
    }

    long harvests() {
        return harvests;
    }

    long harvestNanos() {
        return harvestNanos;
    }

    /** Sends every page that is not known to be zero, then FULL_PASS_END; returns the pages sent. */
    long fullPass(StreamWriter w) throws IOException {
        long sent = 0;
        for (long gfn = 0; gfn < pages; gfn++) {
            if (mm.lookupPte(hva + gfn * StreamFormat.PAGE) == 0) continue; // never backed: zero
            int at = batched * StreamFormat.PAGE;
            memory.read(gfn * StreamFormat.PAGE, batch, at, StreamFormat.PAGE);
            if (isZero(batch, at)) continue;
            batchGfn[batched++] = gfn;
            sent++;
            if (batched == StreamFormat.PAGES_PER_SECTION) flush(w);
        }
        flush(w);
        w.begin();
        w.finish(Section.FULL_PASS_END);
        return sent;
    }

    /** Sends the pages whose bits are set in {@code log}; returns how many. */
    long sendDirty(StreamWriter w, long[] log) throws IOException {
        long sent = 0;
        for (int i = 0; i < log.length; i++) {
            for (long bits = log[i]; bits != 0; bits &= bits - 1) {
                long gfn = 64L * i + Long.numberOfTrailingZeros(bits);
                if (gfn >= pages) continue;
                memory.read(gfn * StreamFormat.PAGE, batch, batched * StreamFormat.PAGE, StreamFormat.PAGE);
                batchGfn[batched++] = gfn;
                sent++;
                if (batched == StreamFormat.PAGES_PER_SECTION) flush(w);
            }
        }
        flush(w);
        return sent;
    }

    private void flush(StreamWriter w) throws IOException {
        if (batched == 0) return;
        DataOutputStream out = w.begin();
        out.writeInt(batched);
        for (int i = 0; i < batched; i++) {
            out.writeLong(batchGfn[i]);
            out.write(batch, i * StreamFormat.PAGE, StreamFormat.PAGE);
        }
        w.finish(Section.RAM);
        batched = 0;
    }

    static long count(long[] log) {
        long n = 0;
        for (long x : log) n += Long.bitCount(x);
        return n;
    }

    private static boolean isZero(byte[] b, int at) {
        for (int i = at; i < at + StreamFormat.PAGE; i++) if (b[i] != 0) return false;
        return true;
    }
}
