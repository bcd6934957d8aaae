package jvisor.vmm;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import jvisor.hw.power.Msr;
import jvisor.kvm.Kvm;
import jvisor.kvm.RunExit;
import jvisor.kvm.Vm;
import jvisor.kvm.power.FaultStatistics;
import jvisor.kvm.power.PartitionScopedMmu;
import jvisor.kvm.power.PowerVcpu;
import jvisor.kvm.power.PowerVmState;
import jvisor.kvm.power.XicsSources;
import jvisor.memory.HostAddressSpace;
import jvisor.memory.PageSizes;
import jvisor.memory.PhysicalMemory;
import jvisor.memory.UserMemoryRegion;

/**
 * A pseries machine in user space, as QEMU is to KVM: it creates the VM and its vCPUs, gives the
 * guest its RAM, loads the kernel and the device tree, and runs one thread per vCPU that calls
 * {@code run()} and handles each exit: MMIO to the device bus, hypercalls to the console and RTAS,
 * start-cpu/stop-self, power-off.
 */
public final class PseriesMachine implements CpuControl, ShutdownListener {
    /** Entry state of the boot CPU: big-endian, 32-bit, real mode, ME set (spec sheet). */
    static final long BOOT_MSR = Msr.ME;
    /** Entry state of a CPU started by RTAS start-cpu: SF|ME, big-endian. */
    static final long START_CPU_MSR = Msr.SF | Msr.ME;

    private final MachineConfig config;
    private final PhysicalMemory phys;
    private final HostAddressSpace mm;
    private final Vm<PartitionScopedMmu> vm;
    private final List<PowerVcpu> vcpus = new ArrayList<>();
    private final Console console;
    private final GuestResultConsole results;
    private final Rtas rtas;
    private final Hypercalls hypercalls;
    private final MmioBus bus = new MmioBus();
    private final PrintStream log;
    private final ThreadLocal<PowerVcpu> current = new ThreadLocal<>();
    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile int status = -1;
    private volatile String stopReason = "";
    private final AtomicLong mmioNowhere = new AtomicLong();
    /** A guest that keeps touching nowhere must not flood the terminal. */
    private static final int NOWHERE_MESSAGES = 20;
    /** How often the waiting launcher looks at the timeout and at the vCPU threads. */
    private static final long WATCH_MILLIS = 200;
    /** How long, in all, the launcher waits for the vCPU threads once the machine stopped. */
    private static final long JOIN_MILLIS = 5000;
    /** Back guest RAM with 4 KiB host pages instead of 2 MiB ones (-Djvisor.ram.smallPages=true). */
    private static final boolean SMALL_HOST_PAGES = Boolean.getBoolean("jvisor.ram.smallPages");
    private final AtomicLong wallNanos = new AtomicLong();
    /** The run second by second (--stats), in up to {@link RunTimeline#MAX_ROWS} rows. */
    private RunTimeline timeline = new RunTimeline(1_000_000_000L, RunTimeline.MAX_ROWS);
    /**
     * Whether the run's timeline takes the host's processor time ({@link #measureHostCpu}), and
     * that time (made with the vCPUs, at the run's start). Null when not taken rather than an
     * object that reads nothing: loading HostCpu sets up the JVM's management interfaces, the
     * cost that not taking it saves.
     */
    private boolean measureHostCpu;
    private HostCpu hostCpu;
    private volatile RunLoopDebugger debugger;
    private volatile LoadedImage image;
    /** Where the kernel's symbols come from, for a guest profile: its file, or the bytes it was given as. */
    private volatile Supplier<ElfSymbols> symbols = () -> ElfSymbols.NONE;
    /** The guest profile's sampling interval (0: none), its intervals' length (0: none) and the last run's profile. */
    private long profileEveryNanos, profileIntervalNanos;
    private volatile GuestProfiler profiler;
    private final Nvram nvram = new Nvram();
    private final Uart16550 uart;
    private final long ramHva;
    private final VcpuPause pause = new VcpuPause(vcpus);

    /**
     * Starts what every machine of the JVM needs and nothing of this one's decides (the host
     * memory allocator, the CPU's decoding and dispatch tables) on threads of their own, for a
     * launcher to call as soon as it knows it will run a machine: a cold start's first
     * instruction no longer waits for them (some 100 ms of HotSpot interpreting their set-up).
     */
    public static void prepareInBackground() {
        PhysicalMemory.prepareInBackground();
        PowerVcpu.prepareInBackground();
    }

    /**
     * @param out the guest's console (stdout for a person)
     * @param in  console input
     * @param log where the machine reports problems (stderr)
     */
    public PseriesMachine(MachineConfig config, OutputStream out, InputStream in, PrintStream log) {
        this.config = config;
        this.log = log;
        long ram = config.memoryBytes();
        // Host RAM: the guest's, rounded up, plus room for the hypervisor's own tables.
        long host = ((ram + PageSizes.SIZE_1G - 1) & -PageSizes.SIZE_1G) + PageSizes.SIZE_1G;
        this.phys = new PhysicalMemory(host);
        this.mm = new HostAddressSpace(phys);
        Kvm kvm = new Kvm(phys, mm);
        this.vm = kvm.createVm(PartitionScopedMmu.HV_RADIX);
        // 2 MiB host pages, as QEMU's RAM gets transparent huge pages: the partition-scoped faults
        // map 2 MiB at a time (Debian's boot to its init: 41 faults instead of 19,285, 45 ms less of
        // the vCPU's time; loading its kernel 30 ms less). A slot that logs dirty pages is still
        // mapped 4 KiB at a time (PartitionScopedMmu).
        long hva = mm.mmap(ram, PageSizes.aligned(ram, PageSizes.SHIFT_2M) && !SMALL_HOST_PAGES ? HostAddressSpace.MAP_HUGE_2M : 0);
        this.ramHva = hva;
        vm.setUserMemoryRegion(new UserMemoryRegion(RAM_SLOT, 0, 0, ram, hva));
        this.results = new GuestResultConsole(out);
        this.console = new Console(new PrintStream(results, true), in);
        this.rtas = new Rtas(vm.guestMemory(), console, this, this, Clock.systemUTC(), new Rtas.Platform(config.cpus(),
                ram, PowerVmState.of(vm).interruptSources(), nvram, MachineLayout.rtasAddress(ram)));
        this.hypercalls = new Hypercalls(console, rtas);
        this.uart = new Uart16550(console);
        bus.register("uart", MachineLayout.UART_BASE, MachineLayout.UART_SIZE, uart);
        for (int i = 0; i < config.cpus(); i++) vcpus.add(PowerVcpu.create(vm, i));
    }

    /** Loads the kernel (the config's ELF file), initrd and device tree; the boot CPU starts at the entry. */
    public void load() throws LaunchError {
        start(Boot.prepare(config, vm.guestMemory()));
        Path kernel = config.kernel();
        symbols = () -> ElfSymbols.of(kernel);
    }

    /** Loads a kernel given as bytes (the embedded demo guest). */
    public void load(String name, byte[] elf) throws LaunchError {
        start(Boot.prepare(config, vm.guestMemory(), name, elf));
        symbols = () -> ElfSymbols.of(elf);
    }

    /**
     * Samples where the guest's code runs every {@code nanos} while {@link #run} runs (see
     * {@link GuestProfiler}), and with {@code intervalNanos} above 0 notes the leading functions of
     * each interval that long; {@link #printProfile} then prints it. Before {@link #run}.
     */
    public void profileEvery(long nanos, long intervalNanos) {
        if (nanos <= 0 || intervalNanos < 0) throw new IllegalArgumentException("profile interval " + nanos + ", " + intervalNanos);
        profileEveryNanos = nanos;
        profileIntervalNanos = intervalNanos;
    }

    /** The last run's guest profile (its {@code top} functions), if one was taken. */
    public void printProfile(PrintStream out, int top) {
        GuestProfiler p = profiler;
        if (p != null) p.report(out, top);
    }

    private void start(Boot boot) {
        image = boot.image();
        vcpus.get(0).start(boot.entry(), boot.fdtAddress(), BOOT_MSR);
    }

    /** The kernel as loaded (its byte order is the guest's), or null before {@link #load}. */
    public LoadedImage image() {
        return image;
    }

    /**
     * Attaches a debugger to the run loop (before {@link #run}): it may hold the vCPUs between runs
     * and sees their debug exits. Without one the loop runs as if it did not exist.
     */
    public void attachDebugger(RunLoopDebugger d) {
        debugger = d;
    }

    /**
     * Runs the machine until the guest powers it off or it fails; returns the exit status: 0 for
     * power-off after a clean run, 1 when the guest reported a failure or the VM stopped on an error.
     */
    public int run() throws InterruptedException {
        return run(0);
    }

    /**
     * As {@link #run()}, but stops the machine with status 3 and a message if the guest has not
     * powered off after {@code timeoutMillis} (0: no limit).
     */
    public int run(long timeoutMillis) throws InterruptedException {
        long t0 = System.nanoTime();
        // A machine restored from a migration stream holds its timebase at the value the guest
        // last saw; it runs on from there now.
        RunLoopDebugger d = debugger;
        if (restored && (d == null || !d.holdsAtStart())) PowerVmState.of(vm).time().release();
        XicsSources sources = PowerVmState.of(vm).interruptSources();
        console.startInputPump(consoleEscape(), () -> sources.trigger(MachineLayout.VTY_IRQ));
        List<Thread> threads = new ArrayList<>();
        GuestProfiler sampling = null;
        if (profileEveryNanos > 0) {
            // The kernel's symbols are read now, before its first instruction: an interval's
            // samples are named as the interval ends.
            sampling = new GuestProfiler(vcpus.stream().map(PowerVcpu::core).toList(), profileEveryNanos, symbols.get(),
                    profileIntervalNanos);
            profiler = sampling;
        }
        hostCpu = measureHostCpu ? new HostCpu(vcpus.size()) : null;
        timeline.begin(progress(0, false));
        for (int i = 0; i < vcpus.size(); i++) {
            PowerVcpu v = vcpus.get(i);
            int index = i;
            Thread t = new Thread(() -> {
                try {
                    vcpuLoop(v);
                } finally {
                    if (hostCpu != null) hostCpu.ended(index);
                }
            }, "vcpu-" + v.id());
            if (hostCpu != null) hostCpu.started(index, t);
            t.setDaemon(true);
            // vcpuLoop catches everything; this is for a failure in reporting the failure.
            t.setUncaughtExceptionHandler((th, ex) -> hostFailure(th.getName(), ex));
            threads.add(t);
            t.start();
        }
        if (sampling != null) sampling.start();
        // Woken by the stop, or every WATCH_MILLIS to look at the timeout and at the threads: a
        // machine whose vCPU threads all ended without stopping it must not be waited for.
        while (!done.await(Math.min(WATCH_MILLIS * 1_000_000, timeline.untilNextSample(System.nanoTime() - t0) + 1),
                TimeUnit.NANOSECONDS)) {
            long now = System.nanoTime() - t0;
            if (timeline.due(now)) timeline.add(progress(now, true));
            long elapsed = now / 1_000_000;
            if (timeoutMillis > 0 && elapsed >= timeoutMillis) {
                log.printf("jvisor: the guest did not power off within %d ms; stopping it%n", timeoutMillis);
                shutdown("timeout", 3);
            } else if (endedWithoutStop(threads, done)) {
                hostFailure("machine", new IllegalStateException("every vCPU thread ended without a stop"));
            }
        }
        if (sampling != null) sampling.stop();
        for (PowerVcpu v : vcpus) v.kick();
        // A thread stuck in a device is left behind (it is a daemon): the status is known already.
        long joinUntil = System.nanoTime() + JOIN_MILLIS * 1_000_000;
        for (Thread t : threads) t.join(Math.max(1, (joinUntil - System.nanoTime()) / 1_000_000));
        try {
            bus.drain(vm.coalescedMmio());
        } catch (Throwable ex) {
            hostFailure("machine", ex);
        }
        wallNanos.set(System.nanoTime() - t0);
        timeline.add(progress(wallNanos.get(), false));
        try {
            results.flush();
        } catch (Throwable ignored) {
            // stdout closed or failing: nothing more to show
        }
        if (status == 0 && results.failures() > 0) return 1;
        return status;
    }

    /**
     * Whether every one of the threads has ended and none of them stopped the machine first. The
     * stop is looked at after the threads: a vCPU that powers the guest off counts the latch down
     * and then ends, which may fall between the watch's wait running out and its look at the
     * threads; seen in that order, a clean power-off was reported as a host failure (status 1). A
     * thread's end is seen with everything it did before (Thread.isAlive), its stop included.
     */
    static boolean endedWithoutStop(List<Thread> threads, CountDownLatch stopped) {
        return threads.stream().noneMatch(Thread::isAlive) && stopped.getCount() != 0;
    }

    private void vcpuLoop(PowerVcpu v) {
        current.set(v);
        try {
            while (!shuttingDown.get()) {
                pause.beforeRun(v);
                // A machine that migrated away stops here: not one more instruction on this side.
                if (shuttingDown.get()) break;
                RunLoopDebugger d = debugger;
                if (d != null) {
                    d.beforeRun(v);
                    if (shuttingDown.get()) break;
                }
                handleExit(v, v.run());
            }
        } catch (Throwable ex) {
            // Whatever failed in the host — a device, the hypervisor, the JVM out of memory or
            // stack — the machine stops; the guest's state is no longer to be trusted.
            hostFailure("vCPU " + v.id(), ex);
        }
    }

    /** Handles one exit of vCPU {@code v}, as the run loop does after each {@code run()}. */
    void handleExit(PowerVcpu v, RunExit e) {
        current.set(v); // for RTAS stop-self, made by the vCPU whose exit this is
        // Stores queued in the coalesced-MMIO ring happened before this exit: replay them first.
        bus.drain(vm.coalescedMmio());
        switch (e) {
            case RunExit.Mmio m -> {
                MmioResult r = bus.handle(m);
                if (r instanceof MmioResult.NoDevice nd) {
                    long n = mmioNowhere.incrementAndGet();
                    if (n <= NOWHERE_MESSAGES) {
                        log.printf("jvisor: vCPU %d: %s of %d bytes at guest real 0x%x: no device there; machine check to the guest%s%n",
                                v.id(), nd.isWrite() ? "store" : "load", nd.length(), nd.address(),
                                n == NOWHERE_MESSAGES ? " (further such messages suppressed; see --stats)" : "");
                    }
                    v.failMmio(nd.address());
                }
            }
            case RunExit.Hypercall h -> hypercalls.handle(h);
            case RunExit.Rtas r -> rtas.handle(r);
            case RunExit.Shutdown s -> shutdown(s.reason(), s.status() == 0 ? 0 : 1);
            case RunExit.InternalError err -> {
                log.printf("jvisor: vCPU %d stopped: %s (pc 0x%x)%n", v.id(), err.reason(), v.core().pc());
                shutdown("internal error", 1);
            }
            case RunExit.ArmNisv _, RunExit.MemoryFault _ -> {
                // Not exits of a POWER vCPU: if one came, the machine could not go on.
                log.printf("jvisor: vCPU %d stopped: %s (pc 0x%x)%n", v.id(), e, v.core().pc());
                shutdown("internal error", 1);
            }
            case RunExit.Interrupted i -> { }
            case RunExit.Debug d -> {
                RunLoopDebugger g = debugger;
                if (g != null) g.debugExit(v, d);
            }
            case RunExit.Osi o -> { }
        }
    }

    /**
     * Stops the machine with status 1 after a host failure on {@code where}, with one line saying
     * what was thrown. Never throws: a failure while reporting (memory still short) only loses the
     * line, the machine stops all the same.
     */
    private void hostFailure(String where, Throwable ex) {
        try {
            status = 1; // even after a power-off: the host failed
            if (shuttingDown.compareAndSet(false, true)) stopReason = "host error";
            log.println("jvisor: " + where + " stopped the machine: host error " + HostFailure.oneLine(ex));
            log.flush();
        } catch (Throwable ignored) {
            // nothing more can be said
        } finally {
            done.countDown();
            releaseDebugger();
        }
    }

    // ------------------------------------------------------------------ ShutdownListener, CpuControl

    /**
     * Lets the person at an interactive console use QEMU's escape keys: Ctrl-A x ends the machine
     * (status 0, as QEMU's), Ctrl-A h lists the keys on {@code log}.
     */
    public void enableConsoleEscape() {
        escapeKeys = true;
    }

    private boolean escapeKeys;

    private ConsoleEscape consoleEscape() {
        return !escapeKeys ? null : new ConsoleEscape(new ConsoleEscape.Actions() {
            @Override
            public void quit() {
                log.print("\r\njvisor: terminated from the console (C-a x)\r\n");
                log.flush();
                shutdown("C-a x", 0);
            }

            @Override
            public void show(String text) {
                log.print(text);
                log.flush();
            }

            @Override
            public void migrate() {
                Runnable r = migrateKey;
                if (r != null) r.run();
            }
        });
    }

    private volatile Runnable migrateKey;

    /** What Ctrl-A m at an interactive console does (nothing unless set). */
    public void onConsoleMigrateKey(Runnable r) {
        migrateKey = r;
    }

    @Override
    public void osTerminated(String message) {
        log.printf("jvisor: the guest's operating system terminated (ibm,os-term): %s%n", message);
        shutdown("ibm,os-term", 1);
    }

    @Override
    public void shutdown(String reason, int exitStatus) {
        if (shuttingDown.compareAndSet(false, true)) {
            status = exitStatus;
            stopReason = reason;
            done.countDown();
            releaseDebugger();
        }
    }

    /** A vCPU held by the debugger or a pause must see the machine stop. */
    private void releaseDebugger() {
        pause.machineStopping();
        RunLoopDebugger d = debugger;
        if (d != null) {
            try {
                d.machineStopping();
            } catch (Throwable ignored) {
                // the machine stops all the same; its threads are daemons
            }
        }
    }

    @Override
    public int startCpu(int server, long entry, long r3) {
        PowerVcpu v = server >= 0 && server < vcpus.size() ? vcpus.get(server) : null;
        if (v == null) return Rtas.PARAMETER_ERROR;
        if (!v.isStopped()) return Rtas.HARDWARE_ERROR;
        v.start(entry, r3, START_CPU_MSR);
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

    // ------------------------------------------------------------------ migration and snapshots

    /** The memory slot of the guest's RAM (the only one). */
    public static final int RAM_SLOT = 0;

    public MachineConfig config() {
        return config;
    }

    public Console console() {
        return console;
    }

    public Rtas rtas() {
        return rtas;
    }

    public Nvram nvram() {
        return nvram;
    }

    public Uart16550 uart() {
        return uart;
    }

    /** Host address of guest real address 0 (the RAM slot's userspace address). */
    public long ramHostAddress() {
        return ramHva;
    }

    /** Starts logging the pages the guest (or a device) writes, for {@link Vm#getDirtyLog}. */
    public void enableDirtyLog() {
        vm.setUserMemoryRegion(new UserMemoryRegion(RAM_SLOT, jvisor.memory.MemorySlot.LOG_DIRTY_PAGES, 0,
                config.memoryBytes(), ramHva));
    }

    /**
     * Stops every vCPU between two runs, each with its last exit completed, and holds the guest's
     * timebase. Returns false, holding nothing, if the machine stopped meanwhile or a vCPU did not
     * come within {@code timeoutMillis}.
     */
    public boolean pauseVcpus(long timeoutMillis) throws InterruptedException {
        if (shuttingDown.get() || !pause.pauseAll(timeoutMillis)) return false;
        PowerVmState.of(vm).time().hold();
        return true;
    }

    /** Lets the vCPUs paused by {@link #pauseVcpus} go on; the timebase runs on from where it stood. */
    public void resumeVcpus() {
        PowerVmState.of(vm).time().release();
        pause.resumeAll();
    }

    /**
     * The machine's state came from a migration stream or a snapshot (its timebase held at the
     * guest's last value): {@link #run} lets the timebase go as the vCPUs start, not before.
     */
    public void markRestored() {
        restored = true;
    }

    private volatile boolean restored;

    /** Whether the machine has begun to stop (power-off, an error, a migration that completed). */
    public boolean isStopping() {
        return shuttingDown.get();
    }

    // ------------------------------------------------------------------ reporting

    public Vm<PartitionScopedMmu> vm() {
        return vm;
    }

    public List<PowerVcpu> vcpus() {
        return vcpus;
    }

    /**
     * Frees the vCPUs, the VM and the guest's memory once {@link #run} has returned (or was never
     * called); the machine cannot run again.
     */
    public void destroy() {
        for (PowerVcpu v : vcpus) v.destroy();
        vm.destroy();
        mm.destroy();
    }

    public String stopReason() {
        return stopReason;
    }

    /**
     * The counters of the run's timeline at {@code nanos} into the run: while the vCPUs run
     * ({@code running}), what they published at their last return to the run loop; else the cores' own.
     */
    private RunTimeline.Sample progress(long nanos, boolean running) {
        long instructions = 0, translated = 0, quick = 0, blocks = 0;
        for (PowerVcpu v : vcpus) {
            blocks += running ? v.nativeSeen() : v.core().natives().instructions();
            // Quick first, then translated, then all: a vCPU publishes them the other way round,
            // so each read after another is at least of the same return (shares within 0-100%).
            quick += running ? v.quickSeen() : v.core().quickInstructions();
            translated += running ? v.translatedSeen() : v.core().translatedInstructions();
            instructions += running ? v.instructionsSeen() : v.core().instructions();
        }
        HostCpu.Reading cpu = hostCpu == null ? HostCpu.Reading.UNKNOWN : hostCpu.read();
        return new RunTimeline.Sample(nanos, instructions, translated, translated - quick, PowerVmState.of(vm).regionsMade(),
                cpu.vcpus(), cpu.process(), cpu.compiling(), blocks);
    }

    /**
     * Has the run's timeline take the host's processor time too (the vCPU threads', the process's
     * and HotSpot's compiling), before {@link #run} (run --stats). Not by default: setting up the
     * JVM's management interfaces that tell it took the main thread some 10 ms just before it
     * starts the vCPUs (async-profiler), and a run of the demo-size hello guest 0.967 +- 0.021 of
     * the time without it (20 alternating cold runs).
     */
    public void measureHostCpu() {
        measureHostCpu = true;
    }

    /**
     * Samples the run's timeline every {@code nanos} instead of every second, before {@link #run}
     * (run --stats-every); the statistics then print every interval.
     */
    public void sampleTimelineEvery(long nanos) {
        timeline = new RunTimeline(nanos, Integer.MAX_VALUE);
    }

    /** The run's timeline as sampled so far. */
    List<RunTimeline.Sample> timelineSamples() {
        return timeline.samples();
    }

    /** Guest instructions executed, all vCPUs. */
    public long instructions() {
        long n = 0;
        for (PowerVcpu v : vcpus) n += v.core().instructions();
        return n;
    }

    public long wallNanos() {
        return wallNanos.get();
    }

    /** The {@code --stats} report. */
    public void printStatistics(PrintStream out) {
        Map<String, Long> exits = new TreeMap<>(), hcalls = new TreeMap<>();
        long tlbMisses = 0, largePageRefills = 0, cedes = 0;
        for (PowerVcpu v : vcpus) {
            v.statistics().exits().forEach((k, c) -> exits.merge(k, c, Long::sum));
            v.statistics().hcalls().forEach((k, c) -> hcalls.merge(k, c, Long::sum));
            tlbMisses += v.mmu().misses();
            largePageRefills += v.mmu().largePageRefills();
            cedes += v.statistics().cedes();
        }
        FaultStatistics f = vm.arch().statistics();
        long instr = instructions();
        double secs = wallNanos.get() / 1e9;
        out.println();
        out.println("jvisor statistics");
        out.printf("  stopped by               %s%n", stopReason);
        out.printf("  guest instructions       %d (%.1f MIPS over %.3f s)%n", instr, secs > 0 ? instr / secs / 1e6 : 0.0, secs);
        PowerVmState.TranslationStatistics code = PowerVmState.of(vm).translationStatistics();
        out.printf("  translated code ran      %.1f%% of them (%d regions made, %d in use; %d decoded pages dropped by writes or icbi)%n",
                instr > 0 ? 100.0 * code.translatedInstructions() / instr : 0.0, code.regionsMade(), code.regionsInUse(),
                code.pagesInvalidated());
        out.printf("  entries to translations  %d (%.1f instructions each)%n", code.regionEntries(),
                code.regionEntries() > 0 ? (double) code.translatedInstructions() / code.regionEntries() : 0.0);
        tierRow(out, "quick regions (C1)", code.quickInstructions(), code.quickEntries(), instr);
        tierRow(out, "whole regions (C2)", code.translatedInstructions() - code.quickInstructions(),
                code.regionEntries() - code.quickEntries(), instr);
        tierRow(out, "native blocks", code.nativeInstructions(), code.nativeEntries(), instr);
        out.printf("  native blocks written    %d (%d KiB of x86-64 code%s)%n", code.nativeBlocksWritten(),
                code.nativeCodeBytes() >> 10, code.nativeAreaTurns() == 0 ? ""
                        : "; the code area turned " + code.nativeAreaTurns() + " times, forgetting the blocks before");
        timeline.print(out);
        out.println("  exits to user space:");
        exits.forEach((k, c) -> out.printf("    %-22s %d%n", k, c));
        out.println("  hypercalls (all, in the hypervisor and in user space):");
        hcalls.forEach((k, c) -> out.printf("    %-26s %d%n", k, c));
        out.printf("  H_CEDE sleeps            %d%n", cedes);
        out.println("  partition-scoped faults:");
        out.printf("    mapped 4K / 2M / 1G    %d / %d / %d%n", f.mapped4k.sum(), f.mapped2m.sum(), f.mapped1g.sum());
        out.printf("    set R/C                %d%n", f.setRc.sum());
        out.printf("    MMIO                   %d (%d to no device)%n", f.mmio.sum(), mmioNowhere.get());
        out.printf("    reflected to the guest %d%n", f.reflected.sum());
        out.printf("    retried                %d%n", f.retriesInvalidation.sum() + f.retriesRace.sum());
        out.printf("    tables allocated       %d%n", f.tablesAllocated.sum());
        out.printf("  TLB misses               %d walked, %d refilled from large pages%n", tlbMisses, largePageRefills);
        var tables = PowerVmState.of(vm).tableWatch();
        long[] full = tables.flushes();
        out.printf("  flushes of a whole PID   %d kept the translations whose table entries were not written, "
                + "%d dropped all (%d table pages watched)%n", full[0], full[1], tables.pages());
        out.printf("  coalesced MMIO writes    %d (ring full %d)%n", vm.coalescedMmio().coalescedWrites(),
                vm.coalescedMmio().ringFullExits());
        out.printf("  console bytes            %d%n", console.bytesWritten());
    }

    /** One tier's row under the entries: its share of all instructions, its entries and their mean length. */
    private static void tierRow(PrintStream out, String tier, long instructions, long entries, long all) {
        out.printf("    %-22s %.1f%% of the instructions, %d entries (%.1f each)%n", tier,
                all > 0 ? 100.0 * instructions / all : 0.0, entries, entries > 0 ? (double) instructions / entries : 0.0);
    }

    /**
     * The console's byte stream, watched for the test-guest convention of the spec sheet: a line
     * starting "FAIL:" means the guest reports a failure, and the launcher's status says so.
     */
    static final class GuestResultConsole extends OutputStream {
        private final OutputStream out;
        private final StringBuilder line = new StringBuilder();
        private long failures;

        GuestResultConsole(OutputStream out) {
            this.out = out;
        }

        @Override
        public synchronized void write(int b) throws java.io.IOException {
            out.write(b);
            if (b == '\n') {
                if (line.toString().startsWith("FAIL:")) failures++;
                line.setLength(0);
            } else if (line.length() < 16) {
                line.append((char) (b & 0xFF));
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
            for (int i = 0; i < len; i++) write(b[off + i]);
        }

        @Override
        public void flush() throws java.io.IOException {
            out.flush();
        }

        synchronized long failures() {
            return failures;
        }
    }
}
