package jvisor.memory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A VM's guest memory slots with KVM_SET_USER_MEMORY_REGION's rules. Readers (vCPU faults) see an
 * immutable snapshot and never lock; a change publishes a new snapshot, as KVM's SRCU-protected
 * memslot array. Deleting or moving a slot first publishes it marked invalid and has the
 * hypervisor flush every translation of it before the final snapshot appears, so no vCPU can map
 * a page of a slot that is going away.
 */
public final class MemslotTable {
    public static final int MAX_SLOTS = 512;
    /** Largest slot in 4 KiB pages (KVM's KVM_MEM_MAX_NR_PAGES). */
    public static final long MAX_PAGES = (1L << 31) - 1;

    public enum Change { CREATE, DELETE, MOVE, FLAGS_ONLY, NONE }

    /** The hypervisor's part of a slot change (kvm_arch_flush_shadow_memslot / commit_memory_region). */
    public interface Listener {
        /** Drops every translation of {@code slot}; called while it is published invalid. */
        void flushSlot(MemorySlot slot);

        /** The change is visible: {@code old} or {@code now} may be null for CREATE / DELETE. */
        default void commit(Change change, MemorySlot old, MemorySlot now) {}
    }

    private static final MemorySlot[] NONE = new MemorySlot[0];

    private volatile MemorySlot[] sorted = NONE;
    private volatile long generation;

    /** The slot containing {@code gfn} (possibly one marked invalid), or null. */
    public MemorySlot find(long gfn) {
        MemorySlot[] s = sorted;
        int lo = 0, hi = s.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            MemorySlot m = s[mid];
            if (gfn < m.baseGfn()) hi = mid - 1;
            else if (gfn - m.baseGfn() >= m.pages()) lo = mid + 1;
            else return m;
        }
        return null;
    }

    public MemorySlot byId(int id) {
        for (MemorySlot m : sorted) if (m.id() == id) return m;
        return null;
    }

    /** All slots in guest-address order. */
    public List<MemorySlot> slots() {
        return List.of(sorted);
    }

    /** Incremented on every published change; lets callers notice a slot update under them. */
    public long generation() {
        return generation;
    }

    /** Applies a KVM_SET_USER_MEMORY_REGION; throws {@link MemslotException} with KVM's errno. */
    public synchronized Change set(UserMemoryRegion r, Listener listener) {
        if ((r.flags() & ~(MemorySlot.LOG_DIRTY_PAGES | MemorySlot.READONLY)) != 0) {
            throw new MemslotException(MemslotException.Errno.EINVAL, String.format("slot %d: unknown flags 0x%x", r.slot(), r.flags()));
        }
        if (r.slot() < 0 || r.slot() >= MAX_SLOTS) {
            throw new MemslotException(MemslotException.Errno.EINVAL, "slot " + r.slot() + " out of range 0.." + (MAX_SLOTS - 1));
        }
        if (r.memorySize() < 0 || (r.memorySize() & 0xFFF) != 0 || (r.guestPhysAddr() & 0xFFF) != 0
                || (r.userspaceAddr() & 0xFFF) != 0 || r.guestPhysAddr() < 0) {
            throw new MemslotException(MemslotException.Errno.EINVAL, String.format(
                    "slot %d: size 0x%x, guest address 0x%x and host address 0x%x must be 4 KiB aligned",
                    r.slot(), r.memorySize(), r.guestPhysAddr(), r.userspaceAddr()));
        }
        if (r.guestPhysAddr() + r.memorySize() < r.guestPhysAddr()) {
            throw new MemslotException(MemslotException.Errno.EINVAL, "slot " + r.slot() + ": guest range wraps");
        }
        long pages = r.memorySize() >>> PageSizes.SHIFT_4K;
        if (pages > MAX_PAGES) {
            throw new MemslotException(MemslotException.Errno.EINVAL, "slot " + r.slot() + ": larger than " + MAX_PAGES + " pages");
        }
        MemorySlot old = byId(r.slot());
        long baseGfn = r.guestPhysAddr() >>> PageSizes.SHIFT_4K;
        Change change;
        if (pages == 0) {
            if (old == null) {
                throw new MemslotException(MemslotException.Errno.EINVAL, "slot " + r.slot() + ": deleting a slot that does not exist");
            }
            change = Change.DELETE;
        } else if (old == null) {
            change = Change.CREATE;
        } else {
            if (pages != old.pages()) {
                throw new MemslotException(MemslotException.Errno.EINVAL, "slot " + r.slot() + ": an existing slot cannot be resized");
            }
            if (r.userspaceAddr() != old.userspaceAddr()) {
                throw new MemslotException(MemslotException.Errno.EINVAL, "slot " + r.slot() + ": an existing slot cannot change its host address");
            }
            if (((r.flags() ^ old.flags()) & MemorySlot.READONLY) != 0) {
                throw new MemslotException(MemslotException.Errno.EINVAL, "slot " + r.slot() + ": the read-only flag cannot change");
            }
            change = baseGfn != old.baseGfn() ? Change.MOVE : r.flags() != old.flags() ? Change.FLAGS_ONLY : Change.NONE;
        }
        if (change == Change.NONE) return change;
        if (change == Change.CREATE || change == Change.MOVE) {
            for (MemorySlot m : sorted) {
                if (m.id() != r.slot() && baseGfn < m.baseGfn() + m.pages() && m.baseGfn() < baseGfn + pages) {
                    throw new MemslotException(MemslotException.Errno.EEXIST, String.format(
                            "slot %d: guest range 0x%x-0x%x overlaps slot %d (0x%x-0x%x)", r.slot(), r.guestPhysAddr(),
                            r.guestPhysAddr() + r.memorySize(), m.id(), m.baseGpa(), m.baseGpa() + m.size()));
                }
            }
        }
        MemorySlot now = null;
        if (change != Change.DELETE) {
            DirtyBitmap bitmap = null;
            if ((r.flags() & MemorySlot.LOG_DIRTY_PAGES) != 0) {
                bitmap = old != null && old.dirtyBitmap() != null && change == Change.FLAGS_ONLY
                        ? old.dirtyBitmap() : new DirtyBitmap(pages);
            }
            now = new MemorySlot(r.slot(), baseGfn, pages, r.userspaceAddr(), r.flags(), bitmap, false);
        }
        if (change == Change.DELETE || change == Change.MOVE) {
            publish(replace(old.id(), old.asInvalid()));
            listener.flushSlot(old);
        }
        publish(replace(r.slot(), now));
        listener.commit(change, old, now);
        return change;
    }

    private MemorySlot[] replace(int id, MemorySlot slot) {
        List<MemorySlot> list = new ArrayList<>();
        for (MemorySlot m : sorted) if (m.id() != id) list.add(m);
        if (slot != null) list.add(slot);
        MemorySlot[] a = list.toArray(NONE);
        Arrays.sort(a, Comparator.comparingLong(MemorySlot::baseGfn));
        return a;
    }

    private void publish(MemorySlot[] next) {
        sorted = next;
        generation++;
    }
}
