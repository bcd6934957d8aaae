package jvisor.kvm.power;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import jvisor.hw.power.InterruptVector;
import jvisor.hw.power.MmuRegisters;
import jvisor.hw.power.RadixMmu;
import jvisor.hw.power.RadixTlbControl;
import jvisor.hw.power.RadixTlbDomain;
import jvisor.hw.power.Srr1;
import jvisor.hw.power.Tlbie;
import jvisor.hw.power.cpu.Core;
import jvisor.hw.power.cpu.CpuTables;
import jvisor.hw.power.cpu.DebugPoints;
import jvisor.hw.power.cpu.Exit;
import jvisor.hw.power.Msr;
import jvisor.kvm.MemoryCache;
import jvisor.kvm.RunExit;
import jvisor.kvm.Vcpu;
import jvisor.kvm.Vm;

/**
 * A POWER9 vCPU of a radix guest (KVM's kvm_vcpu with the Book3S HV run loop), the
 * {@link Vcpu} that executes guest code on its own core: {@link #run()} runs it until something
 * needs user space, and returns a {@link RunExit}; the next {@code run()} completes what user
 * space answered (an MMIO load's data, a hypercall's return values) and goes on.
 *
 * <p>In the hypervisor, as KVM does, each in its own class: partition-scoped faults and MMIO
 * emulation ({@link MmioEmulation}), the hypercalls it answers itself ({@link PseriesHcalls}),
 * the XICS server ({@link XicsServer}), KVM's paravirtual {@code sc} and OSI
 * ({@link ParavirtCalls}), guest debugging ({@link VcpuDebug}), sleeping and waking
 * ({@link VcpuWake}). Here: the run loop, and what ends H_CEDE (the decrementer, IPIs), stop and
 * start. Console, RTAS and unknown hypercalls go to
 * user space.
 *
 * <p>One thread runs a vCPU; {@link #setIrq}, {@link #kick} and IPIs may come from any thread.
 */
public final class PowerVcpu implements Vcpu {
    /** Instructions per slice of core time; between slices the vCPU looks for kicks and stops. */
    private static final long SLICE = 1 << 20;

    private final int id;
    final Vm<PartitionScopedMmu> vm;
    /** The partition-scoped MMU of this vCPU's VM (KVM's kvm->arch). */
    final PartitionScopedMmu partitionMmu;
    /** Table pages for this vCPU's partition-scoped faults, topped up before the MMU lock is taken. */
    private final MemoryCache tableCache;
    final PowerVmState shared;
    final MmuRegisters regs = new MmuRegisters();
    private final RadixMmu mmu;
    private final Core core;
    private final PseriesHcalls pseriesHcalls;
    private final RadixTlbDomain.Listener flushListener;

    private final MmioEmulation mmio;
    private final ParavirtCalls paravirt;
    private final XicsServer xics;

    // What the last exit left for the next run to complete (an MMIO load: see MmioEmulation).
    private RunExit pending;
    private volatile boolean osiEnabled;

    private final VcpuDebug debug;

    // Sleeping (H_CEDE, stopped) and waking; the conditions made once, not per sleep.
    private final VcpuWake wake = new VcpuWake();
    private final BooleanSupplier ceding, stoppedNotKicked;
    private final LongSupplier decrementerNanos;
    volatile boolean stopped;
    private volatile boolean kicked;
    private volatile boolean lpcrReload = true;

    // H_REGISTER_VPA
    final VpaRegistration vpa = new VpaRegistration();

    private final VcpuStatistics stats = new VcpuStatistics();
    /**
     * The core's instructions, those translated code ran, and those quick regions ran, as of the
     * run loop's last return here (at most a slice ago): for another thread to read while the vCPU
     * runs (the run's timeline in --stats). The core's own counters are this thread's alone.
     * Published in that order and read in the other, so that each count read is at least the
     * next one's of the same return: no share comes out above 100% or below 0.
     */
    private final AtomicLong instructionsSeen = new AtomicLong(), translatedSeen = new AtomicLong(),
            quickSeen = new AtomicLong(), nativeSeen = new AtomicLong();

    private PowerVcpu(Vm<PartitionScopedMmu> vm, int id, PowerVmState shared) {
        this.vm = vm;
        this.id = id;
        this.partitionMmu = vm.arch();
        this.tableCache = new MemoryCache(vm.physicalMemory(), 2 * PartitionScopedMmu.MAX_NEW_TABLES);
        this.shared = shared;
        regs.lpidr = partitionMmu.lpid();
        regs.ptcr = partitionMmu.host().ptcr();
        regs.lpcr = shared.lpcr;
        this.mmu = new RadixMmu(regs, vm.physicalMemory(), partitionMmu.host().tlbDomain());
        this.core = new Core(vm.physicalMemory(), mmu, regs, new RadixTlbControl(mmu), shared.time,
                shared.reservations, shared.decodeCache, id);
        this.pseriesHcalls = new PseriesHcalls(this);
        this.mmio = new MmioEmulation(core, vm, regs);
        this.paravirt = new ParavirtCalls(this);
        this.xics = new XicsServer(this);
        this.debug = new VcpuDebug(core);
        // Whoever invalidates translations (the hypervisor unmapping, another vCPU's tlbie) must
        // know this core dropped its cached ones before it frees or reuses the page.
        this.flushListener = new RadixTlbDomain.Listener() {
            @Override
            public void invalidated(Tlbie t) {
                core.translationsInvalidatedAndWait(t.processScoped());
            }

            @Override
            public void synchronize() {
                core.translationsInvalidatedAndWait(true);
            }
        };
        partitionMmu.host().tlbDomain().addListener(flushListener);
        core.setInterceptSystemCalls(true);
        // H_CEDE sleeps until the decrementer goes negative, an interrupt is raised, an IPI
        // arrives, or the vCPU is kicked or stopped.
        this.ceding = () -> !kicked && !stopped && !xics.lineUp() && !lpcrReload && core.decrementerValue() >= 0;
        this.decrementerNanos = () -> Math.max(1000,
                core.decrementerValue() * 1_000_000_000L / jvisor.hw.power.cpu.TimeSource.FREQUENCY);
        this.stoppedNotKicked = () -> stopped && !kicked;
    }

    /** KVM_ENABLE_CAP on the vCPU: only OSI can be enabled. */
    public void enableCap(jvisor.kvm.Capability cap) {
        if (cap != jvisor.kvm.Capability.PPC_OSI) {
            throw new jvisor.kvm.KvmException(jvisor.kvm.KvmException.Errno.EINVAL, cap + " cannot be enabled on a vCPU");
        }
        osiEnabled = true;
    }

    /**
     * Builds what every vCPU of the JVM shares (the decoder's and dispatcher's tables) on a thread
     * of its own, for a VMM that knows early that it will create vCPUs. {@link #create} asks too.
     */
    public static void prepareInBackground() {
        CpuTables.prepareInBackground();
    }

    /** KVM_CREATE_VCPU: vCPU {@code id} (its PIR and XICS server number), stopped until started. */
    public static PowerVcpu create(Vm<PartitionScopedMmu> vm, int id) {
        // While the VMM loads the guest, the CPU's tables are built beside it.
        CpuTables.prepareInBackground();
        PowerVmState shared = PowerVmState.of(vm);
        if (shared.vcpu(id) != null) throw new IllegalArgumentException("vCPU " + id + " exists");
        if (shared.vcpus.size() >= PowerVmState.MAX_VCPUS) throw new IllegalArgumentException("too many vCPUs");
        PowerVcpu v = new PowerVcpu(vm, id, shared);
        shared.vcpus.add(v);
        v.stopped = true;
        return v;
    }

    @Override
    public int id() {
        return id;
    }

    /** {@link Core#instructions()} as of the run loop's last return, from any thread. */
    public long instructionsSeen() {
        return instructionsSeen.getAcquire();
    }

    /** {@link Core#translatedInstructions()} as of the run loop's last return, from any thread. */
    public long translatedSeen() {
        return translatedSeen.getAcquire();
    }

    /** {@link Core#quickInstructions()} as of the run loop's last return, from any thread. */
    public long quickSeen() {
        return quickSeen.getAcquire();
    }

    /**
     * The instructions native blocks ran ({@code core.natives().instructions()}) as of the run
     * loop's last return, from any thread: published after the instruction count, so read first.
     */
    public long nativeSeen() {
        return nativeSeen.getAcquire();
    }

    public Core core() {
        return core;
    }

    public RadixMmu mmu() {
        return mmu;
    }

    public VcpuStatistics statistics() {
        return stats;
    }

    public PowerVmState shared() {
        return shared;
    }

    // ------------------------------------------------------------------ control from user space

    /**
     * Sets the entry state and lets the vCPU run: at {@code entry} with r3 = {@code r3}, the given
     * MSR less the hypervisor's bits (see {@link #setMsr}), other GPRs 0 (the boot CPU, or RTAS
     * start-cpu for a secondary).
     */
    public void start(long entry, long r3, long msr) {
        wake.signalAfter(() -> {
            for (int i = 0; i < 32; i++) core.setGpr(i, 0);
            core.setGpr(3, r3);
            core.setMsr(guestMsr(msr));
            core.setPc(entry);
            mmio.reset();
            pending = null;
            stopped = false;
        });
    }

    /**
     * KVM_SET_ONE_REG of the MSR, between runs: the MSR the guest resumes with. As on entry, the
     * bits only the hypervisor may hold (HV, S) are cleared: a guest never runs in hypervisor
     * state, whatever user space asks, or its real-mode accesses would reach host real memory
     * without the partition-scoped translation.
     */
    public void setMsr(long msr) {
        core.setMsr(guestMsr(msr));
    }

    private static long guestMsr(long msr) {
        return msr & ~(Msr.HV | Msr.S);
    }

    /**
     * KVM_SET_GUEST_DEBUG: with {@code singleStep} each {@link #run()} executes one instruction
     * (asynchronous interrupts held off) and returns {@link RunExit.Debug} with cause STEP;
     * {@code points} are the breakpoints and watchpoints that end a run with a debug exit (null:
     * none). Between runs only, from the thread that runs this vCPU.
     */
    public void setGuestDebug(boolean singleStep, DebugPoints points) {
        debug.set(singleStep, points);
    }

    /**
     * KVM_TRANSLATE: the guest real address of data address {@code ea} as this vCPU sees it now,
     * or -1 if the guest's tables do not map it. With MSR[DR]=1 this is a software walk of the
     * guest's process-scoped tables (not the TLB, and without the guest's permission checks: a
     * debugger reads what the guest could not); with DR=0 the real address.
     */
    public long translate(long ea) {
        return mmio.guestRealAddress(ea, Msr.DR);
    }

    /** RTAS stop-self: the vCPU stops at the end of the current exit and sleeps until started. */
    public void stop() {
        stopped = true;
    }

    public boolean isStopped() {
        return stopped;
    }

    /**
     * Completes what the last exit left for the next run (an MMIO load's data, a hypercall's or
     * RTAS call's results), as KVM_RUN with {@code immediate_exit} set does before a VMM saves the
     * vCPU: afterwards every effect of that exit is in the registers. Between runs only, on the
     * thread that runs this vCPU.
     */
    public void completePendingExit() {
        completePending();
    }

    /** Drives the external interrupt line again from the restored device level and presenter. */
    void restoredInterruptState() {
        xics.restored();
        requestLpcrReload();
    }

    /** Makes {@link #run()} return {@link RunExit.Interrupted} soon (KVM's immediate exit / signal). */
    @Override
    public void kick() {
        kicked = true;
        core.requestExit();
        signal();
    }

    /** The level of the external interrupt line from a device (KVM_INTERRUPT / unset-irq). */
    public void setIrq(boolean level) {
        xics.setDeviceLevel(level);
    }

    void requestLpcrReload() {
        lpcrReload = true;
        core.requestExit();
        signal();
    }

    void signal() {
        wake.signal();
    }

    // ------------------------------------------------------------------ the run loop

    /** KVM_RUN. */
    @Override
    public RunExit run() {
        RunExit e = runLoop();
        stats.exit(e);
        return e;
    }

    /**
     * Most guest instructions one {@link #run()} executes before it returns
     * {@link RunExit.Interrupted}; 0 for no limit. KVM has no such knob; a VMM that steps its
     * guest in measured portions (a fuzzer, a debugger) sets it, and gets the same portion
     * whatever the timing of other threads.
     */
    public void setRunLimit(long instructions) {
        runLimit = Math.max(0, instructions);
    }

    private volatile long runLimit;

    private RunExit runLoop() {
        completePending();
        long limit = runLimit, first = core.instructions();
        RunExit stepped = debug.afterCompletion();
        if (stepped != null) return stepped;
        while (true) {
            if (kicked) {
                kicked = false;
                return RunExit.Interrupted.INSTANCE;
            }
            if (stopped) {
                wake.sleep(stoppedNotKicked);
                if (kicked) {
                    kicked = false;
                    return RunExit.Interrupted.INSTANCE;
                }
                continue;
            }
            if (lpcrReload) {
                lpcrReload = false;
                regs.lpcr = shared.lpcr;
                core.translationRegistersChanged();
            }
            long slice = SLICE;
            if (limit > 0) {
                long left = limit - (core.instructions() - first);
                if (left <= 0) return RunExit.Interrupted.INSTANCE;
                slice = Math.min(slice, left);
            }
            long pcBefore = core.pc(), counted = core.instructions();
            int code = debug.singleStep() ? core.step() : core.run(slice);
            instructionsSeen.setRelease(core.instructions());
            translatedSeen.setRelease(core.translatedInstructions());
            quickSeen.setRelease(core.quickInstructions());
            nativeSeen.setRelease(core.natives().instructions());
            RunExit exit = switch (code) {
                case Exit.INSTRUCTION_LIMIT, Exit.INTERRUPTED -> null;
                case Exit.HYPERCALL -> pending = pseriesHcalls.dispatch();
                case Exit.SYSTEM_CALL -> pending = paravirt.systemCall(osiEnabled);
                case Exit.HDSI, Exit.HISI -> mmio.pageFault(partitionMmu.handlePageFault(core.hypervisorFault(), tableCache));
                case Exit.HYPERVISOR_EMULATION_ASSIST -> {
                    // Hypervisor resources (SPRs, hrfid, msgsnd, tlbie without GTSE, ...) and SPR
                    // numbers the architecture traps: the guest gets the privileged-instruction
                    // program interrupt, which is what QEMU's pseries reflects (its emulation
                    // assistance becomes a program interrupt with the privileged reason).
                    core.deliverInterrupt(InterruptVector.PROGRAM, Srr1.PRIVILEGED, 0, 0);
                    yield null;
                }
                case Exit.STOPPED -> new RunExit.Shutdown(core.exitMessage(), 1);
                case Exit.DEBUG -> debug.hit(core.debugHit());
                default -> new RunExit.InternalError(core.exitMessage().isEmpty()
                        ? "core exit " + Exit.name(code) : core.exitMessage());
            };
            stepped = debug.afterStep(code, exit, pcBefore, counted);
            if (stepped != null) return stepped;
            if (exit != null) return exit;
        }
    }

    private void completePending() {
        mmio.complete();
        RunExit p = pending;
        pending = null;
        switch (p) {
            case RunExit.Hypercall h -> {
                core.setGpr(3, h.ret()[0]);
                for (int i = 0; i < h.args().length; i++) core.setGpr(4 + i, h.args()[i]);
            }
            case RunExit.Rtas r -> core.setGpr(3, r.ret()[0]);
            case RunExit.Osi o -> {
                for (int i = 0; i < 32; i++) core.setGpr(i, o.gprs()[i]);
            }
            case null, default -> { }
        }
    }

    /**
     * User space found no device behind the last MMIO exit: the access ends in a machine check
     * (see {@link MmioEmulation#fail}); {@code address} is the guest physical address it reported.
     */
    public void failMmio(long address) {
        mmio.fail();
    }

    /** Where a guest asked for KVM's magic page (recorded, not provided). */
    long magicPagePa() {
        return paravirt.magicPagePa();
    }

    /** This vCPU's XICS server. */
    XicsServer xics() {
        return xics;
    }

    // ------------------------------------------------------------------ hypercalls

    /**
     * H_CEDE: the guest is idle. External interrupts are enabled as PAPR says, and the vCPU sleeps
     * until the decrementer goes negative, an interrupt is raised, an IPI arrives, or it is kicked.
     */
    void cede() {
        stats.cede();
        core.setMsr(core.msr() | Msr.EE);
        vpa.bumpDispatchCount(vm.guestMemory());
        wake.cede(ceding, decrementerNanos);
        vpa.bumpDispatchCount(vm.guestMemory());
    }

    /** H_PROD: wakes this vCPU from H_CEDE, or makes its next H_CEDE return at once. */
    void prod() {
        wake.prod();
    }

    /** H_SIGNAL_SYS_RESET: a system reset interrupt at this vCPU's next instruction, waking it if it cedes. */
    void systemReset() {
        core.requestSystemReset();
        prod();
    }

    /** Tears the vCPU down: it leaves the tlbie domain and gives its cached table pages back. */
    public void destroy() {
        partitionMmu.host().tlbDomain().removeListener(flushListener);
        partitionMmu.host().tlbDomain().leave(mmu);
        shared.vcpus.remove(this);
        tableCache.free();
    }
}
