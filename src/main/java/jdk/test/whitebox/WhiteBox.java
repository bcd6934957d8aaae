package jdk.test.whitebox;

import java.lang.reflect.Executable;

/**
 * The two calls jvisor makes of HotSpot's WhiteBox interface, a diagnostic interface of the JVM
 * for asking its compilers for one method at one tier. HotSpot binds these natives only to a class
 * of exactly this name loaded by the boot class loader in a JVM started with
 * {@code -XX:+UnlockDiagnosticVMOptions -XX:+WhiteBoxAPI}: the launcher puts this class alone on
 * the boot class path ({@code target/hotspot-whitebox.jar}). Anywhere else (the tests, another
 * JVM) the natives stay unbound, a call throws {@link UnsatisfiedLinkError}, and
 * {@code jvisor.hw.power.cpu.HotSpotTiers} reports the interface as missing. The natives this class
 * does not declare are left unbound (HotSpot's warnings about them go to its own output, which the
 * launcher turns off).
 */
public final class WhiteBox {
    private static native void registerNatives();

    static {
        registerNatives();
    }

    private WhiteBox() {
    }

    /** Queues {@code method} for compilation at {@code level} (1-4) from {@code bci} (-1: its entry). */
    public static native boolean enqueueMethodForCompilation0(Executable method, int level, int bci);

    /** The tier {@code method}'s current code was compiled at (0: interpreted), or of its OSR code. */
    public static native int getMethodCompilationLevel0(Executable method, boolean osr);
}
