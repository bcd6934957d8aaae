package jvisor.kvm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * KVM's coalesced MMIO: writes to registered zones (KVM_REGISTER_COALESCED_MMIO) are appended to
 * a ring the VMM shares with the hypervisor instead of each leaving KVM_RUN as an MMIO exit. The
 * VMM drains the ring into its devices before it handles the next exit, so a device still sees
 * every write, in order, only later and in batches: suitable for registers whose writes have no
 * side effect the guest waits for (a frame buffer, a UART's transmit register).
 *
 * <p>The ring has KVM's size: the entries of {@code struct kvm_coalesced_mmio} (address, length,
 * 8 data bytes; 24 bytes each) that fit in one 4 KiB page after the {@code first}/{@code last}
 * indexes, {@link #MAX_ENTRIES} = 170, one of them always left empty so that {@code first ==
 * last} means empty. When it is full the write is not coalesced and the vCPU exits as usual;
 * nothing is lost or reordered, since the exit's handling drains the older entries first.
 *
 * <p>Several vCPU threads append concurrently (serialised by the ring lock, as KVM's spinlock
 * does), while one VMM thread at a time drains without taking it: a writer publishes an entry
 * by advancing the volatile {@code last} after filling it, the reader frees it by advancing the
 * volatile {@code first} after reading it, and a writer only fills the slot at {@code last},
 * which the reader never reads before it is published.
 */
public final class CoalescedMmioRing {
    public static final int PAGE_SIZE = 4096, HEADER_SIZE = 8, ENTRY_SIZE = 24;
    /** Entries of one ring page (KVM_COALESCED_MMIO_MAX); one stays empty, so 169 writes fit. */
    public static final int MAX_ENTRIES = (PAGE_SIZE - HEADER_SIZE) / ENTRY_SIZE;
    /** Most zones a VM may register (KVM's historical KVM_COALESCED_MMIO_ZONE_MAX). */
    public static final int MAX_ZONES = 100;
    /** Widest write an entry holds. */
    public static final int MAX_DATA = 8;

    /** A registered zone: guest physical {@code [address, address+size)}; {@code size} is KVM's u32. */
    public record Zone(long address, long size) {
        boolean contains(long addr, int len) {
            return Long.compareUnsigned(addr, address) >= 0 && addr - address <= size - len;
        }
    }

    /** Where drained writes go (the VMM's bus). */
    @FunctionalInterface
    public interface Sink {
        void write(long address, byte[] data, int length);
    }

    private volatile Zone[] zones = new Zone[0];
    private final ReentrantLock writerLock = new ReentrantLock();
    private final Object readerLock = new Object();
    private final long[] address = new long[MAX_ENTRIES];
    private final int[] length = new int[MAX_ENTRIES];
    private final long[] data = new long[MAX_ENTRIES];
    private volatile int first, last;
    private long coalesced, ringFull;

    /** KVM_REGISTER_COALESCED_MMIO. */
    public void register(Zone zone) {
        if (zone.size <= 0 || zone.size > 0xFFFF_FFFFL) {
            throw new KvmException(KvmException.Errno.EINVAL, "coalesced MMIO zone size 0x" + Long.toHexString(zone.size));
        }
        if (zone.address < 0 || Long.compareUnsigned(zone.address + zone.size, zone.address) < 0) {
            throw new KvmException(KvmException.Errno.EINVAL, "coalesced MMIO zone wraps around");
        }
        synchronized (readerLock) {
            if (zones.length >= MAX_ZONES) {
                throw new KvmException(KvmException.Errno.ENOMEM, "too many coalesced MMIO zones");
            }
            Zone[] z = Arrays.copyOf(zones, zones.length + 1);
            z[zones.length] = zone;
            zones = z;
        }
    }

    /** KVM_UNREGISTER_COALESCED_MMIO: removes every zone lying wholly inside {@code range}. */
    public void unregister(Zone range) {
        synchronized (readerLock) {
            List<Zone> keep = new ArrayList<>();
            for (Zone z : zones) {
                boolean inside = Long.compareUnsigned(z.address, range.address) >= 0
                        && z.address - range.address <= range.size - z.size;
                if (!inside) keep.add(z);
            }
            zones = keep.toArray(new Zone[0]);
        }
    }

    public List<Zone> zones() {
        return List.of(zones);
    }

    /**
     * The vCPU's side: if {@code [addr, addr+len)} lies in a zone and the ring has room, records
     * the write and returns true (the guest continues without an exit); otherwise returns false
     * and the write must exit to user space as an ordinary MMIO exit.
     */
    public boolean tryAppend(long addr, byte[] bytes, int len) {
        if (len <= 0 || len > MAX_DATA || bytes == null || bytes.length < len || !inZone(addr, len)) return false;
        long packed = 0;
        for (int i = 0; i < len; i++) packed |= (bytes[i] & 0xFFL) << (8 * i);
        writerLock.lock();
        try {
            int l = last;
            int next = (l + 1) % MAX_ENTRIES;
            if (next == first) {
                ringFull++;
                return false;
            }
            address[l] = addr;
            length[l] = len;
            data[l] = packed;
            last = next; // publishes the entry to the reader
            coalesced++;
            return true;
        } finally {
            writerLock.unlock();
        }
    }

    /**
     * The VMM's side: hands the published entries to {@code sink}, oldest first, freeing each slot
     * after its write was delivered, and returns the number delivered. At most a ring's worth
     * ({@code MAX_ENTRIES - 1}) per call: writers appending while it drains must not keep the
     * VMM's thread here for ever; what is left waits, in order, for the next drain.
     */
    public int drain(Sink sink) {
        synchronized (readerLock) {
            byte[] bytes = new byte[MAX_DATA];
            int n = 0;
            int f = first;
            int l = last;
            while (f != l && n < MAX_ENTRIES - 1) {
                int len = length[f];
                long packed = data[f];
                for (int i = 0; i < len; i++) bytes[i] = (byte) (packed >>> (8 * i));
                long a = address[f];
                f = (f + 1) % MAX_ENTRIES;
                first = f; // the slot may be reused from here on
                sink.write(a, bytes, len);
                n++;
                if (f == l) l = last; // pick up writes appended meanwhile
            }
            return n;
        }
    }

    /** Entries waiting to be drained. */
    public int pending() {
        return Math.floorMod(last - first, MAX_ENTRIES);
    }

    /** Writes coalesced so far. */
    public long coalescedWrites() {
        writerLock.lock();
        try {
            return coalesced;
        } finally {
            writerLock.unlock();
        }
    }

    /** Writes that found the ring full and exited instead. */
    public long ringFullExits() {
        writerLock.lock();
        try {
            return ringFull;
        } finally {
            writerLock.unlock();
        }
    }

    private boolean inZone(long addr, int len) {
        for (Zone z : zones) if (z.contains(addr, len)) return true;
        return false;
    }
}
