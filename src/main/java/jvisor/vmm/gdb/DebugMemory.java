package jvisor.vmm.gdb;

import java.util.Arrays;
import jvisor.kvm.power.PowerVcpu;
import jvisor.memory.GuestMemory;

/**
 * Guest memory as a debugger addresses it: by effective address, as one vCPU sees it now —
 * through the guest's own radix tables when its MSR[DR] is on, as real addresses when it is off
 * ({@link PowerVcpu#translate}) — page by page, since consecutive pages need not be consecutive
 * in guest real memory. Only RAM is read or written: an address that is not mapped, or that
 * reaches a device rather than memory, is an error and never a device access with side effects.
 * Writes go through the host's write path, so decoded guest code there is dropped.
 */
final class DebugMemory {
    private static final int PAGE = 4096;

    private final GuestMemory memory;

    DebugMemory(GuestMemory memory) {
        this.memory = memory;
    }

    /**
     * Reads up to {@code length} bytes at {@code ea}: all of them, or the readable ones before the
     * first that is not (empty if the first is not).
     */
    byte[] read(PowerVcpu vcpu, long ea, int length) {
        byte[] b = new byte[length];
        int done = 0;
        while (done < length) {
            long a = ea + done;
            int n = (int) Math.min(length - done, PAGE - (a & (PAGE - 1)));
            long gpa = vcpu.translate(a);
            if (gpa < 0 || !memory.read(gpa, b, done, n)) break;
            done += n;
        }
        return done == length ? b : Arrays.copyOf(b, done);
    }

    /** Writes {@code data} at {@code ea}, all or nothing: false if any byte is not writable guest RAM. */
    boolean write(PowerVcpu vcpu, long ea, byte[] data) {
        int pages = 0;
        long[] gpas = new long[data.length / PAGE + 2];
        for (int done = 0; done < data.length; pages++) {
            long a = ea + done;
            int n = (int) Math.min(data.length - done, PAGE - (a & (PAGE - 1)));
            long gpa = vcpu.translate(a);
            if (gpa < 0 || !memory.isBacked(gpa, n)) return false;
            gpas[pages] = gpa;
            done += n;
        }
        for (int done = 0, i = 0; done < data.length; i++) {
            long a = ea + done;
            int n = (int) Math.min(data.length - done, PAGE - (a & (PAGE - 1)));
            if (!memory.write(gpas[i], data, done, n)) return false; // a read-only slot
            done += n;
        }
        return true;
    }
}
