package jvisor.kvm.power;

import jvisor.hw.power.cpu.Core;
import jvisor.hw.power.cpu.DebugPoints;
import jvisor.hw.power.cpu.Exit;
import jvisor.kvm.RunExit;

/**
 * One vCPU's KVM_SET_GUEST_DEBUG state and the debug exits it produces: with single step each
 * run executes one instruction and ends in a STEP exit; breakpoints and watchpoints end a run in
 * a debug exit naming what was hit. A step whose instruction went to user space (an MMIO load, a
 * hypercall, RTAS, OSI) ends when the next run has completed it.
 */
final class VcpuDebug {
    private final Core core;
    private boolean singleStep;
    private boolean stepEndsAfterCompletion;

    VcpuDebug(Core core) {
        this.core = core;
    }

    void set(boolean singleStep, DebugPoints points) {
        this.singleStep = singleStep;
        core.setDebugPoints(points);
    }

    boolean singleStep() {
        return singleStep;
    }

    /** At the start of a run, after completing the last exit: the step that exit belonged to ends now. */
    RunExit afterCompletion() {
        if (!stepEndsAfterCompletion) return null;
        stepEndsAfterCompletion = false;
        return singleStep ? stepped() : null;
    }

    /**
     * After one {@link Core#step()} that ended with {@code code} and gave {@code exit} (null if the
     * hypervisor handled it): the STEP exit if the instruction retired, else null.
     */
    RunExit afterStep(int code, RunExit exit, long pcBefore, long counted) {
        if (!singleStep || code == Exit.DEBUG) return null;
        if (exit == null && retired(code, pcBefore, counted)) return stepped();
        if (exit instanceof RunExit.Mmio || exit instanceof RunExit.Hypercall || exit instanceof RunExit.Rtas
                || exit instanceof RunExit.Osi) {
            stepEndsAfterCompletion = true;
        }
        return null;
    }

    /**
     * Whether a single step's run finished its instruction (or the synchronous interrupt it caused):
     * the instruction limit says so, as does an exit the hypervisor handled for it (a hypercall, an
     * emulation assist reflected as a program interrupt, a partition-scoped fault reflected into
     * the guest, which moved pc to the vector). A fault resolved in the hypervisor leaves pc at the
     * instruction, which is retried; an exit request may come before or after the instruction.
     */
    private boolean retired(int code, long pcBefore, long counted) {
        return switch (code) {
            case Exit.INSTRUCTION_LIMIT, Exit.HYPERCALL, Exit.SYSTEM_CALL, Exit.HYPERVISOR_EMULATION_ASSIST -> true;
            case Exit.INTERRUPTED -> core.instructions() != counted;
            case Exit.HDSI, Exit.HISI -> core.pc() != pcBefore;
            default -> false;
        };
    }

    private RunExit stepped() {
        return new RunExit.Debug(core.pc(), RunExit.Debug.Cause.STEP, core.pc());
    }

    /** The exit for a breakpoint or watchpoint the core stopped at. */
    RunExit hit(DebugPoints.Hit hit) {
        RunExit.Debug.Cause cause = switch (hit.kind()) {
            case DebugPoints.WATCH_WRITE -> RunExit.Debug.Cause.WATCH_WRITE;
            case DebugPoints.WATCH_READ -> RunExit.Debug.Cause.WATCH_READ;
            case DebugPoints.WATCH_ACCESS -> RunExit.Debug.Cause.WATCH_ACCESS;
            default -> RunExit.Debug.Cause.BREAKPOINT;
        };
        return new RunExit.Debug(core.pc(), cause, hit.address());
    }
}
