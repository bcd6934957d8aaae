package jvisor.kvm.power;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jvisor.hw.power.Lpcr;
import jvisor.hw.power.cpu.DecodeCache;
import jvisor.hw.power.cpu.NativeTier;
import jvisor.hw.power.cpu.ReservationMonitor;
import jvisor.hw.power.cpu.TimeSource;
import jvisor.kvm.Vm;
import jvisor.memory.PhysicalMemory;

/**
 * What the vCPUs of one POWER VM share (the rest of KVM's kvm->arch and its vcores): the
 * timebase, the partition's LPCR, the decoded-instruction cache and the reservation monitor of
 * its cores, and the vCPUs themselves (for IPIs and LPCR changes that apply to all).
 */
public final class PowerVmState implements Vm.ArchState {

    final Vm<PartitionScopedMmu> vm;
    final GuestTimebase time;
    final DecodeCache decodeCache;
    final ReservationMonitor reservations = new ReservationMonitor(MAX_VCPUS);
    public static final int MAX_VCPUS = 64;
    final List<PowerVcpu> vcpus = new CopyOnWriteArrayList<>();
    /** The interrupt source controller (KVM's in-kernel XICS keeps it beside the presentation controllers). */
    final XicsSources interruptSources = new XicsSources();
    /** The partition's LPCR, as KVM sets it for a radix guest: radix host, process table in use, large decrementer. */
    volatile long lpcr = Lpcr.HR | Lpcr.UPRT | Lpcr.LD;
    private final PhysicalMemory.WriteObserver writeObserver, reservationObserver;

    /** Hot guest code is translated beside the vCPUs, not by them (-Djvisor.jit.background=false: by them). */
    private static final boolean BACKGROUND_TRANSLATION =
            Boolean.parseBoolean(System.getProperty("jvisor.jit.background", "true"));

    private PowerVmState(Vm<PartitionScopedMmu> vm, TimeSource time) {
        this.vm = vm;
        this.time = new GuestTimebase(time);
        PhysicalMemory phys = vm.physicalMemory();
        this.decodeCache = new DecodeCache(phys.size());
        this.decodeCache.setBackgroundTranslation(BACKGROUND_TRANSLATION);
        // Host-side writes to guest memory (loading, hypercalls, swap-in, migration) drop decoded code
        // and, being stores by another agent, the reservations on what they wrote (Book II 1.7.4.1).
        this.writeObserver = decodeCache::invalidateRange;
        this.reservationObserver = reservations::invalidate;
        phys.addWriteObserver(writeObserver);
        phys.addWriteObserver(reservationObserver);
        interruptSources.connect((server, source, priority) -> {
            PowerVcpu v = vcpu(server);
            return v != null && v.xics().deliver(source, priority);
        });
    }

    /**
     * The VM is gone: its decode cache and reservations stop watching host memory. Without this
     * every VM ever created stayed reachable from the host's memory, with its decoded pages, and
     * was told of every host write (found by the fuzzer's heap figure). Its background translator
     * ends too: its thread held the decode cache for up to a second after its last request.
     */
    @Override
    public void vmDestroyed() {
        vm.physicalMemory().removeWriteObserver(writeObserver);
        vm.physicalMemory().removeWriteObserver(reservationObserver);
        decodeCache.close();
    }

    /** The VM's shared vCPU state, created with the host timebase on first use. */
    public static PowerVmState of(Vm<PartitionScopedMmu> vm) {
        return vm.archState(PowerVmState.class, () -> new PowerVmState(vm, TimeSource.host()));
    }

    /** The same, with a timebase of the caller's (tests drive time by hand). */
    public static PowerVmState of(Vm<PartitionScopedMmu> vm, TimeSource time) {
        return vm.archState(PowerVmState.class, () -> new PowerVmState(vm, time));
    }

    /**
     * The VM's counts of translated code for {@code jvisor run --stats}: guest instructions its
     * vCPUs ran in translated code, regions made since it was created, regions in use now,
     * decoded pages dropped because their code was written, and the times the run loops entered
     * translated code; of the instructions and the entries, those of quick regions (the first
     * translation of hot code, which C1 alone compiles; the rest ran in their successors, C2's);
     * the native blocks' instructions and entries, and (JVM-wide) the blocks written, their bytes
     * and the times the code area turned to its other half.
     */
    public record TranslationStatistics(long translatedInstructions, long regionsMade, int regionsInUse, long pagesInvalidated,
                                        long regionEntries, long quickInstructions, long quickEntries,
                                        long nativeInstructions, long nativeEntries, long nativeBlocksWritten,
                                        long nativeCodeBytes, long nativeAreaTurns) {
    }

    /** Regions translated since the VM was made: from any thread, while the vCPUs run too. */
    public long regionsMade() {
        return decodeCache.regionsMade();
    }

    /** The totals, once the vCPUs stopped (their cores' counters are theirs while they run). */
    public TranslationStatistics translationStatistics() {
        long translated = 0, entries = 0, quick = 0, quickEntries = 0, nativeRan = 0, nativeEntries = 0;
        for (PowerVcpu v : vcpus) {
            translated += v.core().translatedInstructions();
            entries += v.core().regionEntries();
            quick += v.core().quickInstructions();
            quickEntries += v.core().quickRegionEntries();
            nativeRan += v.core().natives().instructions();
            nativeEntries += v.core().natives().entries();
        }
        return new TranslationStatistics(translated, regionsMade(), decodeCache.compiledRegions(),
                decodeCache.invalidations(), entries, quick, quickEntries, nativeRan, nativeEntries,
                NativeTier.blocksWritten(), NativeTier.codeBytes(), NativeTier.areaTurns());
    }

    /** What the vCPUs know of the guest's tables their translations came from (for statistics). */
    public jvisor.hw.power.ProcessTableWatch tableWatch() {
        return decodeCache.tables();
    }

    public List<PowerVcpu> vcpus() {
        return vcpus;
    }

    /** The vCPU whose server number is {@code server} (a guest-supplied value: anything may come), or null. */
    public PowerVcpu vcpu(long server) {
        for (PowerVcpu v : vcpus) if (v.id() == server) return v;
        return null;
    }

    public XicsSources interruptSources() {
        return interruptSources;
    }

    /** The VM's timebase, which the VMM may hold still while the machine is stopped. */
    public GuestTimebase time() {
        return time;
    }

    /** Sets or clears LPCR bits on every vCPU (H_SET_MODE interrupt endianness, GTSE). */
    void updateLpcr(long clear, long set) {
        synchronized (this) {
            lpcr = (lpcr & ~clear) | set;
        }
        for (PowerVcpu v : vcpus) v.requestLpcrReload();
    }
}
