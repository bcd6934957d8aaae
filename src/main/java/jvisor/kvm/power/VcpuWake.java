package jvisor.kvm.power;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Where a vCPU's thread sleeps (H_CEDE, a CPU stopped by RTAS) and how other threads wake it:
 * KVM's kvm_vcpu_block and kvm_vcpu_wake_up. The sleeper says what keeps it asleep; whoever
 * changes that condition calls {@link #signal}. Each wait is bounded, so a condition that is not
 * signalled (the decrementer running down) is still looked at in time.
 */
final class VcpuWake {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    /** H_PROD arrived: the current H_CEDE, or the next, returns at once. */
    private volatile boolean prodded;

    /** Wakes the sleeper to look at its condition again. */
    void signal() {
        lock.lock();
        try {
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes {@code change} under the sleeper's lock, then wakes it: a sleeper that wakes sees all
     * of the change (RTAS start-cpu setting a stopped CPU's registers).
     */
    void signalAfter(Runnable change) {
        lock.lock();
        try {
            change.run();
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** H_PROD: ends the current or the next {@link #cede}. */
    void prod() {
        prodded = true;
        signal();
    }

    /**
     * H_CEDE: sleeps while {@code asleep} holds and no prod came, each wait at most
     * {@code nanos} (asked again before every wait); consumes the prod.
     */
    void cede(BooleanSupplier asleep, LongSupplier nanos) {
        lock.lock();
        try {
            while (!prodded && asleep.getAsBoolean()) {
                wake.awaitNanos(Math.min(nanos.getAsLong(), 50_000_000L));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            prodded = false;
            lock.unlock();
        }
    }

    /** Sleeps while {@code asleep} holds (a stopped CPU), looking again at least every 100 ms. */
    void sleep(BooleanSupplier asleep) {
        lock.lock();
        try {
            while (asleep.getAsBoolean()) {
                wake.await(100, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }
}
