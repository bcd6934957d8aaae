package jvisor.cli;

import jvisor.hw.power.Msr;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import jvisor.hw.power.Mmu;
import jvisor.hw.power.Dsisr;
import jvisor.hw.power.MmuRegisters;
import jvisor.hw.power.PartitionTableEntry;
import jvisor.hw.power.RadixEntry;
import jvisor.hw.power.RadixMmu;
import jvisor.hw.power.RadixTranslator;
import jvisor.hw.power.RadixTreeBuilder;
import jvisor.hw.power.RadixTreeRoot;
import jvisor.hw.power.TranslationFault;
import jvisor.hw.power.WalkStage;
import jvisor.kvm.Kvm;
import jvisor.kvm.Vm;
import jvisor.kvm.power.PageFaultResult;
import jvisor.kvm.power.PartitionScopedMmu;
import jvisor.memory.HostAddressSpace;
import jvisor.memory.PageSizes;
import jvisor.memory.PhysicalMemory;
import jvisor.memory.RealMemory;
import jvisor.memory.UserMemoryRegion;

/**
 * Sets up a radix guest under the hypervisor and explains one nested (2-D) translation read by
 * read: the partition table, the process table, every guest directory entry with the
 * partition-scoped walk that finds it in host memory, and the data address's own walk.
 */
final class WalkCommand implements Main.Subcommand {
    static CommandSpec spec() {
        return new CommandSpec("walk",
                "Explains one POWER9 nested radix translation step by step: every table read, which stage, "
                        + "guest real and host real addresses, ending with the number of references.")
                .option(new String[] {"--ea"}, "<ea>", "0x00007fff12345678",
                        "Guest effective address to translate (default 0x00007fff12345678).")
                .option(new String[] {"--guest-page"}, "<size>", "4K",
                        "Page size of the guest's own mapping: 4K, 64K, 2M or 1G (default 4K).")
                .option(new String[] {"--host-page"}, "<size>", "4K",
                        "Page size backing guest RAM on the host, hence of the partition-scoped mapping: 4K, 2M or 1G (default 4K).")
                .option(new String[] {"--access"}, "<access>", "load", "load, store or fetch (default load).")
                .flag(new String[] {"--quiet-faults"}, "Do not list the hypervisor faults that filled the tables first.");
    }

    String eaText = "0x00007fff12345678";
    String guestPage = "4K";
    String hostPage = "4K";
    String access = "load";
    boolean quietFaults;

    @Override
    public void take(CommandSpec.Parsed line) {
        eaText = line.string("--ea");
        guestPage = line.string("--guest-page");
        hostPage = line.string("--host-page");
        access = line.string("--access");
        quietFaults = line.flag("--quiet-faults");
    }

    private static final long GIB = 1L << 30;
    private static final long MSR_GUEST_VIRTUAL = Msr.SF | Msr.IR | Msr.DR;
    private static final long PID = 1;
    /** Where the guest keeps its process table and page tables, and the page the EA maps to. */
    private static final long PRTB = 0x0100_0000L, TABLES = 0x0110_0000L, DATA = 0x0800_0000L;

    @Override
    public Integer call() {
        long ea = parseAddress(eaText);
        int guestShift = shift(guestPage, "--guest-page", true);
        int hostShift = shift(hostPage, "--host-page", false);
        int kind = switch (access) {
            case "load" -> Mmu.LOAD;
            case "store" -> Mmu.STORE;
            case "fetch" -> Mmu.FETCH;
            default -> throw new UserError("--access must be load, store or fetch, not '" + access + "'");
        };
        if ((ea >>> 52) != 0) {
            throw new UserError(String.format("--ea 0x%x is outside quadrant 0 of the 52-bit space (a guest's own addresses)", ea));
        }
        return explain(System.out, ea, guestShift, hostShift, kind);
    }

    int explain(PrintStream out, long ea, int guestShift, int hostShift, int kind) {
        long ram = 2 * GIB;
        PhysicalMemory phys = new PhysicalMemory(8 * GIB);
        HostAddressSpace mm = new HostAddressSpace(phys);
        Kvm kvm = new Kvm(phys, mm);
        Vm<PartitionScopedMmu> vm = kvm.createVm(PartitionScopedMmu.HV_RADIX);
        PartitionScopedMmu hv = vm.arch();
        int mapFlags = hostShift == 30 ? HostAddressSpace.MAP_HUGE_1G : hostShift == 21 ? HostAddressSpace.MAP_HUGE_2M : 0;
        long hva = mm.mmap(ram, mapFlags);
        vm.setUserMemoryRegion(new UserMemoryRegion(0, 0, 0, ram, hva));

        // The guest builds its own tree, as its kernel would, in its own memory.
        RealMemory guest = vm.guestMemory().asRealMemory();
        long[] next = {TABLES};
        RadixTreeBuilder builder = new RadixTreeBuilder(guest, bytes -> {
            long a = (next[0] + bytes - 1) & -bytes;
            next[0] = a + bytes;
            return a;
        }, guestShift == PageSizes.SHIFT_64K ? 5 : 9);
        long root = builder.newRoot();
        guest.writeLongBE(PRTB + 16 * PID, root);
        long bits = RadixEntry.READ | RadixEntry.READ_WRITE | RadixEntry.EXECUTE | RadixEntry.REFERENCE | RadixEntry.CHANGE;
        long data = DATA & -(1L << guestShift);
        if (data == 0) data = 1L << guestShift;
        builder.map(root, ea, guestShift, RadixEntry.pte(data, bits));
        hv.configureV3Mmu(PartitionScopedMmu.MMUV3_RADIX | PartitionScopedMmu.MMUV3_GTSE, PRTB);

        MmuRegisters regs = new MmuRegisters();
        regs.lpidr = hv.lpid();
        regs.pidr = PID;
        regs.ptcr = hv.host().ptcr();
        RadixMmu core = new RadixMmu(regs, phys, hv.host().tlbDomain());

        out.println("jvisor walk: one nested radix translation on a POWER9 guest");
        out.println();
        out.printf("machine: host PTCR 0x%016x (partition table at host real 0x%x, %d entries)%n",
                regs.ptcr, regs.ptcr & 0x0FFFFFFFFFFFF000L, (1L << (12 + (regs.ptcr & 0x1F))) / 16);
        out.printf("guest:   LPID %d, PID %d, %s of RAM backed by %s host pages; MSR[HV]=0, IR=DR=1%n",
                hv.lpid(), PID, size(ram), PageSizes.name(hostShift));
        out.printf("         its process table at guest real 0x%x, its own 4-level tree mapping EA 0x%x -> guest real 0x%x (%s page)%n",
                PRTB, ea & -(1L << guestShift), data, PageSizes.name(guestShift));
        out.printf("access:  %s of EA 0x%016x (quadrant %d: LPID = LPIDR, PID = PIDR)%n", access(kind), ea, ea >>> 62);
        out.println();

        // First run: the partition-scoped tree is empty, so the hypervisor fills it fault by fault.
        List<String> faults = new ArrayList<>();
        long ra = -1;
        for (int i = 0; i < 64 && ra < 0; i++) {
            ra = core.translate(ea, kind, MSR_GUEST_VIRTUAL);
            if (ra >= 0) break;
            if (!(core.fault() instanceof TranslationFault.PartitionScoped fault)) {
                out.println("the guest took a fault: " + core.fault());
                return 1;
            }
            PageFaultResult r = hv.handlePageFault(fault);
            faults.add(String.format("%s  guest real 0x%09x  %-44s -> %s", fault.fetch() ? "HISI" : "HDSI", fault.asdr(),
                    (fault.cause() & Dsisr.TABLE_WALK) != 0 ? "(a guest table entry: table-walk fault)" : "(the data page)",
                    r instanceof PageFaultResult.Resume res ? "hypervisor maps it (" + res.reason() + ")" : r.toString()));
            if (!(r instanceof PageFaultResult.Resume)) {
                out.println("the hypervisor could not handle a fault: " + r);
                return 1;
            }
        }
        if (!quietFaults) {
            out.printf("cold start: the partition-scoped tree was empty; %d hypervisor faults filled it lazily:%n", faults.size());
            for (String s : faults) out.println("  " + s);
            out.println();
        }

        // Second run: the full walk, with no TLB and no walk caches, reported read by read.
        List<String> lines = new ArrayList<>();
        Map<WalkStage, Integer> counts = new EnumMap<>(WalkStage.class);
        int[] step = {0};
        // Partition-scoped reads before the process-table entry is read serve to find that entry;
        // everything after it is the 2-D walk proper.
        int[] prteWalk = {0};
        boolean[] afterPrte = {false};
        long result = core.explain(ea, kind, MSR_GUEST_VIRTUAL, (stage, level, gra, hra, entry) -> {
            counts.merge(stage, 1, Integer::sum);
            step[0]++;
            String where = stage == WalkStage.PARTITION_TABLE || stage == WalkStage.PARTITION_SCOPED
                    ? String.format("host real 0x%09x", hra)
                    : String.format("guest real 0x%09x = host real 0x%09x", gra, hra);
            String head = switch (stage) {
                case PARTITION_TABLE -> "partition table, LPID " + hv.lpid() + " dword " + level;
                case PROCESS_TABLE -> "process table, PID " + PID;
                case PROCESS_SCOPED -> "guest tree, level " + level;
                case PARTITION_SCOPED -> "  partition tree, level " + level;
            };
            lines.add(String.format("%3d  %-34s %-50s = 0x%016x  %s", step[0], head, where, entry,
                    meaning(stage, level, entry)));
            if (stage == WalkStage.PROCESS_TABLE) afterPrte[0] = true;
            if (stage == WalkStage.PARTITION_SCOPED && !afterPrte[0]) prteWalk[0]++;
        });
        if (result < 0) {
            out.println("the warm walk failed: " + core.fault());
            return 1;
        }
        out.println("the walk (no TLB, no page-walk cache), every table read in order:");
        out.println("  #  what is read                       where                                              value               meaning");
        for (String l : lines) out.println(l);
        out.println();
        RadixTranslator t = core.lastTranslation();
        out.printf("result:  EA 0x%x -> guest real 0x%x -> host real 0x%x%n", ea, t.guestRealAddress, result);
        out.printf("         guest page %s, partition-scoped page %s, TLB entry page size %s (the smaller)%n",
                PageSizes.name(t.processPageShift), PageSizes.name(t.partitionPageShift), PageSizes.name(t.pageShift));
        out.println();
        int pate = counts.getOrDefault(WalkStage.PARTITION_TABLE, 0);
        int prte = counts.getOrDefault(WalkStage.PROCESS_TABLE, 0);
        int guestReads = counts.getOrDefault(WalkStage.PROCESS_SCOPED, 0);
        int hostReads = counts.getOrDefault(WalkStage.PARTITION_SCOPED, 0);
        out.printf("  partition-table entry reads        %3d%n", pate);
        out.printf("  process-table entry reads          %3d%n", prte);
        out.printf("  guest (process-scoped) tree reads  %3d%n", guestReads);
        out.printf("  partition-scoped tree reads        %3d  (%d to find the process-table entry, %d for the guest's tables and the data)%n",
                hostReads, prteWalk[0], hostReads - prteWalk[0]);
        out.printf("  table reads of the 2-D walk        %3d  (%d guest entries, each found through the partition-scoped tree, "
                        + "then the data address's own partition-scoped walk)%n",
                guestReads + hostReads - prteWalk[0], guestReads);
        out.printf("references: %d%n", pate + prte + guestReads + hostReads);
        return 0;
    }

    private static String meaning(WalkStage stage, int level, long e) {
        if (stage == WalkStage.PARTITION_TABLE) {
            return level == 0
                    ? String.format("HR=%d, partition tree root 0x%x, %d-bit space", e >>> 63, RadixTreeRoot.rpdb(e), RadixTreeRoot.addressBits(e))
                    : String.format("GR=%d, process table at guest real 0x%x, %d bytes", e >>> 63,
                    PartitionTableEntry.prtb(e), PartitionTableEntry.processTableBytes(e));
        }
        if (stage == WalkStage.PROCESS_TABLE) {
            return String.format("guest tree root 0x%x (%d entries), %d-bit space", RadixTreeRoot.rpdb(e),
                    1 << RadixTreeRoot.rpds(e), RadixTreeRoot.addressBits(e));
        }
        if (!RadixEntry.valid(e)) return "not valid";
        if (RadixEntry.leaf(e)) {
            return String.format("PTE: page at 0x%x%s%s%s%s%s", RadixEntry.rpn(e),
                    (e & RadixEntry.READ) != 0 ? " R" : "", (e & RadixEntry.READ_WRITE) != 0 ? " RW" : "",
                    (e & RadixEntry.EXECUTE) != 0 ? " X" : "", RadixEntry.referenced(e) ? " ref" : "",
                    RadixEntry.changed(e) ? " chg" : "");
        }
        return String.format("PDE: next table at 0x%x (%d entries)", RadixEntry.nlb(e), 1 << RadixEntry.nls(e));
    }

    private static String access(int kind) {
        return kind == Mmu.LOAD ? "load" : kind == Mmu.STORE ? "store" : "instruction fetch";
    }

    private static String size(long bytes) {
        return bytes >= GIB ? (bytes / GIB) + " GiB" : (bytes >> 20) + " MiB";
    }

    private static int shift(String text, String option, boolean guest) {
        return switch (text.toUpperCase()) {
            case "4K" -> 12;
            case "64K" -> {
                if (!guest) throw new UserError(option + " 64K: host pages are 4K, 2M or 1G");
                yield 16;
            }
            case "2M" -> 21;
            case "1G" -> 30;
            default -> throw new UserError(option + " must be 4K, " + (guest ? "64K, " : "") + "2M or 1G, not '" + text + "'");
        };
    }

    private static long parseAddress(String text) {
        try {
            String t = text.replace("_", "");
            return t.startsWith("0x") || t.startsWith("0X") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseUnsignedLong(t);
        } catch (NumberFormatException e) {
            throw new UserError("bad address '" + text + "'");
        }
    }
}
