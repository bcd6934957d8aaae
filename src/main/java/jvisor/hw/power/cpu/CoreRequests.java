package jvisor.hw.power.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import jvisor.hw.power.InterruptVector;
import jvisor.hw.power.Srr1;

/**
 * What other threads ask of one {@link Core} (KVM's vcpu requests): to leave {@link Core#run},
 * to drop its cached translations, to take a system reset. A request sets a bit here and raises
 * the core's {@link Core#attention}; the core's own thread acts on the bits at its next event
 * check (an instruction boundary). A translation flush can also be waited for: the requester
 * spins until the core has flushed, or until it is not running guest code.
 */
final class CoreRequests {
    /** WRITTEN: drop what was written in the guest's tables since the last flush (see {@link CachedTranslations#dropWritten}). */
    static final int EXIT = 1, FLUSH = 2, SYSTEM_RESET = 4, WRITTEN = 8;
    /**
     * How long a flush is waited for spinning before each further look yields the processor. The
     * other core answers at its next event check, a few microseconds on when it runs; when it
     * does not (more runnable threads than processors: vCPUs and HotSpot's compilers), spinning
     * kept from it the processor it needed. The bench's smp-sieve (two vCPUs, the guest remapping
     * pages every round, some 10,000 waits a run, most of 100-1,000 spins): one run in ten took
     * 27 s instead of 2.3, and 6% of the vCPUs' samples were the spin; yielding after 20, no
     * such run, and 0.96 of the time of the others (10 alternating runs).
     */
    static final int SPINS_BEFORE_YIELD = 20;

    /** The core whose {@link Core#run} the current thread is in, if any. */
    private static final ThreadLocal<Core> RUNNING = new ThreadLocal<>();

    private final Core core;
    private final AtomicInteger pending = new AtomicInteger();
    /** True while {@link Core#run} executes guest instructions (KVM's IN_GUEST_MODE). */
    private volatile boolean inGuest;
    /**
     * The core's servings of its requests, numbered: the number of the last one begun (before it
     * takes the pending requests) and of the last one ended, written only on the core's thread.
     * A waiter whose request was taken knows that the serving that took it began before it
     * looked, and waits until that one ended ({@link #flushAndWait}).
     */
    private volatile long begun, ended;

    CoreRequests(Core core) {
        this.core = core;
    }

    /** The current thread starts running the core's guest code; returns the core it ran before, if nested. */
    Core enter() {
        Core outer = RUNNING.get();
        RUNNING.set(core);
        inGuest = true;
        return outer;
    }

    /** The current thread left the core's guest code. */
    void leave(Core outer) {
        inGuest = false;
        RUNNING.set(outer);
    }

    /** Asks for {@code bits}, from any thread. */
    void post(int bits) {
        pending.getAndAccumulate(bits, (v, b) -> v | b); // no lambda capturing bits: a tlbie posts one per vCPU
        core.attention = true;
    }

    /**
     * On the core's thread, at an instruction boundary: acts on what is pending. A flush first;
     * then an exit ({@link Exit#INTERRUPTED}, a system reset asked for with it waiting for the
     * next run) or a system reset (0x100). Returns what the run loop continues with.
     */
    int serve() {
        long n = begun + 1;
        begun = n;
        int req = pending.getAndSet(0);
        if ((req & (FLUSH | WRITTEN)) != 0) {
            flush(req);
        }
        ended = n;
        if ((req & EXIT) != 0) {
            if ((req & SYSTEM_RESET) != 0) {
                post(SYSTEM_RESET);
            }
            core.cia = core.pc;
            return core.exit(Exit.INTERRUPTED, "exit requested");
        }
        if ((req & SYSTEM_RESET) != 0) {
            core.cia = core.pc;
            return core.interrupts.raise(InterruptVector.SYSTEM_RESET, core.pc, Srr1.SYSTEM_RESET_EXTERNAL);
        }
        return Core.OK;
    }

    /**
     * Flushes the core's cached translations and, if it is running guest code on another thread,
     * waits until it has dropped them: after this returns the core cannot use a translation that
     * was removed before the call (a tlbie's completion, or KVM's remote TLB flush with its
     * acknowledgement). A core outside {@link Core#run} flushes before its next instruction.
     *
     * <p>Called on the core's own thread while it runs, the invalidation is its own tlbie (the
     * hypervisor's work happens between runs): the instruction drops what it names from this
     * core's caches itself once the TLBs have ({@link SystemOps#tlbie}, for tlbiel too, which no
     * one else hears of), so nothing is done here.
     */
    void flushAndWait(int kind) {
        Core self = RUNNING.get();
        if (self == core) {
            return;
        }
        // Done once the request was taken and the serving that took it has ended: a count of
        // servings alone could move for one that began before the request and took none of it
        // (harmless for a flush of everything, which drops whatever was there when it ran, but a
        // flush of what the table log names must read the log after this request's writes).
        post(kind);
        long taker = -1;
        for (int spins = 0; inGuest; spins++) {
            if (taker < 0 && (pending.get() & kind) == 0) {
                taker = begun;
            }
            if (taker >= 0 && ended >= taker) {
                break;
            }
            // Two cores may invalidate at once (tlbie on both): each keeps answering the other.
            if (self != null) {
                self.requests.serviceFlush();
            }
            if (spins < SPINS_BEFORE_YIELD) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    /** On the core's own thread: performs a flush another thread is waiting for. */
    private void serviceFlush() {
        if ((pending.get() & (FLUSH | WRITTEN)) == 0) {
            return;
        }
        long n = begun + 1;
        begun = n;
        int req = pending.get() & (FLUSH | WRITTEN);
        pending.getAndAccumulate(~req, (v, mask) -> v & mask);
        flush(req);
        ended = n;
    }

    /** A flush of everything, or only of what the table log names (one asked for both: everything). */
    private void flush(int req) {
        if ((req & FLUSH) != 0 || !core.translations.dropWritten()) {
            core.translations.flushAll();
        }
    }
}
