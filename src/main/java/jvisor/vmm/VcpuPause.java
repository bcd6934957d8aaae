package jvisor.vmm;

import java.util.List;
import jvisor.kvm.power.PowerVcpu;

/**
 * Stops every vCPU of a running machine between two runs and lets them go again, as QEMU's
 * {@code vm_stop} does before it saves a machine: each vCPU is kicked out of its run, completes
 * what its last exit left pending ({@link PowerVcpu#completePendingExit()}), and waits in the run
 * loop. While all wait, their registers, the devices and guest memory change only by the hand of
 * whoever paused them (the input pump may still queue typed bytes and raise the vty's interrupt).
 */
final class VcpuPause {
    private final List<PowerVcpu> vcpus;
    private volatile boolean requested;
    private boolean stopping;
    private int parked;

    VcpuPause(List<PowerVcpu> vcpus) {
        this.vcpus = vcpus;
    }

    /** Called by each vCPU's thread before each run: waits there while a pause is requested. */
    void beforeRun(PowerVcpu v) {
        if (!requested) return;
        synchronized (this) {
            if (!requested || stopping) return;
            v.completePendingExit();
            parked++;
            notifyAll();
            try {
                while (requested && !stopping) wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                parked--;
            }
        }
    }

    /**
     * Stops every vCPU and returns true once all wait; false if the machine stopped first or they
     * did not all stop within {@code timeoutMillis} (a vCPU stuck in a device), and then nothing
     * is held.
     */
    boolean pauseAll(long timeoutMillis) throws InterruptedException {
        synchronized (this) {
            requested = true;
        }
        for (PowerVcpu v : vcpus) v.kick();
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        synchronized (this) {
            while (!stopping && parked < vcpus.size()) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) break;
                wait(Math.min(left, 50));
                // A kick that came while a vCPU was between its check and its run is not lost:
                // kick again until each is in.
                for (PowerVcpu v : vcpus) v.kick();
            }
            if (stopping || parked < vcpus.size()) {
                requested = false;
                notifyAll();
                return false;
            }
            return true;
        }
    }

    /** Lets every paused vCPU run on. */
    synchronized void resumeAll() {
        requested = false;
        notifyAll();
    }

    /** The machine is stopping: nobody waits any more. */
    synchronized void machineStopping() {
        stopping = true;
        notifyAll();
    }
}
