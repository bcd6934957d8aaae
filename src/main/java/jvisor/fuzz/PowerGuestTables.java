package jvisor.fuzz;

import static jvisor.fuzz.PowerFuzzLayout.*;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import jvisor.hw.power.ProcessTableEntry;
import jvisor.hw.power.RadixEntry;
import jvisor.hw.power.RadixTreeBuilder;
import jvisor.memory.MemslotGuestMemory;
import jvisor.memory.RealMemory;

/**
 * The fuzz guest's process table and radix trees, in its own memory: some PIDs get a sane tree
 * that maps the guest's low memory one to one (so that code runs with translation on) plus
 * random leaves of every size and permission to RAM, to the tables themselves, to the second
 * slot, to devices and to nothing; others get a process-table entry of garbage or nothing. Then
 * garbage goes into the tables: random doublewords, directories that point at themselves or
 * outside RAM, impossible sizes. {@link #mutate} keeps changing them while the vCPUs walk them.
 */
final class PowerGuestTables {
    static final int PIDS = 8;

    private final MemslotGuestMemory memory;
    /** Where the tables are: first an image on the heap, written out whole by {@link #build}; then the guest's memory. */
    private RealMemory real;
    private final SplittableRandom r;
    private final List<Long> roots = new ArrayList<>();
    private long next = TABLES;
    private final int lastLevelBits;
    private RadixTreeBuilder builder;

    PowerGuestTables(MemslotGuestMemory memory, SplittableRandom r) {
        this.memory = memory;
        this.r = r;
        this.lastLevelBits = r.nextInt(4) == 0 ? 5 : 9;
    }

    /** Table memory from the guest's table area, aligned to its size (zero already); -1 when the area is used up. */
    private long allocate(long bytes) {
        long at = (next + bytes - 1) & -bytes;
        if (at + bytes > TABLES_END) return -1;
        next = at + bytes;
        return at;
    }

    /** Writes the process table and the trees. Returns the number of table writes made. */
    long build() {
        ImageMemory image = new ImageMemory(PROCESS_TABLE, (int) (TABLES_END - PROCESS_TABLE));
        real = image;
        builder = new RadixTreeBuilder(real, this::allocate, lastLevelBits);
        long writes = buildInto();
        memory.write(PROCESS_TABLE, image.bytes, 0, image.bytes.length);
        // From here on the tables change in the guest's memory, where the vCPUs walk them.
        real = memory.asRealMemory();
        builder = new RadixTreeBuilder(real, this::allocate, lastLevelBits);
        return writes;
    }

    private long buildInto() {
        long writes = 0;
        for (int pid = 0; pid < PIDS; pid++) {
            int kind = r.nextInt(10);
            long dword0;
            if (kind < 6) {
                long root;
                try {
                    root = builder.newRoot();
                } catch (IllegalStateException full) {
                    break;
                }
                roots.add(root);
                writes += populate(root);
                dword0 = root;
            } else if (kind < 8) {
                dword0 = r.nextLong() & ~(1L << 63) | (r.nextBoolean() ? 0 : ProcessTableEntry.radixDword0(address()) & 0xFFL);
            } else {
                dword0 = 0;
            }
            new ProcessTableEntry(dword0, r.nextInt(4) == 0 ? r.nextLong() : 0).writeTo(real, PROCESS_TABLE + 16L * pid);
            writes++;
        }
        int garbage = r.nextInt(40);
        for (int i = 0; i < garbage; i++) writes += mutate();
        return writes;
    }

    private long populate(long root) {
        long writes = 0;
        long identityBits = RadixEntry.READ | RadixEntry.READ_WRITE | RadixEntry.EXECUTE
                | (r.nextInt(3) == 0 ? 0 : RadixEntry.REFERENCE | RadixEntry.CHANGE);
        int shift = r.nextBoolean() ? 21 : builder.basePageShift();
        writes += status(builder.mapRange(root, 0, 0, TABLES_END, shift, identityBits)) ? (TABLES_END >> shift) : 0;
        int leaves = r.nextInt(64);
        for (int i = 0; i < leaves; i++) {
            int[] shifts = {builder.basePageShift(), builder.basePageShift(), 21, 30};
            int s = shifts[r.nextInt(shifts.length)];
            long ea = (r.nextInt(4) == 0 ? r.nextLong(1L << 52) : TABLES_END + r.nextLong(64L << 20)) & -(1L << s);
            long target = address() & -(1L << s);
            long bits = r.nextLong() & (RadixEntry.ATT_MASK | RadixEntry.PRIVILEGED | RadixEntry.READ | RadixEntry.READ_WRITE
                    | RadixEntry.EXECUTE | RadixEntry.REFERENCE | RadixEntry.CHANGE | RadixEntry.SW1_MASK);
            if (status(builder.map(root, ea, s, RadixEntry.pte(target, bits)))) writes++;
        }
        return writes;
    }

    private static boolean status(int s) {
        return s == RadixTreeBuilder.MAPPED;
    }

    /** A guest real address a leaf or a directory may point at. */
    private long address() {
        return switch (r.nextInt(8)) {
            case 0, 1, 2 -> r.nextLong(RAM);
            case 3 -> TABLES + r.nextLong(TABLES_END - TABLES);
            case 4 -> SLOT1 + r.nextLong(SLOT1_SIZE);
            case 5 -> SCRATCH;
            case 6 -> HOLE_LOW + r.nextLong(1 << 20);
            default -> r.nextLong(1L << 56);
        };
    }

    /**
     * One change of the kind a hostile or careless guest makes without telling anybody: a random
     * doubleword in a table, a directory entry aimed at a table (itself included) or outside RAM
     * with any size, a leaf with any bits, an entry of the process table rewritten, or a new
     * mapping or an unmapping through the builder. Returns 1.
     */
    long mutate() {
        if (!roots.isEmpty() && r.nextInt(4) == 0) {
            long root = roots.get(r.nextInt(roots.size()));
            long ea = r.nextLong(TABLES_END * 4) & ~0xFFFL;
            if (r.nextBoolean()) builder.unmap(root, ea);
            else builder.map(root, ea, builder.basePageShift(), RadixEntry.pteRwx(address() & ~0xFFFFL));
            return 1;
        }
        long slot = next > TABLES && r.nextInt(6) != 0 ? TABLES + (r.nextLong(next - TABLES) & ~7)
                : PROCESS_TABLE + 8L * r.nextInt(16 * PIDS);
        long value = switch (r.nextInt(5)) {
            case 0 -> r.nextLong();
            case 1 -> RadixEntry.pde(slot & ~0xFFFL, r.nextInt(32));
            case 2 -> RadixEntry.pde(address() & ~0xFFL, r.nextInt(4) == 0 ? r.nextInt(32) : 9);
            case 3 -> RadixEntry.pte(address(), r.nextLong());
            default -> 0;
        };
        real.writeLongBE(slot, value);
        return 1;
    }
}
