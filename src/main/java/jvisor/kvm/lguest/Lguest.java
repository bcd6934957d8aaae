package jvisor.kvm.lguest;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import jvisor.hw.x86.X86Pte;
import jvisor.memory.HostAddressSpace;
import jvisor.memory.PageSizes;
import jvisor.memory.PhysicalMemory;

/**
 * One lguest guest (lguest's struct lguest): its memory in the launcher's address space, its
 * shadow page tables, its vCPUs, and whether it is dead and why.
 *
 * <p>Locking: the shadow tables change only under the write side of {@link #lock()} (lguest's
 * per-guest lock, held for every hypercall and fault). A vCPU's hardware accesses hold the read
 * side, so no shadow entry (and no page reference) can go away under a translation in flight.
 * When entries are removed the generation moves on, and every vCPU flushes its TLB before its
 * next access (the shootdown the host owes the other CPUs).
 *
 * <p>Killing: {@link #kill} records the first reason; from then on every run of a vCPU ends in
 * a shutdown exit with that reason and does nothing, and the launcher tears the guest down. Nothing a guest
 * puts in its tables or hypercall arguments raises a Java exception.
 */
public final class Lguest {
    /** lguest caches four shadow directories. */
    public static final int DIRECTORY_CACHE = 4;

    /**
     * How the launcher sets a guest up.
     *
     * @param memBase       launcher address of guest physical 0
     * @param memBytes      guest memory; frames at and above {@code memBytes / 4K} are not memory
     * @param devicePages   frames just above memory that form the device window: accesses there
     *                      exit to the launcher instead of killing the guest
     * @param pageOffset    where the guest's kernel half begins (PAGE_OFFSET)
     * @param vcpus         vCPUs, each on its own host CPU
     * @param initialCr3    guest physical address of the guest's first page directory
     * @param seed          seed of the directory-cache victim choice
     */
    public record Config(long memBase, long memBytes, long devicePages, long pageOffset, int vcpus,
                         long initialCr3, long seed) {
        public Config {
            if (memBytes <= 0 || !PageSizes.aligned(memBytes, PageSizes.SHIFT_4K)
                    || memBytes + devicePages * PageSizes.SIZE_4K > (1L << 32)) {
                throw new IllegalArgumentException("guest memory and devices must fit in 4 GiB, in whole pages");
            }
            if (vcpus < 1) throw new IllegalArgumentException("a guest needs a vCPU");
            if (!PageSizes.aligned(pageOffset, X86Pte.DIRECTORY_SHIFT) || pageOffset <= 0
                    || X86Pte.directoryIndex(pageOffset) >= Switcher.PGD_INDEX) {
                throw new IllegalArgumentException("PAGE_OFFSET must be 4 MiB aligned and below the Switcher");
            }
        }
    }

    private final Config config;
    private final Switcher switcher;
    private final PhysicalMemory phys;
    private final GuestPhysicalMemory memory;
    private final LguestStats stats = new LguestStats();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final ShadowPageTables shadow;
    private final LguestCpu[] cpus;
    private final AtomicLong generation = new AtomicLong();
    private volatile String deathReason;
    private boolean destroyed;

    private Lguest(Switcher switcher, HostAddressSpace launcher, Config config) {
        this.config = config;
        this.switcher = switcher;
        this.phys = launcher.physicalMemory();
        this.memory = new GuestPhysicalMemory(launcher, config.memBase(), config.memBytes());
        this.shadow = new ShadowPageTables(this, Math.max(DIRECTORY_CACHE, config.vcpus() + 1),
                new SplittableRandom(config.seed()));
        this.cpus = new LguestCpu[config.vcpus()];
    }

    /**
     * Creates the guest: its first shadow directory and a register page per vCPU.
     *
     * @throws IllegalStateException when the host has no memory for them (the launcher's error,
     *                               before the guest ever ran)
     */
    public static Lguest create(Switcher switcher, HostAddressSpace launcher, Config config) {
        Lguest lg = new Lguest(switcher, launcher, config);
        if (!lg.shadow.init(config.initialCr3())) throw new IllegalStateException("out of host memory for the first shadow directory");
        for (int i = 0; i < config.vcpus(); i++) {
            long regs = lg.phys.allocate(0);
            if (regs == PhysicalMemory.NO_FRAME) {
                lg.destroy();
                throw new IllegalStateException("out of host memory for vCPU register pages");
            }
            lg.cpus[i] = new LguestCpu(lg, i, i % switcher.hostCpus(), regs, config.initialCr3());
        }
        return lg;
    }

    /** Teardown: every shadow entry released (its page reference dropped), every directory and register page freed. */
    public void destroy() {
        lock.writeLock().lock();
        try {
            if (destroyed) return;
            destroyed = true;
            if (deathReason == null) deathReason = "destroyed";
            shadow.free();
            for (LguestCpu c : cpus) if (c != null) phys.put(c.regsPage());
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** lguest's kill_guest: the first reason sticks. */
    public void kill(String why) {
        if (deathReason == null) {
            deathReason = why;
            stats.killed(why);
        }
    }

    public boolean dead() {
        return deathReason != null;
    }

    /** Why the guest was killed, or null while it lives. */
    public String deathReason() {
        return deathReason;
    }

    public LguestCpu cpu(int i) {
        return cpus[i];
    }

    public LguestCpu[] cpus() {
        return cpus.clone();
    }

    public ShadowPageTables shadow() {
        return shadow;
    }

    public LguestStats stats() {
        return stats;
    }

    public GuestPhysicalMemory memory() {
        return memory;
    }

    public PhysicalMemory physicalMemory() {
        return phys;
    }

    public Switcher switcher() {
        return switcher;
    }

    public long pageOffset() {
        return config.pageOffset();
    }

    public long devicePages() {
        return config.devicePages();
    }

    public Config config() {
        return config;
    }

    ReentrantReadWriteLock lock() {
        return lock;
    }

    long generation() {
        return generation.get();
    }

    /** Shadow entries were removed: other vCPUs must not keep using what their TLBs cached. */
    void shadowChanged() {
        generation.incrementAndGet();
    }

    boolean directoryInUseByOther(int dir, LguestCpu self) {
        for (LguestCpu c : cpus) {
            if (c != null && c != self && c.directory() == dir) return true;
        }
        return false;
    }
}
