package jvisor.vmm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The project's guest programs (guests/), built on demand with the cross compiler when it is
 * installed; tests that need them, or QEMU as their reference, are skipped with the reason when
 * it is not, and fail instead where the reference is required ({@link #referenceRequired()}).
 */
public final class GuestImages {
    static final Path GUESTS = Path.of("guests");
    private static Boolean built;

    private GuestImages() {}

    /** Path of build/{le,be}/NAME.elf, building the guests first if needed; skips the test if impossible. */
    public static synchronized Path require(String byteOrder, String name) {
        Path elf = GUESTS.resolve("build").resolve(byteOrder).resolve(name + ".elf");
        if (Files.isRegularFile(elf)) return elf;
        if (built == null) built = build();
        requireReference(built && Files.isRegularFile(elf),
                "guest " + elf + " not available: needs powerpc64le-linux-gnu-gcc and make (guests/install-deps.sh)");
        return elf;
    }

    /**
     * Whether a missing reference (QEMU, the cross compiler, dtc) must fail the tests that need it
     * instead of skipping them: under CI ({@code CI=true}) or when {@code JVISOR_REQUIRE_QEMU} is
     * set to anything but {@code 0} (as ./run-tests does once it installed them).
     */
    public static boolean referenceRequired() {
        String ci = System.getenv("CI"), require = System.getenv("JVISOR_REQUIRE_QEMU");
        return "true".equalsIgnoreCase(ci) || (require != null && !require.isEmpty() && !require.equals("0"));
    }

    /** Goes on if {@code available}; otherwise fails where the reference is required, else skips, saying why. */
    public static void requireReference(boolean available, String why) {
        if (available) return;
        if (referenceRequired()) {
            Assertions.fail(why + " (required here: CI=true or JVISOR_REQUIRE_QEMU is set)");
        }
        Assumptions.abort(why);
    }

    private static boolean build() {
        if (!onPath("powerpc64le-linux-gnu-gcc") || !onPath("make")) return false;
        try {
            Process p = new ProcessBuilder("make", "-C", GUESTS.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    public static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String d : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) return true;
        }
        return false;
    }
}
