package jvisor.vmm.gdb;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import jvisor.hw.power.cpu.DebugPoints;
import jvisor.kvm.RunExit;
import jvisor.kvm.power.GuestTimebase;
import jvisor.kvm.power.PowerVcpu;
import jvisor.vmm.RunLoopDebugger;

/**
 * All-stop run control, as gdb's default mode wants it: either every vCPU stands still, or the
 * debugger has let some run (continue) or take one step, and the first of them to stop (a
 * breakpoint, a watchpoint, a finished step) or an interrupt from gdb stops them all again.
 *
 * <p>A vCPU is held in the machine's run loop, between two runs ({@link #beforeRun}), never inside
 * one: a held vCPU's registers and the guest's memory are the debugger's to read and write. The
 * vCPU applies the breakpoints, watchpoints and single-step setting itself before it runs, on its
 * own thread. While everything stands still the guest's timebase is held, so that neither it nor
 * the decrementers advance.
 *
 * <p>Locking: this object's monitor guards every field but the per-vCPU record of what each vCPU
 * last applied, which only that vCPU's thread touches.
 */
final class AllStop implements RunLoopDebugger {
    /** What a vCPU is to do when it is next let go. */
    enum Action { HOLD, RUN, STEP }

    /** A vCPU stopped on its own; {@code generation} tells a stop of an earlier resume from a current one. */
    record Stop(int vcpu, RunExit.Debug exit, long generation) {}

    private final List<PowerVcpu> vcpus;
    private final GuestTimebase timebase;
    private final Action[] action;
    private final boolean[] parked;
    private DebugPoints points = DebugPoints.NONE;
    private boolean machineStopping;
    private long generation;
    private Consumer<Stop> listener = s -> { };

    // Touched only by each vCPU's own thread.
    private final boolean[] appliedStep;
    private final DebugPoints[] appliedPoints;

    /**
     * @param held whether the vCPUs start held (gdb's {@code -S}: before their first instruction),
     *             with the timebase held too
     */
    AllStop(List<PowerVcpu> vcpus, GuestTimebase timebase, boolean held) {
        this.vcpus = List.copyOf(vcpus);
        for (int i = 0; i < this.vcpus.size(); i++) {
            if (this.vcpus.get(i).id() != i) throw new IllegalArgumentException("vCPU ids must be 0..n-1");
        }
        this.timebase = timebase;
        int n = vcpus.size();
        action = new Action[n];
        Arrays.fill(action, held ? Action.HOLD : Action.RUN);
        parked = new boolean[n];
        appliedStep = new boolean[n];
        appliedPoints = new DebugPoints[n];
        Arrays.fill(appliedPoints, DebugPoints.NONE);
        if (held) timebase.hold();
        this.heldAtStart = held;
    }

    private final boolean heldAtStart;

    @Override
    public boolean holdsAtStart() {
        return heldAtStart;
    }

    int vcpuCount() {
        return vcpus.size();
    }

    PowerVcpu vcpu(int i) {
        return vcpus.get(i);
    }

    /** Where the stops of vCPUs go (the session); called on the vCPU's thread. */
    synchronized void setListener(Consumer<Stop> l) {
        listener = l;
    }

    synchronized long generation() {
        return generation;
    }

    // ------------------------------------------------------------------ the run loop's side

    @Override
    public void beforeRun(PowerVcpu v) {
        int i = v.id();
        boolean step;
        DebugPoints p;
        synchronized (this) {
            try {
                while (action[i] == Action.HOLD && !machineStopping) {
                    if (!parked[i]) {
                        parked[i] = true;
                        notifyAll();
                    }
                    wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                parked[i] = false;
            }
            if (machineStopping) return;
            step = action[i] == Action.STEP;
            p = points;
        }
        if (step != appliedStep[i] || p != appliedPoints[i]) {
            v.setGuestDebug(step, p);
            appliedStep[i] = step;
            appliedPoints[i] = p;
        }
    }

    @Override
    public void debugExit(PowerVcpu v, RunExit.Debug exit) {
        Stop stop;
        Consumer<Stop> l;
        synchronized (this) {
            // Another vCPU's stop or an interrupt came first: this one stays where it is (at
            // its breakpoint or watched access, which it meets again when let go).
            if (action[v.id()] == Action.HOLD) return;
            Arrays.fill(action, Action.HOLD);
            stop = new Stop(v.id(), exit, generation);
            l = listener;
        }
        kickAll();
        l.accept(stop);
    }

    @Override
    public void machineStopping() {
        synchronized (this) {
            machineStopping = true;
            notifyAll();
        }
    }

    // ------------------------------------------------------------------ the debugger's side

    /**
     * Stops every vCPU and waits until each is held in the run loop, then holds the timebase.
     * Returns false if the machine stopped meanwhile.
     */
    boolean stopAll() throws InterruptedException {
        synchronized (this) {
            Arrays.fill(action, Action.HOLD);
        }
        kickAll();
        synchronized (this) {
            while (!machineStopping && !allParked()) wait();
            if (machineStopping) return false;
        }
        timebase.hold();
        return true;
    }

    private boolean allParked() {
        for (boolean p : parked) if (!p) return false;
        return true;
    }

    private void kickAll() {
        for (PowerVcpu v : vcpus) v.kick();
    }

    /** The breakpoints and watchpoints the vCPUs run with from their next start. While stopped. */
    synchronized void setPoints(DebugPoints p) {
        points = p;
    }

    synchronized DebugPoints points() {
        return points;
    }

    /** Lets the vCPUs go, each as {@code actions} says (index = vCPU id). While stopped. */
    void resume(Action[] actions) {
        // While every vCPU is still held: the time stood still ends before any of them runs.
        timebase.release();
        synchronized (this) {
            System.arraycopy(actions, 0, action, 0, action.length);
            generation++;
            notifyAll();
        }
    }

    /** Forgets every breakpoint and watchpoint and lets every vCPU run (gdb detached). */
    void releaseAll() {
        Action[] all = new Action[action.length];
        Arrays.fill(all, Action.RUN);
        setPoints(DebugPoints.NONE);
        resume(all);
    }
}
