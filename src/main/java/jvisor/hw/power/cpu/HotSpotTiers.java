package jvisor.hw.power.cpu;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;

/**
 * Asks HotSpot to compile one method at one tier, where the JVM lets jvisor ask (the launcher's
 * {@code -XX:+WhiteBoxAPI} with {@code jdk.test.whitebox.WhiteBox} on the boot class path).
 *
 * <p>Why: a quick region is meant for HotSpot's C1 alone (the launcher's compiler directives keep
 * C2 from it), but HotSpot's tiered policy does not know that until C2 is asked for it. Left to the
 * policy, a new region ran in HotSpot's bytecode interpreter, then in C1 code with full profiling
 * (tier 3, the slowest compiled code and the costliest C1 compile), and was compiled a second time
 * without profiling (tier 1) only after the C2 request was refused: in a Linux boot 273 tier-3,
 * 49 tier-2 and 141 tier-1 compiles for some 300 regions. Asked for tier 1 at once, each region
 * is compiled once, to the code it keeps. Without the interface, regions take the policy's way.
 */
final class HotSpotTiers {
    /** C1 without profiling: the code a quick region keeps. */
    static final int SIMPLE = 1;
    /** C1 with full profiling, from which HotSpot's policy goes on to C2; and C2. */
    static final int PROFILED = 3, OPTIMIZED = 4;

    private static final MethodHandle ENQUEUE, LEVEL;

    static {
        MethodHandle enqueue = null, level = null;
        try {
            Class<?> whiteBox = Class.forName("jdk.test.whitebox.WhiteBox");
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            enqueue = lookup.findStatic(whiteBox, "enqueueMethodForCompilation0",
                    MethodType.methodType(boolean.class, Executable.class, int.class, int.class));
            level = lookup.findStatic(whiteBox, "getMethodCompilationLevel0",
                    MethodType.methodType(int.class, Executable.class, boolean.class));
            // Unbound natives throw here, not at the first region.
            int unused = (int) level.invokeExact((Executable) HotSpotTiers.class.getDeclaredMethod("available"), false);
        } catch (Throwable t) {
            enqueue = level = null;
        }
        ENQUEUE = enqueue;
        LEVEL = level;
    }

    private HotSpotTiers() {
    }

    /** Whether this JVM takes requests for a tier. */
    static boolean available() {
        return ENQUEUE != null;
    }

    /** Queues {@code method} for compilation at {@code tier}; false if the JVM did not take it. */
    static boolean compile(Method method, int tier) {
        if (ENQUEUE == null) {
            return false;
        }
        try {
            return (boolean) ENQUEUE.invokeExact((Executable) method, tier, -1);
        } catch (Throwable t) {
            return false;
        }
    }

    /** The tier of {@code method}'s current code (0: interpreted; -1 if the JVM does not tell). */
    static int tier(Method method) {
        if (LEVEL == null) {
            return -1;
        }
        try {
            return (int) LEVEL.invokeExact((Executable) method, false);
        } catch (Throwable t) {
            return -1;
        }
    }
}
