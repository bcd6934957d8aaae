package jvisor.fuzz;

import java.util.List;

/** The campaigns by name. */
public final class FuzzEngines {
    private FuzzEngines() {
    }

    /** What {@code --engine all} runs, in order. */
    public static final List<String> ALL = List.of("power", "arm", "x86");

    /** The engine named {@code name}, or null. */
    public static FuzzEngine byName(String name) {
        return switch (name) {
            case "power" -> new PowerFuzzer();
            case "arm" -> new ArmFuzzer();
            case "x86" -> new X86Fuzzer();
            case "migrate" -> new MigrationFuzzer();
            default -> null;
        };
    }
}
