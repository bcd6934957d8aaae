package jvisor.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * The threads of one fuzz round (a vCPU each, say): started together, each body's escaping
 * Throwable counted as a host exception, and joined with a deadline. A thread still alive after
 * it is a hang, reported with its stack as a host exception; it is left behind (a daemon), and the
 * caller must not tear down what it may still hold.
 */
final class Workers {
    private final Tally tally;
    private final String where;
    private final List<Thread> threads = new ArrayList<>();

    Workers(Tally tally, String where) {
        this.tally = tally;
        this.where = where;
    }

    void start(String name, Runnable body) {
        Thread t = Thread.ofPlatform().daemon().name(name).unstarted(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                tally.hostException(where + ", thread " + Thread.currentThread().getName(), e);
            }
        });
        threads.add(t);
        t.start();
    }

    /** How many threads have finished. */
    int finished() {
        int n = 0;
        for (Thread t : threads) if (!t.isAlive()) n++;
        return n;
    }

    /** Whether every thread has finished. */
    boolean allDone() {
        for (Thread t : threads) if (t.isAlive()) return false;
        return true;
    }

    /**
     * Waits for every thread until {@code deadlineMillis} from now, calling {@code nudge} (a kick
     * of every vCPU) while it waits. Returns false, after reporting each hung thread, on a hang.
     */
    boolean join(long deadlineMillis, Runnable nudge) {
        long end = System.nanoTime() + deadlineMillis * 1_000_000L;
        for (Thread t : threads) {
            while (t.isAlive() && System.nanoTime() < end) {
                nudge.run();
                try {
                    t.join(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        boolean ok = true;
        for (Thread t : threads) {
            if (t.isAlive()) {
                ok = false;
                Throwable hang = new IllegalStateException("thread " + t.getName() + " did not finish within "
                        + deadlineMillis + " ms (a hang)");
                hang.setStackTrace(t.getStackTrace());
                tally.hostException(where, hang);
            }
        }
        return ok;
    }
}
