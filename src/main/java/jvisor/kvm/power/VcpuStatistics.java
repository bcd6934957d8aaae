package jvisor.kvm.power;

import java.util.LinkedHashMap;
import java.util.Map;
import jvisor.kvm.RunExit;

/**
 * The counters behind {@code jvisor run --stats} that one vCPU keeps: its exits to user space by
 * kind, its hypercalls by number, its H_CEDE sleeps.
 *
 * <p>The guest picks hypercall numbers, any 64-bit value, so they are counted in a table of fixed
 * size: one counter per number of PAPR's hypercall space (multiples of 4 below
 * {@link #PAPR_HCALL_LIMIT}) and of the platform-specific block at {@link #PLATFORM_BASE} (where
 * KVMPPC_H_RTAS and the performance-counter calls live), one for KVM's paravirtual {@code sc}, and
 * one for every other number together. Nothing the guest does makes the table grow.
 *
 * <p>Only the vCPU's own thread counts, with plain increments (a counter costs one add on the
 * exit path). Another thread reading them sees possibly stale values, and exact ones once it has
 * joined the vCPU thread or after the vCPU returned from {@code run()} to it.
 */
public final class VcpuStatistics {
    /**
     * PAPR's hypercall numbers are multiples of 4 below this; the highest Linux knows (the nested
     * guest calls around 0x460-0x480) is far below it.
     */
    static final long PAPR_HCALL_LIMIT = 0x1000;
    /**
     * The platform-specific hypercalls: KVMPPC_H_RTAS (0xF000), the 24x7 and performance-counter
     * calls Linux's hv_gpci and hv_24x7 make at boot (0xF078-0xF080), up to 0xF100.
     */
    static final long PLATFORM_BASE = 0xF000, PLATFORM_LIMIT = 0xF100;
    private static final int PAPR_SLOTS = (int) (PAPR_HCALL_LIMIT / 4);
    private static final int PLATFORM_SLOTS = (int) ((PLATFORM_LIMIT - PLATFORM_BASE) / 4);
    private static final int PARAVIRT_SLOT = PAPR_SLOTS + PLATFORM_SLOTS, OTHER_SLOT = PARAVIRT_SLOT + 1;
    /** Counters in the hypercall table, whatever the guest calls. */
    public static final int HCALL_COUNTERS = OTHER_SLOT + 1;
    /** The name under which numbers outside the table are counted together. */
    public static final String OTHER_HCALLS = "other numbers";

    private static final String[] EXIT_NAMES = {"Mmio", "Hypercall", "Rtas", "Shutdown", "Debug", "Osi",
            "Interrupted", "InternalError", "ArmNisv", "MemoryFault"};

    private final long[] hcalls = new long[HCALL_COUNTERS];
    private final long[] exits = new long[EXIT_NAMES.length];
    private long cedes;

    void exit(RunExit e) {
        exits[switch (e) {
            case RunExit.Mmio m -> 0;
            case RunExit.Hypercall h -> 1;
            case RunExit.Rtas r -> 2;
            case RunExit.Shutdown s -> 3;
            case RunExit.Debug d -> 4;
            case RunExit.Osi o -> 5;
            case RunExit.Interrupted i -> 6;
            case RunExit.InternalError x -> 7;
            case RunExit.ArmNisv n -> 8;
            case RunExit.MemoryFault f -> 9;
        }]++;
    }

    void hcall(long nr) {
        hcalls[slot(nr)]++;
    }

    /** A KVM paravirtual call ({@code sc} with r0 = "KVM!"). */
    void paravirtualCall() {
        hcalls[PARAVIRT_SLOT]++;
    }

    void cede() {
        cedes++;
    }

    private static int slot(long nr) {
        if ((nr & 3) != 0) return OTHER_SLOT;
        if (nr >= 0 && nr < PAPR_HCALL_LIMIT) return (int) (nr >>> 2);
        if (nr >= PLATFORM_BASE && nr < PLATFORM_LIMIT) return PAPR_SLOTS + (int) ((nr - PLATFORM_BASE) >>> 2);
        return OTHER_SLOT;
    }

    /** Exits by kind (the {@link RunExit} record's name), those that happened. */
    public Map<String, Long> exits() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < exits.length; i++) if (exits[i] != 0) m.put(EXIT_NAMES[i], exits[i]);
        return m;
    }

    /** Hypercalls by name ({@link Hcall#name}, or {@link #OTHER_HCALLS}), those that were made. */
    public Map<String, Long> hcalls() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < hcalls.length; i++) {
            if (hcalls[i] == 0) continue;
            String name = switch (i) {
                case PARAVIRT_SLOT -> Hcall.name(KvmParavirt.SC_MAGIC_R0);
                case OTHER_SLOT -> OTHER_HCALLS;
                default -> Hcall.name(i < PAPR_SLOTS ? 4L * i : PLATFORM_BASE + 4L * (i - PAPR_SLOTS));
            };
            m.put(name, hcalls[i]);
        }
        return m;
    }

    /** H_CEDE calls (each a sleep until an interrupt or the decrementer). */
    public long cedes() {
        return cedes;
    }
}
