package jvisor.hw.power.cpu;

import java.lang.invoke.MethodHandles;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The decoder's and the dispatcher's tables ({@link Decoder}, {@link Executor}), which every core
 * of the JVM shares and the first instruction needs: the instruction table and the decoder's
 * lookup are some 50-70 ms of a cold start, most of it HotSpot interpreting their set-up (the
 * dispatcher is a class of the jar, see {@link DispatchGenerator}).
 */
public final class CpuTables {
    private CpuTables() {
    }

    private static final AtomicBoolean ASKED = new AtomicBoolean();

    /**
     * Builds the tables on a thread of their own, so that a machine loading its guest meanwhile
     * does not have its first instruction wait for them. Once per JVM, and harmless if a core gets
     * there first (it waits for, or does, what is left). A failure is left for the first core to
     * meet, with its cause.
     */
    public static void prepareInBackground() {
        if (ASKED.compareAndSet(false, true)) {
            Thread.ofPlatform().daemon().name("jvisor-cpu-tables").start(() -> {
                try {
                    MethodHandles.Lookup lookup = MethodHandles.lookup();
                    lookup.ensureInitialized(Decoder.class);
                    lookup.ensureInitialized(Executor.class);
                    if (NativeTier.DEFAULT) {
                        NativeTier.prepare();
                    }
                } catch (ReflectiveOperationException | LinkageError e) {
                    // The core that needs the class initializes it and reports the failure.
                }
            });
        }
    }
}
