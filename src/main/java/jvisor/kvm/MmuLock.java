package jvisor.kvm;

import java.util.concurrent.locks.ReentrantLock;

/**
 * KVM's mmu_lock with the MMU-notifier sequence protocol. A fault handler reads {@link #sequence()}
 * before it looks up the host page (outside the lock), then, holding the lock, asks
 * {@link #mustRetry(long)}: if an invalidation is running, or one ran since, the page it holds may
 * already be gone from the host, so it must not be mapped and the guest retries the access.
 */
public final class MmuLock {
    private final ReentrantLock lock = new ReentrantLock();
    private volatile long sequence;
    private int inProgress;
    private long retries;

    public void lock() {
        lock.lock();
    }

    public void unlock() {
        lock.unlock();
    }

    public boolean isHeldByCurrentThread() {
        return lock.isHeldByCurrentThread();
    }

    /** The sequence to pass to {@link #mustRetry}; read before looking up the host page. */
    public long sequence() {
        return sequence;
    }

    /** Under the lock: true if an invalidation is in progress or completed since {@code seq} was read. */
    public boolean mustRetry(long seq) {
        if (inProgress != 0 || sequence != seq) {
            retries++;
            return true;
        }
        return false;
    }

    /** Under the lock: an invalidation begins. */
    void invalidateBegin() {
        inProgress++;
    }

    /** Under the lock: an invalidation ends; faults that started before it must retry. */
    void invalidateEnd() {
        sequence++;
        inProgress--;
        if (inProgress < 0) throw new IllegalStateException("unbalanced invalidate_range_end");
    }

    /** Invalidations running now (for tests and statistics). */
    public int inProgress() {
        return inProgress;
    }

    /** Faults told to retry so far. */
    public long retries() {
        return retries;
    }
}
