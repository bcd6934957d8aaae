package jvisor.kvm.power;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import jvisor.hw.power.MmuRegisters;
import jvisor.hw.power.RadixMmu;
import jvisor.hw.power.RadixTlbControl;
import jvisor.hw.power.Tlbie;
import jvisor.hw.power.cpu.Core;
import jvisor.hw.power.cpu.DebugPoints;
import jvisor.hw.power.cpu.Exit;
import jvisor.hw.power.cpu.Msr;
import jvisor.kvm.RunExit;
import jvisor.kvm.Vm;
import jvisor.memory.GuestMemory;
import jvisor.memory.GuestMemoryFault;

/**
 * A POWER9 vCPU of a radix guest (KVM's kvm_vcpu with the Book3S HV run loop): {@link #run()}
 * executes guest code on its core until something needs user space, and returns a
 * {@link RunExit}; the next {@code run()} completes what user space answered (an MMIO load's
 * data, a hypercall's return values) and goes on.
 *
 * <p>In the hypervisor, as KVM does: partition-scoped faults (HDSI/HISI) through
 * {@link PartitionScopedMmu}, MMIO decoding (fetching the instruction through a software walk of
 * the guest's tables when its MMU is on), H_CEDE with the decrementer and IPIs waking it, the
 * XICS presentation controller, H_SET_MODE, H_REGISTER_PROCESS_TABLE, H_REGISTER_VPA,
 * H_PAGE_INIT, H_SET_SPRG0, H_RANDOM. Console, RTAS and unknown hypercalls go to user space.
 *
 * <p>One thread runs a vCPU; {@link #setIrq}, {@link #kick} and IPIs may come from any thread.
 */
public final class PowerVcpu {
    /** Instructions per slice of core time; between slices the vCPU looks for kicks and stops. */
    private static final long SLICE = 1 << 20;
    private static final long SRR1_MC_LOAD_STORE = 1L << 21, SRR1_ILLEGAL = 1L << 19, SRR1_PRIVILEGED = 1L << 18;
    private static final long DSISR_STORE = 0x0200_0000L;
    /** HSRR1 bits an HISI reports, in DSISR positions (MSB 33:36, 42:47). */
    private static final long HISI_BITS = 0x783F_0000L;

    private final int id;
    final Vm<PartitionScopedMmu> vm;
    /** The partition-scoped MMU of this vCPU's VM (KVM's kvm->arch). */
    final PartitionScopedMmu hv;
    final PowerVmState shared;
    final MmuRegisters regs = new MmuRegisters();
    private final RadixMmu mmu;
    private final Core core;
    private final PseriesHcalls pseriesHcalls;
    private final Consumer<Tlbie> flushListener;

    // What the last exit left for the next run to complete.
    private MmioInstruction pendingMmio;
    private RunExit.Mmio pendingMmioExit;
    private long pendingEa;
    /** Effective address of the last MMIO access: the DAR if no device answers it. */
    private long lastMmioEa;
    private RunExit.Hypercall pendingHcall;
    private RunExit.Rtas pendingRtas;
    private RunExit.Osi pendingOsi;
    private volatile boolean osiEnabled;

    // KVM_SET_GUEST_DEBUG: single step; a step whose instruction went to user space ends on the next run.
    private boolean singleStep;
    private boolean stepEndsAfterCompletion;

    // Sleeping (H_CEDE, stopped) and waking.
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    volatile boolean stopped;
    private volatile boolean kicked;
    private volatile boolean lpcrReload = true;
    volatile boolean irqLevel;

    // XICS presentation controller of this server (guarded by this).
    final XicsPresenter icp = new XicsPresenter();
    /** The presentation controller presents a source (an IPI or a device's): the external line. */
    private volatile boolean xicsPresenting;

    // H_REGISTER_VPA, H_PROD
    final VpaRegistration vpa = new VpaRegistration();
    private volatile boolean prodded;

    private final VcpuStatistics stats = new VcpuStatistics();

    private PowerVcpu(Vm<PartitionScopedMmu> vm, int id, PowerVmState shared) {
        this.vm = vm;
        this.id = id;
        this.hv = vm.arch();
        this.shared = shared;
        regs.lpidr = hv.lpid();
        regs.ptcr = hv.host().ptcr();
        regs.lpcr = shared.lpcr;
        this.mmu = new RadixMmu(regs, vm.physicalMemory(), hv.host().tlbDomain());
        this.core = new Core(vm.physicalMemory(), mmu, regs, new RadixTlbControl(mmu), shared.time,
                shared.reservations, shared.decodeCache, id);
        this.pseriesHcalls = new PseriesHcalls(this);
        // Whoever invalidates translations (the hypervisor unmapping, another vCPU's tlbie) must
        // know this core dropped its cached ones before it frees or reuses the page.
        this.flushListener = t -> core.flushTranslationsAndWait();
        hv.host().tlbDomain().addListener(flushListener);
        core.setInterceptSystemCalls(true);
    }

    /** KVM_ENABLE_CAP on the vCPU: only OSI can be enabled. */
    public void enableCap(jvisor.kvm.Capability cap) {
        if (cap != jvisor.kvm.Capability.PPC_OSI) {
            throw new jvisor.kvm.KvmException(jvisor.kvm.KvmException.Errno.EINVAL, cap + " cannot be enabled on a vCPU");
        }
        osiEnabled = true;
    }

    /** KVM_CREATE_VCPU: vCPU {@code id} (its PIR and XICS server number), stopped until started. */
    public static PowerVcpu create(Vm<PartitionScopedMmu> vm, int id) {
        PowerVmState shared = PowerVmState.of(vm);
        if (shared.vcpu(id) != null) throw new IllegalArgumentException("vCPU " + id + " exists");
        if (shared.vcpus.size() >= PowerVmState.MAX_VCPUS) throw new IllegalArgumentException("too many vCPUs");
        PowerVcpu v = new PowerVcpu(vm, id, shared);
        shared.vcpus.add(v);
        v.stopped = true;
        return v;
    }

    public int id() {
        return id;
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
        lock.lock();
        try {
            for (int i = 0; i < 32; i++) core.setGpr(i, 0);
            core.setGpr(3, r3);
            core.setMsr(guestMsr(msr));
            core.setPc(entry);
            pendingMmio = null;
            pendingHcall = null;
            pendingRtas = null;
            stopped = false;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
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
        this.singleStep = singleStep;
        core.setDebugPoints(points);
    }

    /**
     * KVM_TRANSLATE: the guest real address of data address {@code ea} as this vCPU sees it now,
     * or -1 if the guest's tables do not map it. With MSR[DR]=1 this is a software walk of the
     * guest's process-scoped tables (not the TLB, and without the guest's permission checks: a
     * debugger reads what the guest could not); with DR=0 the real address.
     */
    public long translate(long ea) {
        long msr = core.msr();
        if ((msr & Msr.DR) == 0) return ea & REAL_ADDRESS_MASK;
        GuestTranslation t = GuestPageTableWalk.xlate(vm.guestMemory(), hv.processTable(), regs.pidr, msr,
                regs.amr, regs.iamr, ea);
        return t.ok() ? t.gpa() : -1;
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
        updateExternal();
        requestLpcrReload();
    }

    /** Makes {@link #run()} return {@link RunExit.Interrupted} soon (KVM's immediate exit / signal). */
    public void kick() {
        kicked = true;
        core.requestExit();
        signal();
    }

    /** The level of the external interrupt line from a device (KVM_INTERRUPT / unset-irq). */
    public void setIrq(boolean level) {
        irqLevel = level;
        updateExternal();
    }

    void requestLpcrReload() {
        lpcrReload = true;
        core.requestExit();
        signal();
    }

    private void signal() {
        lock.lock();
        try {
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ the run loop

    /** KVM_RUN. */
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
        if (stepEndsAfterCompletion) {
            stepEndsAfterCompletion = false;
            if (singleStep) return stepped();
        }
        while (true) {
            if (kicked) {
                kicked = false;
                return new RunExit.Interrupted();
            }
            if (stopped) {
                if (!sleepWhileStopped()) return new RunExit.Interrupted();
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
                if (left <= 0) return new RunExit.Interrupted();
                slice = Math.min(slice, left);
            }
            long pcBefore = core.pc(), counted = core.instructions();
            int code = singleStep ? core.step() : core.run(slice);
            RunExit exit = switch (code) {
                case Exit.INSTRUCTION_LIMIT, Exit.INTERRUPTED -> null;
                case Exit.HYPERCALL -> hypercall();
                case Exit.SYSTEM_CALL -> systemCall();
                case Exit.HDSI -> pageFault(hv.handlePageFault(core.hdar(), core.hdsisr(), core.asdr(), false), false);
                case Exit.HISI -> pageFault(hv.handlePageFault(core.pc(), core.hsrr1() & HISI_BITS, core.asdr(), true), true);
                case Exit.HYPERVISOR_EMULATION_ASSIST -> {
                    // Hypervisor resources (SPRs, hrfid, msgsnd, tlbie without GTSE, ...) and SPR
                    // numbers the architecture traps: the guest gets the privileged-instruction
                    // program interrupt, which is what QEMU's pseries reflects (its emulation
                    // assistance becomes a program interrupt with the privileged reason).
                    core.deliverInterrupt(0x700, SRR1_PRIVILEGED, 0, 0);
                    yield null;
                }
                case Exit.STOPPED -> new RunExit.Shutdown(core.exitMessage(), 1);
                case Exit.DEBUG -> debugExit(core.debugHit());
                default -> new RunExit.InternalError(core.exitMessage().isEmpty()
                        ? "core exit " + Exit.name(code) : core.exitMessage());
            };
            if (singleStep && code != Exit.DEBUG) {
                if (exit == null && stepRetired(code, pcBefore, counted)) return stepped();
                // An MMIO load or a hypercall for user space: the instruction ends when the next
                // run completes it, and that run reports the step.
                if (exit instanceof RunExit.Mmio || exit instanceof RunExit.Hypercall
                        || exit instanceof RunExit.Rtas || exit instanceof RunExit.Osi) {
                    stepEndsAfterCompletion = true;
                }
            }
            if (exit != null) return exit;
        }
    }

    /** Mask of a real address: the guest's EA bits 0:3 are ignored in real mode. */
    private static final long REAL_ADDRESS_MASK = 0x0FFF_FFFF_FFFF_FFFFL;

    /**
     * Whether a single step's run finished its instruction (or the synchronous interrupt it caused):
     * the instruction limit says so, as does an exit the hypervisor handled for it (a hypercall, an
     * emulation assist reflected as a program interrupt, a partition-scoped fault reflected into
     * the guest, which moved pc to the vector). A fault resolved in the hypervisor leaves pc at the
     * instruction, which is retried; an exit request may come before or after the instruction.
     */
    private boolean stepRetired(int code, long pcBefore, long counted) {
        return switch (code) {
            case Exit.INSTRUCTION_LIMIT, Exit.HYPERCALL, Exit.SYSTEM_CALL, Exit.HYPERVISOR_EMULATION_ASSIST -> true;
            case Exit.INTERRUPTED -> core.instructions() != counted;
            case Exit.HDSI, Exit.HISI -> core.pc() != pcBefore;
            default -> false;
        };
    }

    private RunExit stepped() {
        return new RunExit.Debug(core.pc(), RunExit.Debug.Cause.STEP, core.pc());
    }

    private RunExit debugExit(DebugPoints.Hit hit) {
        RunExit.Debug.Cause cause = switch (hit.kind()) {
            case DebugPoints.WATCH_WRITE -> RunExit.Debug.Cause.WATCH_WRITE;
            case DebugPoints.WATCH_READ -> RunExit.Debug.Cause.WATCH_READ;
            case DebugPoints.WATCH_ACCESS -> RunExit.Debug.Cause.WATCH_ACCESS;
            default -> RunExit.Debug.Cause.BREAKPOINT;
        };
        return new RunExit.Debug(core.pc(), cause, hit.address());
    }

    private boolean sleepWhileStopped() {
        lock.lock();
        try {
            while (stopped && !kicked) {
                wake.await(100, TimeUnit.MILLISECONDS);
            }
            return !kicked;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void completePending() {
        if (pendingMmio != null) {
            MmioInstruction m = pendingMmio;
            pendingMmio = null;
            core.setGpr(m.rt(), m.loadValue(pendingMmioExit.data(), (core.msr() & Msr.LE) != 0));
            if (m.update()) core.setGpr(m.ra(), pendingEa);
            core.setPc(core.pc() + 4);
        }
        if (pendingHcall != null) {
            RunExit.Hypercall h = pendingHcall;
            pendingHcall = null;
            core.setGpr(3, h.ret()[0]);
            for (int i = 0; i < h.args().length; i++) core.setGpr(4 + i, h.args()[i]);
        }
        if (pendingRtas != null) {
            core.setGpr(3, pendingRtas.ret()[0]);
            pendingRtas = null;
        }
        if (pendingOsi != null) {
            long[] g = pendingOsi.gprs();
            for (int i = 0; i < 32; i++) core.setGpr(i, g[i]);
            pendingOsi = null;
        }
    }

    // ------------------------------------------------------------------ partition-scoped faults and MMIO

    private RunExit pageFault(PageFaultResult r, boolean fetch) {
        return switch (r) {
            case PageFaultResult.Resume res -> null;
            case PageFaultResult.ReflectDataStorage d -> {
                core.deliverInterrupt(0x300, 0, d.dar(), d.dsisr());
                yield null;
            }
            case PageFaultResult.ReflectInstructionStorage i -> {
                core.deliverInterrupt(0x400, i.srr1() & HISI_BITS, 0, 0);
                yield null;
            }
            case PageFaultResult.FetchFromNowhere f -> {
                machineCheck(0, 0);
                yield null;
            }
            case PageFaultResult.Mmio m -> mmio(m);
            case PageFaultResult.Error err -> new RunExit.InternalError(err.message());
        };
    }

    /**
     * Emulates a load or store to device memory: fetch the instruction (through the guest's own
     * tables if its MMU is on), decode it, and exit with the access; a store is complete at once,
     * a load when user space has put the device's answer in the exit's buffer.
     */
    private RunExit mmio(PageFaultResult.Mmio m) {
        int word;
        try {
            word = fetchInstruction(core.pc());
        } catch (GuestMemoryFault e) {
            return new RunExit.InternalError(String.format("MMIO at 0x%x: cannot fetch the instruction at 0x%x (%s)",
                    m.gpa(), core.pc(), e.getMessage()));
        }
        MmioInstruction insn = MmioInstruction.decode(word);
        if (insn == null) {
            core.deliverInterrupt(0x700, SRR1_ILLEGAL, 0, 0);
            return null;
        }
        if (insn.floating()) {
            return new RunExit.InternalError(String.format(
                    "MMIO at 0x%x by a floating-point load/store (0x%08x): FP is not emulated yet", m.gpa(), word));
        }
        boolean le = (core.msr() & Msr.LE) != 0;
        lastMmioEa = m.ea();
        if (insn.store()) {
            byte[] data = insn.storeBytes(core.gpr(insn.rt()), le);
            // Remember RA, so that a store to no device can be undone whole before the machine check.
            lastStoreRa = insn.update() ? insn.ra() : -1;
            lastStoreRaValue = insn.update() ? core.gpr(insn.ra()) : 0;
            if (insn.update()) core.setGpr(insn.ra(), m.ea());
            core.setPc(core.pc() + 4);
            // A store into a coalesced zone is queued for user space instead of exiting.
            if (vm.coalescedMmio().tryAppend(m.gpa(), data, data.length)) return null;
            return new RunExit.Mmio(m.gpa(), insn.length(), true, data);
        }
        pendingMmio = insn;
        pendingEa = m.ea();
        pendingMmioExit = new RunExit.Mmio(m.gpa(), insn.length(), false, new byte[insn.length()]);
        return pendingMmioExit;
    }

    /**
     * User space found no device behind the last MMIO exit: the access ends in a machine check
     * (QEMU's pseries does the same for a load outside RAM), with SRR0 at the instruction and DAR
     * its effective address (not the guest physical {@code address}, which differs with the MMU on).
     */
    private int lastStoreRa = -1;
    private long lastStoreRaValue;

    public void failMmio(long address) {
        if (pendingMmio != null) {
            pendingMmio = null;
        } else {
            core.setPc(core.pc() - 4); // a store had already been retired: point back at it
            if (lastStoreRa >= 0) core.setGpr(lastStoreRa, lastStoreRaValue);
        }
        machineCheck(SRR1_MC_LOAD_STORE, lastMmioEa);
    }

    /**
     * Reflects a machine check into the guest. The architected interrupt clears MSR[ME], but a
     * guest (MSR[HV]=0) can never set it again — rfid and mtmsrd leave ME alone below the
     * hypervisor — so its next machine check would be a checkstop. As KVM and QEMU do, the guest's
     * handler runs with ME set.
     */
    private void machineCheck(long srr1Bits, long dar) {
        core.deliverInterrupt(0x200, srr1Bits, dar, 0);
        core.setMsr(core.msr() | Msr.ME);
    }

    /** Reads the instruction word at {@code ea} as the guest sees it (software walk if IR=1). */
    int fetchInstruction(long ea) {
        long msr = core.msr();
        long gpa;
        if ((msr & Msr.IR) != 0) {
            GuestTranslation t = GuestPageTableWalk.xlate(vm.guestMemory(), hv.processTable(), regs.pidr, msr,
                    regs.amr, regs.iamr, ea);
            if (!t.ok()) throw new GuestMemoryFault(ea, "guest translation failed: " + t.status());
            gpa = t.gpa();
        } else {
            gpa = ea & 0x0FFF_FFFF_FFFF_FFFFL;
        }
        int w = vm.guestMemory().readIntBE(gpa);
        return (msr & Msr.LE) != 0 ? Integer.reverseBytes(w) : w;
    }

    // ------------------------------------------------------------------ system calls: KVM's paravirtual interface, OSI

    /**
     * {@code sc} from the guest. KVM's paravirtual hypercalls (r0 = "KVM!") from privileged state
     * are handled here; an OSI call goes to user space when enabled; anything else is the guest's
     * own system call and gets its interrupt, SRR0 past the sc.
     */
    private RunExit systemCall() {
        long msr = core.msr();
        if (core.gpr(0) == KvmParavirt.SC_MAGIC_R0 && (msr & Msr.PR) == 0) {
            paravirt(msr);
            return null;
        }
        if (osiEnabled && core.gpr(3) == KvmParavirt.OSI_SC_MAGIC_R3 && core.gpr(4) == KvmParavirt.OSI_SC_MAGIC_R4) {
            long[] g = new long[32];
            for (int i = 0; i < 32; i++) g[i] = core.gpr(i);
            pendingOsi = new RunExit.Osi(g);
            return pendingOsi;
        }
        core.deliverInterrupt(0xC00, 0);
        return null;
    }

    private void paravirt(long msr) {
        stats.paravirtualCall();
        long token = core.gpr(11) & 0xFFFF_FFFFL;
        long p1 = core.gpr(3), p2 = core.gpr(4);
        if ((msr & Msr.SF) == 0) {
            // A 32-bit guest's upper register halves are not part of its arguments.
            p1 &= 0xFFFF_FFFFL;
            p2 &= 0xFFFF_FFFFL;
        }
        long status, second = 0;
        switch ((int) token) {
            case KvmParavirt.KVM_HC_FEATURES -> {
                // No feature bits: jvisor's core keeps MSR and the SPRs itself, so it offers no
                // magic page through which a guest could read and write them without trapping.
                status = KvmParavirt.EV_SUCCESS;
            }
            case KvmParavirt.KVM_HC_PPC_MAP_MAGIC_PAGE -> {
                magicPagePa = p1 & ~0xFFFL;
                magicPageEa = p2 & ~0xFFFL;
                status = KvmParavirt.EV_UNIMPLEMENTED;
            }
            case KvmParavirt.EV_IDLE -> {
                cede();
                status = KvmParavirt.EV_SUCCESS;
            }
            default -> status = KvmParavirt.EV_UNIMPLEMENTED;
        }
        core.setGpr(4, second);
        core.setGpr(3, status);
    }

    /** Where a guest asked for the magic page (recorded, not provided). */
    private long magicPagePa, magicPageEa;

    long magicPagePa() {
        return magicPagePa;
    }

    // ------------------------------------------------------------------ hypercalls

    private RunExit hypercall() {
        long nr = core.gpr(3);
        stats.hcall(nr);
        long[] a = new long[9];
        for (int i = 0; i < 9; i++) a[i] = core.gpr(4 + i);
        if (nr == Hcall.H_CEDE) {
            cede();
            core.setGpr(3, Hcall.H_SUCCESS);
            return null;
        }
        Long ret = pseriesHcalls.handle(nr, a);
        if (ret != null) {
            core.setGpr(3, ret);
            return null;
        }
        if (nr == Hcall.KVMPPC_H_RTAS) {
            pendingRtas = new RunExit.Rtas(a[0]);
            return pendingRtas;
        }
        pendingHcall = new RunExit.Hypercall(nr, a);
        return pendingHcall;
    }

    /** Bumps the VPA's dispatch counter (odd while the vCPU is ceded, even while it runs). */
    private void bumpDispatchCount() {
        long area = vpa.vpa;
        if (area == 0) return;
        try {
            GuestMemory mem = vm.guestMemory();
            mem.writeIntBE(area + 0x100, mem.readIntBE(area + 0x100) + 1);
        } catch (GuestMemoryFault e) {
            vpa.vpa = 0; // the guest took the memory away; stop updating
        }
    }

    /**
     * H_CEDE: the guest is idle. External interrupts are enabled as PAPR says, and the vCPU sleeps
     * until the decrementer goes negative, an interrupt is raised, an IPI arrives, or it is kicked.
     */
    private void cede() {
        stats.cede();
        core.setMsr(core.msr() | Msr.EE);
        bumpDispatchCount();
        lock.lock();
        try {
            while (!kicked && !stopped && !irqLevel && !xicsPresenting && !lpcrReload && !prodded) {
                long dec = core.decrementerValue();
                if (dec < 0) break;
                long nanos = Math.max(1000, dec * 1_000_000_000L / jvisor.hw.power.cpu.TimeSource.FREQUENCY);
                wake.awaitNanos(Math.min(nanos, 50_000_000L));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            prodded = false;
            lock.unlock();
        }
        bumpDispatchCount();
    }

    /** H_PROD: wakes this vCPU from H_CEDE, or makes its next H_CEDE return at once. */
    void prod() {
        prodded = true;
        signal();
    }

    /** H_SIGNAL_SYS_RESET: a system reset interrupt at this vCPU's next instruction, waking it if it cedes. */
    void systemReset() {
        core.requestSystemReset();
        prod();
    }

    // ------------------------------------------------------------------ XICS presentation controller

    Long xics(long nr, long[] a) {
        if (nr == Hcall.H_IPI) { // MFRR of the target server (possibly this one)
            PowerVcpu target = shared.vcpu(a[0]);
            if (target == null) return Hcall.H_PARAMETER;
            target.setMfrr((int) a[1]);
            return Hcall.H_SUCCESS;
        }
        int displaced;
        synchronized (this) {
            switch ((int) nr) {
                case Hcall.H_CPPR -> icp.setCppr((int) a[0]);
                case Hcall.H_XIRR -> core.setGpr(4, icp.accept() & 0xFFFF_FFFFL);
                case Hcall.H_IPOLL -> { // only looks
                    core.setGpr(4, icp.xirr() & 0xFFFF_FFFFL);
                    core.setGpr(5, icp.mfrr());
                }
                case Hcall.H_EOI -> icp.eoi(a[0]);
                default -> {
                    return Hcall.H_FUNCTION;
                }
            }
            displaced = icp.takeDisplaced();
        }
        XicsSources sources = shared.interruptSources();
        if (displaced != 0) sources.rejected(displaced);
        // A lower priority or the end of an interrupt may let a rejected source in now.
        if (nr == Hcall.H_EOI || nr == Hcall.H_CPPR) sources.resend(id);
        updateExternal();
        return Hcall.H_SUCCESS;
    }

    private void setMfrr(int priority) {
        int displaced;
        synchronized (this) {
            icp.setMfrr(priority);
            displaced = icp.takeDisplaced();
        }
        if (displaced != 0) shared.interruptSources().rejected(displaced);
        updateExternal();
    }

    /**
     * The source controller offers {@code source} at {@code priority} to this server (called with
     * the controller's lock held). Returns whether it is presented.
     */
    boolean deliverExternal(int source, int priority) {
        boolean presented;
        int displaced;
        synchronized (this) {
            presented = icp.deliver(source, priority);
            displaced = icp.takeDisplaced();
        }
        if (displaced != 0) shared.interruptSources().rejected(displaced);
        updateExternal();
        return presented;
    }

    /**
     * Drives the core's external interrupt line from the device level and the presented IPI.
     * Computed and set under the same lock, so a racing H_IPI from another vCPU and this vCPU's
     * own H_XIRR cannot leave the line at a stale value.
     */
    private void updateExternal() {
        boolean line;
        synchronized (this) {
            xicsPresenting = icp.presenting();
            line = irqLevel || xicsPresenting;
            core.setExternalInterrupt(line);
        }
        if (line) signal();
    }

    /** Tears the vCPU down: it leaves the tlbie domain. */
    public void destroy() {
        hv.host().tlbDomain().removeListener(flushListener);
        hv.host().tlbDomain().leave(mmu);
        shared.vcpus.remove(this);
    }
}
