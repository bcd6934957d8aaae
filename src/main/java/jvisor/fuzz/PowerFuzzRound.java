package jvisor.fuzz;

import static jvisor.fuzz.PowerFuzzLayout.*;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import jvisor.hw.power.Lpcr;
import jvisor.hw.power.Msr;
import jvisor.hw.power.cpu.Spr;
import jvisor.kvm.CoalescedMmioRing;
import jvisor.kvm.Kvm;
import jvisor.kvm.RunExit;
import jvisor.kvm.Vm;
import jvisor.kvm.power.Hcall;
import jvisor.kvm.power.PartitionScopedMmu;
import jvisor.kvm.power.PowerVcpu;
import jvisor.memory.HostAddressSpace;
import jvisor.memory.MemorySlot;
import jvisor.memory.PageSizes;
import jvisor.memory.UserMemoryRegion;
import jvisor.vmm.Console;
import jvisor.vmm.CpuControl;
import jvisor.vmm.Hypercalls;
import jvisor.vmm.MmioBus;
import jvisor.vmm.MmioDevice;
import jvisor.vmm.MmioResult;
import jvisor.vmm.Rtas;
import jvisor.vmm.RtasService;
import jvisor.vmm.ShutdownListener;
import jvisor.vmm.Uart16550;

/**
 * One VM of the POWER campaign, from creation to teardown. The VMM part is the real one (the
 * console, {@link Hypercalls}, {@link Rtas}, an {@link MmioBus} with the UART and a scratch
 * device, the coalesced-MMIO ring), the run loop is the fuzzer's: each vCPU thread runs its vCPU
 * in portions of a random number of instructions, hands every exit to the VMM's handler, and
 * between portions now and then throws the vCPU somewhere else (another gadget, another MSR,
 * other base registers, another PID, a process-table registration). Meanwhile this thread plays
 * the host: MMU-notifier events on the guest's RAM (reclaim, migration, aging, a piece unmapped
 * and mapped again), changes to the guest's tables behind its back, dirty-log harvests, the
 * second slot deleted and added again, kicks (which also end H_CEDE sleeps), and rewrites of the
 * interrupt vectors in the byte order LPCR[ILE] asks for.
 */
final class PowerFuzzRound implements CpuControl, ShutdownListener {
    private static final long JOIN_MILLIS = 30_000;

    private final Kvm kvm;
    private final HostAddressSpace mm;
    private final SplittableRandom r;
    private final Tally tally;
    private final String where;
    private final Vm<PartitionScopedMmu> vm;
    private final long ramHva;
    private final long slot1Hva;
    private int slot1Flags;
    private final boolean ramLogged;
    private final boolean bigEndianCode;
    private final List<PowerVcpu> vcpus = new ArrayList<>();
    private final Hypercalls hypercalls;
    private final Rtas rtas;
    private final MmioBus bus = new MmioBus();
    private final PowerCodeGenerator.Program program;
    private final PowerGuestTables tables;
    private final ThreadLocal<PowerVcpu> current = new ThreadLocal<>();
    private final AtomicLong ops = new AtomicLong();
    private volatile boolean over;

    PowerFuzzRound(Kvm kvm, SplittableRandom r, Tally tally, String where) {
        this.kvm = kvm;
        this.mm = kvm.addressSpace();
        this.r = r;
        this.tally = tally;
        this.where = where;
        vm = kvm.createVm(PartitionScopedMmu.HV_RADIX);
        ramHva = mm.mmap(RAM, r.nextInt(3) == 0 ? HostAddressSpace.MAP_HUGE_2M : 0);
        ramLogged = r.nextBoolean();
        vm.setUserMemoryRegion(new UserMemoryRegion(0, ramLogged ? MemorySlot.LOG_DIRTY_PAGES : 0, 0, RAM, ramHva));
        slot1Hva = mm.mmap(SLOT1_SIZE, 0);
        slot1Flags = r.nextInt(3) == 0 ? MemorySlot.READONLY : r.nextBoolean() ? MemorySlot.LOG_DIRTY_PAGES : 0;
        vm.setUserMemoryRegion(new UserMemoryRegion(1, slot1Flags, SLOT1, SLOT1_SIZE, slot1Hva));

        Console console = Console.outputOnly(new PrintStream(OutputStream.nullOutputStream()));
        rtas = new Rtas(vm.guestMemory(), console, this, this);
        hypercalls = new Hypercalls(console, rtas);
        bus.register("uart", UART, 8, new Uart16550(console));
        bus.register("scratch", SCRATCH, SCRATCH_SIZE, new Scratch());
        if (r.nextBoolean()) vm.coalescedMmio().register(new CoalescedMmioRing.Zone(SCRATCH + SCRATCH_SIZE / 2, SCRATCH_SIZE / 2));

        bigEndianCode = r.nextInt(4) != 0;
        program = new PowerCodeGenerator(r).generate();
        byte[] code = PowerVectors.bytes(program.words(), !bigEndianCode);
        vm.guestMemory().write(CODE, code, 0, code.length);
        writeVectors(false);
        for (int b = 0; b < RTAS_BLOCK_COUNT; b++) writeRtasBlock(b);
        tables = new PowerGuestTables(vm.guestMemory(), r);
        count(tables.build());

        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) vcpus.add(PowerVcpu.create(vm, i));
    }

    /** Runs the round until about {@code budget} operations are done; then tears the VM down. */
    void run(long budget) {
        Workers workers = new Workers(tally, where);
        for (PowerVcpu v : vcpus) {
            SplittableRandom vr = r.split();
            if (v.id() == 0 || vr.nextBoolean()) perturb(v, vr, true);
            workers.start("power-vcpu-" + v.id(), () -> vcpuLoop(v, vr));
        }
        long kicks = 0;
        while (ops.get() < budget && !workers.allDone()) {
            for (int i = 0; i < 4; i++) host();
            if (++kicks % 4 == 0) for (PowerVcpu v : vcpus) v.kick();
            java.util.concurrent.locks.LockSupport.parkNanos(50_000);
        }
        over = true;
        if (!workers.join(JOIN_MILLIS, () -> vcpus.forEach(PowerVcpu::kick))) {
            tally.finding(where + ": a vCPU thread hung; the VM is left as it is (its frames count as leaked)");
            return;
        }
        bus.drain(vm.coalescedMmio());
        for (PowerVcpu v : vcpus) {
            tally.count("guest-instructions", v.core().instructions());
            v.destroy();
        }
        tally.count("partition-faults", vm.arch().statistics().mapped4k.sum() + vm.arch().statistics().mapped2m.sum());
        vm.destroy();
        mm.munmap(ramHva, RAM);
        mm.munmap(slot1Hva, SLOT1_SIZE);
    }

    private void count(long n) {
        ops.addAndGet(n);
        tally.ops(n);
    }

    // ------------------------------------------------------------------ a vCPU thread

    private void vcpuLoop(PowerVcpu v, SplittableRandom vr) {
        current.set(v);
        while (!over) {
            if (v.isStopped()) {
                if (vr.nextInt(8) != 0) {
                    // Stopped: wait a little for a start-cpu from another vCPU.
                    java.util.concurrent.locks.LockSupport.parkNanos(20_000);
                    continue;
                }
                perturb(v, vr, true); // a start-cpu from outside
            } else if (vr.nextInt(16) == 0 || lost(v)) {
                perturb(v, vr, false);
            }
            v.setRunLimit(vr.nextInt(4) == 0 ? 50 + vr.nextInt(500) : 500 + vr.nextInt(5_000));
            long before = v.core().instructions();
            RunExit e = v.run();
            count(v.core().instructions() - before + 1);
            bus.drain(vm.coalescedMmio());
            handle(v, vr, e);
        }
    }

    /**
     * Whether the guest wandered off its code: it runs (or its handler returns) to addresses
     * outside it, where every fetch faults and the handler steps on by one word at a time.
     */
    private static boolean lost(PowerVcpu v) {
        long mask = 0x0FFF_FFFF_FFFF_FFFFL; // real addresses ignore the top bits (and quadrant 3 is the same code)
        long pc = v.core().pc() & mask, srr0 = v.core().srr0() & mask;
        if (pc >= CODE && pc < CODE_END) return false;
        return pc >= HCALL_STUB + 8 || srr0 < CODE || srr0 >= CODE_END;
    }

    private void handle(PowerVcpu v, SplittableRandom vr, RunExit e) {
        switch (e) {
            case RunExit.Mmio m -> {
                tally.count("mmio-exits", 1);
                if (bus.handle(m) instanceof MmioResult.NoDevice nd) v.failMmio(nd.address());
            }
            case RunExit.Hypercall h -> {
                tally.count("user-hcalls", 1);
                hypercalls.handle(h);
            }
            case RunExit.Rtas rt -> {
                tally.count("rtas-calls", 1);
                rtas.handle(rt);
            }
            case RunExit.Shutdown s -> {
                tally.count("shutdowns", 1);
                perturb(v, vr, true);
            }
            case RunExit.InternalError err -> {
                // A clean stop of the vCPU with a message, as a VMM would report it: start again.
                tally.count("internal-errors", 1);
                perturb(v, vr, true);
            }
            case RunExit.ArmNisv _, RunExit.MemoryFault _ -> tally.finding("a POWER vCPU returned an exit of another engine: " + e);
            case RunExit.Interrupted i -> { }
            case RunExit.Debug d -> { }
            case RunExit.Osi o -> { }
        }
    }

    /**
     * Puts the vCPU somewhere new: with {@code restart} a fresh start (as start-cpu gives), else a
     * jump in its current life: another pc, MSR, base registers, PIDR, decrementer, or a
     * hypercall the host makes it issue.
     */
    private void perturb(PowerVcpu v, SplittableRandom vr, boolean restart) {
        long msr = PowerCodeGenerator.randomMsr(vr);
        if (!bigEndianCode) msr ^= Msr.LE;
        if (restart) v.start(program.randomStart(vr), vr.nextLong(), msr);
        var core = v.core();
        switch (vr.nextInt(8)) {
            case 0 -> {
                // H_REGISTER_PROCESS_TABLE as a guest kernel makes it at boot.
                core.setGpr(3, Hcall.H_REGISTER_PROCESS_TABLE);
                core.setGpr(4, vr.nextInt(8) == 0 ? vr.nextLong(32) : 0x1C | vr.nextInt(2));
                core.setGpr(5, PROCESS_TABLE);
                core.setGpr(6, 0);
                core.setGpr(7, PROCESS_TABLE_SIZE_LOG);
                core.setPc(HCALL_STUB);
                v.setMsr(Msr.SF | Msr.ME | (bigEndianCode ? 0 : Msr.LE));
                return;
            }
            case 1 -> core.writeSpr(Spr.PIDR, vr.nextInt(PowerGuestTables.PIDS + 2));
            case 2 -> core.writeSpr(Spr.DEC, vr.nextBoolean() ? vr.nextInt(100_000) : vr.nextLong());
            default -> { }
        }
        for (int reg : PowerCodeGenerator.BASE) core.setGpr(reg, PowerCodeGenerator.address(vr));
        if (!restart) {
            core.setPc(vr.nextInt(16) == 0 ? PowerCodeGenerator.address(vr) : program.randomStart(vr));
            v.setMsr(msr);
        }
    }

    // ------------------------------------------------------------------ the host's side

    private void host() {
        int k = r.nextInt(100);
        // A write of vectors, blocks or tables that meets a slot the host took away fails quietly;
        // a later round writes again.
        if (k < 45) {
            storm();
        } else if (k < 80) {
            count(tables.mutate());
        } else if (k < 86) {
            writeRtasBlock(r.nextInt((int) RTAS_BLOCK_COUNT));
        } else if (k < 90) {
            // H_SET_MODE may have switched the interrupt byte order: the handlers follow it.
            boolean le = (vcpus.get(0).core().mmuRegisters().lpcr & Lpcr.ILE) != 0;
            writeVectors(le);
        } else if (k < 94) {
            if (ramLogged) vm.getDirtyLog(0);
            if ((slot1Flags & MemorySlot.LOG_DIRTY_PAGES) != 0) vm.getDirtyLog(1);
            count(1);
        } else if (k < 96) {
            // The VMM deletes the second slot and adds it back, perhaps with other flags.
            vm.setUserMemoryRegion(new UserMemoryRegion(1, 0, SLOT1, 0, slot1Hva));
            slot1Flags = r.nextInt(3) == 0 ? MemorySlot.READONLY : r.nextBoolean() ? MemorySlot.LOG_DIRTY_PAGES : 0;
            vm.setUserMemoryRegion(new UserMemoryRegion(1, slot1Flags, SLOT1, SLOT1_SIZE, slot1Hva));
            count(2);
        } else {
            storm();
            storm();
        }
    }

    /** One MMU-notifier event on the guest's RAM or the second slot. */
    private void storm() {
        boolean ram = r.nextInt(6) != 0;
        long base = ram ? ramHva : slot1Hva, size = ram ? RAM : SLOT1_SIZE;
        long len = PageSizes.SIZE_4K << r.nextInt(8);
        long at = base + (r.nextLong(size - len) & ~(PageSizes.SIZE_4K - 1));
        switch (r.nextInt(9)) {
            case 0, 1, 2 -> mm.reclaim(at, len);
            case 3, 4 -> mm.migrate(at, Math.min(len, 16 * PageSizes.SIZE_4K));
            case 5, 6 -> mm.clearYoung(at, len);
            case 7 -> mm.testYoung(at);
            default -> {
                // MADV_DONTNEED-like: a piece of the mapping goes and comes back empty.
                if (mm.findVma(at).pageShift() == PageSizes.SHIFT_4K) {
                    mm.munmap(at, len);
                    mm.mmapFixed(at, len, 0);
                }
            }
        }
        count(1);
        tally.count("notifier-events", 1);
    }

    private void writeVectors(boolean littleEndian) {
        byte[] b = PowerVectors.bytes(PowerVectors.words(), littleEndian);
        vm.guestMemory().write(0, b, 0, b.length);
        count(1);
    }

    /** An RTAS argument block: a real service or a random token, plausible or absurd counts and arguments. */
    private void writeRtasBlock(int i) {
        RtasService[] services = RtasService.values();
        int token = r.nextInt(5) == 0 ? r.nextInt() : services[r.nextInt(services.length)].token;
        if (token == RtasService.POWER_OFF.token && r.nextInt(4) != 0) token = RtasService.DISPLAY_CHARACTER.token;
        int nargs = r.nextInt(8) == 0 ? r.nextInt() : r.nextInt(9);
        int nret = r.nextInt(8) == 0 ? r.nextInt() : r.nextInt(9);
        byte[] b = new byte[(int) RTAS_BLOCK_SIZE];
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b);
        bb.putInt(token).putInt(nargs).putInt(nret);
        while (bb.remaining() >= 4) {
            bb.putInt(switch (r.nextInt(5)) {
                case 0 -> r.nextInt(4);                        // a server number
                case 1 -> (int) program.randomStart(r);        // an entry point
                case 2 -> 1970 + r.nextInt(200);               // a year, a day...
                default -> r.nextInt();
            });
        }
        vm.guestMemory().write(RTAS_BLOCKS + RTAS_BLOCK_SIZE * i, b, 0, b.length);
        count(1);
    }

    // ------------------------------------------------------------------ CpuControl, ShutdownListener

    @Override
    public int startCpu(int server, long entry, long r3) {
        PowerVcpu v = server >= 0 && server < vcpus.size() ? vcpus.get(server) : null;
        if (v == null) return Rtas.PARAMETER_ERROR;
        if (!v.isStopped()) return Rtas.HARDWARE_ERROR;
        v.start(entry, r3, Msr.SF | Msr.ME);
        return Rtas.SUCCESS;
    }

    @Override
    public void stopSelf() {
        PowerVcpu v = current.get();
        if (v != null) v.stop();
    }

    @Override
    public int queryStopped(int server) {
        if (server < 0 || server >= vcpus.size()) return -1;
        return vcpus.get(server).isStopped() ? STOPPED : RUNNING;
    }

    @Override
    public void shutdown(String reason, int status) {
        // Power-off: the fuzzer counts it; the vCPUs are started again by their threads.
        tally.count("power-offs", 1);
    }

    /** A device that reads back what was written. */
    private static final class Scratch implements MmioDevice {
        private final byte[] bytes = new byte[(int) SCRATCH_SIZE];

        @Override
        public synchronized void read(long offset, byte[] data, int length) {
            System.arraycopy(bytes, (int) offset, data, 0, length);
        }

        @Override
        public synchronized void write(long offset, byte[] data, int length) {
            System.arraycopy(data, 0, bytes, (int) offset, length);
        }
    }
}
