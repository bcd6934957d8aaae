package jvisor.hw.power.cpu;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import jvisor.hw.power.MmuRegisters;
import jvisor.hw.power.TlbControl;
import jvisor.memory.RealMemory;

/**
 * Translates hot code of a machine on a thread of its own, so that a core keeps interpreting
 * instead of stopping for the translation, and makes a translation reachable only once HotSpot
 * has compiled it.
 *
 * <p>Why the second part: a translated region is a new class, and HotSpot starts every method in
 * its bytecode interpreter. A region entered at once runs there, several times slower than the
 * core's own (compiled) interpreter, until HotSpot has counted enough calls and its compiler
 * threads got to it: in a Linux boot about a tenth of the vCPU's time went to regions in that
 * state. So a new region is first called here, on a core of its own that no guest runs on, with
 * an allowance of nothing (the region returns at its first block, having only loaded and stored
 * that core's registers); those calls make HotSpot compile it, and their time tells when it did:
 * when a batch of calls costs a fraction of the first batch, the region is compiled and is
 * installed. A region that does not speed up within {@link #MAX_WARMING_NANOS} is installed
 * anyway, and a new region with a loop in it, or the successor of a quick region that spins,
 * after the first calls (see {@link #work}). Measured with
 * the boot of Debian's kernel and the two-CPU sieve, best of 3 in one JVM, twice each: waiting
 * for every region 3.79/3.48 s and 1.96/1.99 s, for none 3.97/4.01 s and 1.46/1.40 s, for the
 * loop-free ones 4.03/4.18 s and 1.48/1.40 s; translating on the vCPU 4.27/4.04 s and 1.61/1.41 s.
 *
 * <p>Where the JVM takes such requests ({@link HotSpotTiers}), a new (quick) region is not called
 * at all: HotSpot is asked to compile it with C1 at once, without profiling, and it is installed
 * when that code exists. Cold Linux boots (6 alternating pairs): wall 0.94, processor time 0.94.
 *
 * <p>A request may also be for a quick region that ran hot ({@link CompiledRegion#quick}): its
 * successor goes through the same warm-up and then takes its place.
 *
 * <p>The thread starts with the first request and ends after a second without work. Requests that
 * do not fit the queue are dropped: the code stays interpreted and is asked for again when its
 * count comes round.
 */
final class BackgroundTranslator {
    private static final int QUEUE = 256, SUB_BATCH = 8, ROUNDS = 4;
    /** A batch this many times cheaper than the first means compiled code. */
    private static final int SPEED_UP = 4;
    static final long MAX_WARMING_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final DecodeCache cache;
    private final ArrayBlockingQueue<Request> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong installed = new AtomicLong(), dropped = new AtomicLong(), translated = new AtomicLong();
    /** Set when the machine is gone: no thread starts any more, a running one ends. */
    private volatile boolean closed;
    private volatile Thread thread;

    /** Translate the code entered at slot, or (replacing not null) translate a hot quick region again for C2. */
    private record Request(DecodePage page, int slot, RealMemory memory, long addrMask, CompiledRegion replacing) {
    }

    /** A translation waiting for HotSpot to compile it. */
    private static final class Warming {
        final DecodePage page;
        final RegionCompiler.Translation translation;
        final CompiledRegion replacing;
        final long since = System.nanoTime();
        long firstBatch = -1;
        /** The region's run method, when HotSpot was asked to compile it at a tier: its tier says when it is compiled. */
        Method asked;

        Warming(DecodePage page, RegionCompiler.Translation translation, CompiledRegion replacing) {
            this.page = page;
            this.translation = translation;
            this.replacing = replacing;
        }

        /** Asks HotSpot for the region's code at {@code tier} now, if the JVM takes such requests. */
        void askTier(int tier) {
            if (!HotSpotTiers.available()) {
                return;
            }
            try {
                Method run = translation.region().runMethod();
                if (HotSpotTiers.compile(run, tier)) {
                    asked = run;
                }
            } catch (NoSuchMethodException e) {
                // Every region declares it; without it the region takes the policy's way.
            }
        }
    }

    BackgroundTranslator(DecodeCache cache) {
        this.cache = cache;
    }

    /**
     * Asks for the code entered at {@code slot} of the page to be translated, the translation to
     * take the place of {@code replacing} (a quick region that ran hot, discovered from
     * {@code slot}) or, if that is null, to go where no region is; never blocks. False when the
     * request was dropped (the queue was full, or the machine is gone).
     */
    boolean submit(DecodePage page, int slot, RealMemory memory, long addrMask, CompiledRegion replacing) {
        if (closed) {
            return false;
        }
        pending.incrementAndGet();
        if (!queue.offer(new Request(page, slot, memory, addrMask, replacing))) {
            pending.decrementAndGet();
            dropped.incrementAndGet();
            return false;
        }
        if (running.compareAndSet(false, true)) {
            thread = Thread.ofPlatform().daemon().name("jvisor-translator").start(this::work);
        }
        return true;
    }

    /**
     * The machine is gone: the thread drops what it holds and ends, instead of keeping the
     * machine's decoded pages (and translations) reachable until a second without work has
     * passed; nothing is translated any more. Waits for the thread to end, so nothing of the
     * machine reads its memory after this.
     */
    void close() {
        closed = true;
        queue.clear();
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
            // A translation under way holds its page's frame (RegionCompiler.translate): the
            // machine is gone only when that is let go, a few milliseconds at most.
            try {
                t.join(TimeUnit.SECONDS.toMillis(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Whether next to nothing waits for translation or for HotSpot's compilers: at most one
     * request or translation is on its way ({@link Tiering} then asks for warm code early). One
     * read: a core asks at every interpreted run of code that is warm but not yet hot.
     */
    boolean idle() {
        return pending.get() <= 1;
    }

    /** Requests queued and translations waiting for their code: counted up by submit, down by the thread. */
    private final AtomicInteger pending = new AtomicInteger();

    /** Translations made so far (reachable or not). */
    long translated() {
        return translated.get();
    }

    /** Translations made reachable so far. */
    long installed() {
        return installed.get();
    }

    /** Requests dropped because the queue was full. */
    long dropped() {
        return dropped.get();
    }

    private void work() {
        List<Warming> warming = new ArrayList<>();
        Core dry = null;
        long idleSince = System.nanoTime();
        while (true) {
            if (closed) {
                running.set(false);
                return;
            }
            Request r;
            try {
                r = queue.poll(warming.isEmpty() ? 100 : 1, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                running.set(false);
                return;
            }
            if (r != null && r.replacing() == null && covered(r, warming)) {
                pending.decrementAndGet();
                r = null;
            }
            if (r != null) {
                idleSince = System.nanoTime();
                if (dry == null) {
                    dry = dryRunCore(r.memory());
                }
                cache.reserveRegion();
                RegionCompiler.Translation t = null;
                try {
                    t = RegionCompiler.translate(r.page(), r.slot(), r.memory(), r.addrMask(), r.replacing());
                } catch (RuntimeException e) {
                    // Not expected; the code simply stays interpreted.
                }
                if (t != null) {
                    translated.incrementAndGet();
                    Warming w = new Warming(r.page(), t, r.replacing());
                    if (r.replacing() == null) {
                        w.askTier(HotSpotTiers.SIMPLE);
                    }
                    warming.add(w);
                } else {
                    pending.decrementAndGet();
                }
            }
            for (int i = warming.size() - 1; i >= 0; i--) {
                Warming w = warming.get(i);
                // A new region with a loop goes in after its first warm-up calls, compiled or
                // not: HotSpot compiles a loop the guest spins in while it runs (on-stack
                // replacement) and gives it priority, where the warm-up's calls made it wait its
                // turn (two vCPUs sieving interpreted for up to 250 ms). A successor waits, as the
                // quick region it replaces is compiled code, unless that one spins: a loop that
                // iterates a few times a call is seldom compiled on the stack, and its successor
                // ran in HotSpot's interpreter, 3% of the vCPU in a cold Linux boot.
                if (compiled(w, dry) || (w.translation.loops() && w.firstBatch >= 0
                        && (w.replacing == null || w.replacing.spins()))) {
                    if (w.page.install(w.translation.region(), w.translation.entries(), w.replacing)) {
                        installed.incrementAndGet();
                    }
                    warming.remove(i);
                    pending.decrementAndGet();
                }
            }
            if (r == null && warming.isEmpty() && System.nanoTime() - idleSince > IDLE_NANOS) {
                running.set(false);
                // A request may have come in after the last poll and before the flag went down.
                if (queue.isEmpty() || !running.compareAndSet(false, true)) {
                    return;
                }
            }
        }
    }

    /**
     * Whether the slot a request asks for already leads to a translation, or is an entry of one
     * made for the same page and mode that waits for its compiled code: a second start of the
     * same loop that got hot meanwhile (in the ALU bench guest, the loop's head after the target
     * of its inner branch). Translated again, it made a copy of the same code, which either found
     * every entry taken or took them all from the first.
     */
    private static boolean covered(Request r, List<Warming> warming) {
        if (r.page().translationAt(r.slot(), r.addrMask()) != null) {
            return true;
        }
        for (Warming w : warming) {
            if (w.page == r.page() && w.replacing == null
                    && w.translation.region().addrMask == r.addrMask() && w.translation.entersAt(r.slot())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Calls the region a batch of times with no allowance and compares the cost with the first
     * batch; true when it is compiled (or has waited long enough). The calls go round all the
     * region's entries, each stopping at its allowance check, so every entry has been taken by
     * the time HotSpot profiles the code: it compiles them instead of leaving the ones the guest
     * has not used yet out and deoptimizing the region the first time the guest takes one.
     */
    private static boolean compiled(Warming w, Core dry) {
        // Two more classes at the shared call site, whatever the guest's regions are.
        NOTHING_A.enter(dry, 0, 0);
        NOTHING_B.enter(dry, 0, 0);
        if (w.asked != null) {
            // Compiled once, without profiling: no calls are needed to have every entry profiled.
            return HotSpotTiers.tier(w.asked) > 0 || System.nanoTime() - w.since > MAX_WARMING_NANOS;
        }
        CompiledRegion region = w.translation.region();
        int[] entries = w.translation.entries();
        int calls = Math.max(SUB_BATCH, entries.length);
        // The cheapest of a few rounds: a round the thread was preempted in says nothing.
        long cost = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
            long t0 = System.nanoTime();
            for (int k = 0; k < calls; k++) {
                int entry = entries[k % entries.length];
                dry.pc = w.page.realBase + ((long) entry << 2);
                region.enter(dry, entry, 0);
            }
            cost = Math.min(cost, System.nanoTime() - t0);
        }
        if (w.firstBatch < 0) {
            w.firstBatch = cost;
            return false;
        }
        return cost * SPEED_UP < w.firstBatch || System.nanoTime() - w.since > MAX_WARMING_NANOS;
    }

    /** A region that runs nothing (the whole allowance is left). */
    private static class Nothing extends CompiledRegion {
        Nothing(int generation) {
            super(null, generation, -1, 0, 0, false, null, null);
        }

        @Override
        int run(Core core, int slot, long allowance) {
            core.jitLeft = allowance;
            return Core.OK;
        }
    }

    /** Two classes of it (the second an empty subclass), to make the call site megamorphic. */
    private static final CompiledRegion NOTHING_A = new Nothing(-1), NOTHING_B = new Nothing(-2) { };

    /** A core no guest runs on, for the calls that get regions compiled. */
    private static Core dryRunCore(RealMemory memory) {
        return new Core(memory, null, new MmuRegisters(), TlbControl.NONE, () -> 0,
                new ReservationMonitor(1), new DecodeCache(1L << 12), 0);
    }
}
