package jvisor.hw.power.cpu;

import static java.lang.constant.ConstantDescs.CD_void;

import java.lang.classfile.CodeBuilder;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.VarHandle;

/**
 * The barrier instructions (sync, lwsync, ptesync, eieio, isync) as fences of the Java memory
 * model.
 *
 * <p>Guest loads and stores are plain JVM accesses to guest memory (the data translation cache hit path and
 * the interpreter alike), which HotSpot and the host CPU may reorder exactly as far as the Java
 * memory model lets them: on an x86 host a store can pass a later load (the store buffer), and
 * the JIT can move plain accesses past one another. That is about as weak as the POWER storage
 * model itself (Power ISA v3.0B Book II 1.7.1: accesses to different locations may be performed
 * in any order unless a barrier or a dependency orders them), so plain accesses are kept and the
 * guest's own barriers become the fences that forbid what POWER forbids:
 * <ul>
 * <li>{@code sync} (L=0, hwsync) orders every earlier access before every later one, store before
 *     load included (Book II 4.6.3): {@link VarHandle#fullFence()}. {@code ptesync} (L=2) is a
 *     hwsync that also orders the page-table updates before it with the table walks after it
 *     (same section); the MMU's table walks read guest memory like any other access, so the full
 *     fence covers them. The reserved L=3 is taken as hwsync, the safe reading.</li>
 * <li>{@code lwsync} (L=1) orders load-load, load-store and store-store but not an earlier store
 *     before a later load (Book II 4.6.3, 1.7.1): {@link VarHandle#acquireFence()} (earlier loads
 *     before later loads and stores) plus {@link VarHandle#releaseFence()} (earlier loads and
 *     stores before later stores), which together are everything but store-load, so the host
 *     keeps its store buffer and the cost on x86 is nothing but the JIT's restraint.</li>
 * <li>{@code eieio} orders stores to cacheable storage among themselves (Book II 4.6.3; its
 *     ordering of caching-inhibited accesses is for I/O): {@link VarHandle#storeStoreFence()}.
 *     A release fence would also order earlier loads before later stores, which eieio does not
 *     promise for cacheable storage, and would still not give what caching-inhibited accesses
 *     need (load-load, store-load). Those never reach a plain access here: device memory is
 *     MMIO, which leaves the core as an exit and completes before the next instruction, so it is
 *     ordered by program order already. QEMU makes eieio a full barrier (TCG cannot tell
 *     caching-inhibited accesses from the others); jvisor follows the ISA. The POWER9 form with
 *     instruction bit 6 set is a store-forwarding barrier (an earlier store before a later load),
 *     so it gets the full fence.</li>
 * <li>{@code isync} waits for all earlier instructions to complete and discards what was fetched
 *     after it (Book II 4.6.1). After a conditional branch that depends on a loaded value it keeps
 *     every later access from being performed before that load has returned its value (Book II
 *     1.7.1 and the acquire sequences of B.2.1): an acquire. {@link VarHandle#acquireFence()}
 *     (earlier loads before later loads and stores) is that acquire; it is the same fence with or
 *     without the branch, since the JVM cannot speculate a load past a fence either way.</li>
 * </ul>
 * The architecture's barriers are cumulative (Book II 1.7.1): accesses of other processors that
 * this one has seen are ordered with its own. The host's fences give that for free on the hosts
 * the JVM runs on, whose stores become visible to all other processors at once (x86-TSO and ARMv8
 * are multi-copy atomic).
 *
 * Dependencies order without a barrier (Book II 1.7.1: a store is not performed before the loads
 * its value or address depends on); that needs no fence either: x86 and ARMv8 hosts keep such a
 * store after the load, and HotSpot treats all guest memory as one raw memory slice, so it does
 * not move a store above an earlier load that might read the same bytes, even where it has
 * folded the dependency itself away (xor rX,rY,rY). The litmus guest's lb+deps shows it.
 *
 * <p>Translated code emits the same fences inline ({@link #emit}); the interpreter calls the
 * bodies here. Loads and stores themselves carry no fence, so code without barriers costs what it
 * did. Load-and-reserve and store-conditional are ordered by their own atomic accesses
 * ({@link Atomic}).
 */
final class MemoryBarrier {
    private MemoryBarrier() {
    }

    /** The L field of sync (instruction bits 9:10). */
    static int syncL(int w) {
        return (w >>> 21) & 3;
    }

    /** eieio with instruction bit 6 set: POWER9's store-forwarding barrier. */
    static boolean storeForwardingBarrier(int w) {
        return (w & 0x0200_0000) != 0;
    }

    static int sync(Core c, int w) {
        if (syncL(w) == 1) {
            VarHandle.acquireFence();
            VarHandle.releaseFence();
        } else {
            VarHandle.fullFence();
        }
        return Core.OK;
    }

    static int eieio(Core c, int w) {
        if (storeForwardingBarrier(w)) {
            VarHandle.fullFence();
        } else {
            VarHandle.storeStoreFence();
        }
        return Core.OK;
    }

    static int isync(Core c, int w) {
        VarHandle.acquireFence();
        return Core.OK;
    }

    private static final ClassDesc VAR_HANDLE = ClassDesc.of("java.lang.invoke.VarHandle");
    private static final MethodTypeDesc FENCE = MethodTypeDesc.of(CD_void);

    /** Emits the fences of the barrier whose body is {@code body} ("sync", "eieio" or "isync") for word {@code w}. */
    static void emit(CodeBuilder code, String body, int w) {
        switch (body) {
            case "sync" -> {
                if (syncL(w) == 1) {
                    fence(code, "acquireFence");
                    fence(code, "releaseFence");
                } else {
                    fence(code, "fullFence");
                }
            }
            case "eieio" -> fence(code, storeForwardingBarrier(w) ? "fullFence" : "storeStoreFence");
            case "isync" -> fence(code, "acquireFence");
            default -> throw new IllegalArgumentException("not a barrier: " + body);
        }
    }

    private static void fence(CodeBuilder code, String name) {
        code.invokestatic(VAR_HANDLE, name, FENCE);
    }
}
