package jvisor.kvm.power;

import java.util.OptionalLong;
import jvisor.hw.power.Msr;
import jvisor.hw.power.PartitionTableEntry;
import jvisor.hw.power.ProcessTableEntry;
import jvisor.hw.power.RadixEntry;
import jvisor.hw.power.RadixPermissions;
import jvisor.hw.power.RadixTreeRoot;
import jvisor.hw.power.RadixTreeWalker;
import jvisor.hw.power.RadixWalk;
import jvisor.hw.power.RadixWalkVisitor;
import jvisor.hw.power.TableReader;
import jvisor.memory.GuestMemory;

/**
 * The hypervisor's software walk of a guest's process-scoped tables (KVM's radix xlate): used to
 * fetch the instruction that faulted on MMIO while the guest runs with translation on. The guest
 * tables are read as guest real addresses through the memslots (never through the hardware's
 * TLB), with the same walker and checks as the hardware.
 *
 * <p>Two details matter, and each once went wrong in KVM: the process table's location is only
 * the PRTB field of the registered value (its low bits are the table's size), and the root of a
 * process's tree is the RPDB field of the process-table entry (not the RTS or RPDS bits around it).
 */
public final class GuestPageTableWalk {
    private GuestPageTableWalk() {}

    /** MSR[PR]: problem state. */

    /** Reads guest table entries by guest real address; addresses outside guest memory fail the walk. */
    static TableReader guestReader(GuestMemory memory) {
        return (walk, level, address) -> {
            walk.entryHostAddress = -1;
            OptionalLong entry = memory.readU64BE(address);
            if (entry.isPresent()) return entry.getAsLong();
            walk.readFailure = TableReader.MACHINE_CHECK;
            walk.failedAddress = address;
            return 0;
        };
    }

    /**
     * Translates {@code ea} through the guest's tables.
     *
     * @param processTable the value the guest registered (PRTB | PRTS)
     * @param pidr         the vCPU's PIDR
     * @param msr          the vCPU's MSR (PR matters)
     */
    public static GuestTranslation xlate(GuestMemory memory, long processTable, long pidr, long msr,
                                         long amr, long iamr, long ea) {
        long pid = switch ((int) (ea >>> 62)) {
            case 0 -> pidr & 0xFFFF_FFFFL;
            case 3 -> 0;
            default -> -1;
        };
        if (pid < 0) return GuestTranslation.failed(GuestTranslation.Status.BAD_CONFIG, ea, 0);
        if (pid * ProcessTableEntry.SIZE >= PartitionTableEntry.processTableBytes(processTable)) {
            return GuestTranslation.failed(GuestTranslation.Status.BAD_CONFIG, ea, 0);
        }
        long prteAddress = PartitionTableEntry.prtb(processTable) + pid * ProcessTableEntry.SIZE;
        OptionalLong read = memory.readU64BE(prteAddress);
        if (read.isEmpty()) return GuestTranslation.failed(GuestTranslation.Status.BAD_TABLE_ADDRESS, ea, prteAddress);
        long prte = read.getAsLong();
        if (prte == 0) return GuestTranslation.failed(GuestTranslation.Status.BAD_CONFIG, ea, prteAddress);
        RadixWalk walk = new RadixWalk();
        long address = ea & 0x3FFF_FFFF_FFFF_FFFFL;
        int st = RadixTreeWalker.walk(walk, rootOf(prte), address, guestReader(memory), RadixWalkVisitor.TRANSLATE);
        switch (st) {
            case RadixTreeWalker.DONE -> { }
            case RadixTreeWalker.NO_TRANSLATION -> {
                return GuestTranslation.failed(GuestTranslation.Status.NOT_PRESENT, ea, walk.entryAddress);
            }
            case RadixTreeWalker.READ_FAILED -> {
                return GuestTranslation.failed(GuestTranslation.Status.BAD_TABLE_ADDRESS, ea, walk.failedAddress);
            }
            default -> {
                return GuestTranslation.failed(GuestTranslation.Status.BAD_CONFIG, ea, walk.entryAddress);
            }
        }
        long pte = walk.entry;
        // The rights as the hardware derives them (RadixPermissions): EAA, the privilege rule and,
        // for the operating system's access to a user page, AMR/IAMR key 0.
        boolean problemState = (msr & Msr.PR) != 0, privilegedPage = RadixEntry.privileged(pte);
        int allowed = problemState && privilegedPage ? 0
                : RadixPermissions.eaa(pte) & (!problemState && !privilegedPage ? RadixPermissions.key0(amr, iamr)
                        : RadixPermissions.ALL);
        return new GuestTranslation(GuestTranslation.Status.OK, ea, walk.result, walk.pageShift,
                (allowed & RadixPermissions.READ) != 0, (allowed & RadixPermissions.WRITE) != 0,
                (allowed & RadixPermissions.EXEC) != 0, 0);
    }

    /** The root description of a process's tree: the PRTE's doubleword 0 (RTS, RPDB, RPDS), nothing else. */
    static long rootOf(long prte) {
        return prte & (RadixTreeRoot.RTS1_MASK | RadixTreeRoot.RTS2_MASK | RadixTreeRoot.RPDB_MASK | RadixTreeRoot.RPDS_MASK);
    }
}
