package jvisor.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one platform thread per vCPU of a simulation and waits for all of them. A vCPU thread that
 * throws anything (an Error as much as an exception) fails the simulation once every thread has
 * ended: its report would describe a run that did not happen.
 */
public final class VcpuThreads {
    private VcpuThreads() {}

    /** Why a simulation could not complete: the first failure of a vCPU thread, as its cause. */
    public static final class VcpuFailure extends RuntimeException {
        VcpuFailure(String thread, Throwable cause) {
            super(thread + " failed: " + cause, cause);
        }
    }

    /** Runs {@code bodies.get(i)} on thread "vcpu-i", joins them all, then throws the first failure. */
    public static void runAll(List<? extends Runnable> bodies) {
        AtomicReference<VcpuFailure> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < bodies.size(); i++) {
            Runnable body = bodies.get(i);
            String name = "vcpu-" + i;
            threads.add(Thread.ofPlatform().name(name).start(() -> {
                try {
                    body.run();
                } catch (Throwable t) {
                    failure.compareAndSet(null, new VcpuFailure(name, t));
                }
            }));
        }
        boolean interrupted = false;
        for (Thread t : threads) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        if (failure.get() != null) throw failure.get();
    }
}
