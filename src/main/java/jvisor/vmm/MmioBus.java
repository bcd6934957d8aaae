package jvisor.vmm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import jvisor.kvm.CoalescedMmioRing;
import jvisor.kvm.RunExit;

/**
 * Routes MMIO exits to the device whose range holds the access. Ranges never overlap and are
 * fixed once the machine runs; lookups read an immutable sorted array, so vCPU threads route
 * without a lock. Accesses no device claims come back as {@link MmioResult.NoDevice} for the run
 * loop to turn into a machine check; a load of that kind reads all-ones, as an empty bus would.
 */
public final class MmioBus {

    /** A device's place on the bus. */
    public record Region(String name, long base, long size, MmioDevice device) {
        boolean contains(long address, int length) {
            return address - base >= 0 && address - base <= size - length;
        }
    }

    private volatile Region[] regions = new Region[0];
    private final AtomicLong handled = new AtomicLong(), unclaimed = new AtomicLong();

    /** Places {@code device} at {@code [base, base+size)}; a range overlapping another is a programming error. */
    public synchronized void register(String name, long base, long size, MmioDevice device) {
        if (size <= 0 || base < 0 || base + size < base) throw new IllegalArgumentException("bad range for " + name);
        for (Region r : regions) {
            if (base < r.base + r.size && r.base < base + size) {
                throw new IllegalArgumentException(name + " overlaps " + r.name);
            }
        }
        List<Region> list = new ArrayList<>(Arrays.asList(regions));
        list.add(new Region(name, base, size, device));
        list.sort((x, y) -> Long.compare(x.base, y.base));
        regions = list.toArray(new Region[0]);
    }

    /** Handles an MMIO exit; a load's bytes are written into {@code m.data()}. */
    public MmioResult handle(RunExit.Mmio m) {
        return m.isWrite() ? write(m.physAddr(), m.data(), m.length()) : read(m.physAddr(), m.data(), m.length());
    }

    public MmioResult read(long address, byte[] data, int length) {
        Region r = find(address, data, length);
        if (r == null) {
            if (data != null) Arrays.fill(data, 0, Math.max(0, Math.min(length, data.length)), (byte) 0xFF);
            unclaimed.incrementAndGet();
            return new MmioResult.NoDevice(address, length, false);
        }
        r.device.read(address - r.base, data, length);
        handled.incrementAndGet();
        return MmioResult.HANDLED;
    }

    public MmioResult write(long address, byte[] data, int length) {
        Region r = find(address, data, length);
        if (r == null) {
            unclaimed.incrementAndGet();
            return new MmioResult.NoDevice(address, length, true);
        }
        r.device.write(address - r.base, data, length);
        handled.incrementAndGet();
        return MmioResult.HANDLED;
    }

    /**
     * Delivers the writes a vCPU batched in the coalesced-MMIO ring, oldest first; the run loop
     * calls this before it handles each exit, so devices see writes in the order the guest made
     * them. Returns how many were delivered.
     */
    public int drain(CoalescedMmioRing ring) {
        return ring.drain((address, data, length) -> write(address, data, length));
    }

    /** The regions, lowest address first. */
    public List<Region> regions() {
        return List.of(regions);
    }

    public long handledAccesses() {
        return handled.get();
    }

    public long unclaimedAccesses() {
        return unclaimed.get();
    }

    private Region find(long address, byte[] data, int length) {
        if (data == null || (length != 1 && length != 2 && length != 4 && length != 8) || data.length < length) {
            return null;
        }
        Region[] rs = regions;
        int lo = 0, hi = rs.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Region r = rs[mid];
            if (address < r.base) hi = mid - 1;
            else if (address - r.base >= r.size) lo = mid + 1;
            else return r.contains(address, length) ? r : null;
        }
        return null;
    }
}
