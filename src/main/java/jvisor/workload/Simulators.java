package jvisor.workload;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The engines {@code jvisor simulate --arch} can drive, by name. */
public final class Simulators {
    private Simulators() {}

    private static final Map<String, Supplier<Simulator>> ALL = new LinkedHashMap<>();

    static {
        ALL.put("arm", jvisor.workload.arm.ArmSimulator::new);
        ALL.put("x86", jvisor.workload.x86.LguestSimulator::new);
    }

    public static Map<String, Supplier<Simulator>> all() {
        return Map.copyOf(ALL);
    }

    public static Simulator byArch(String arch) {
        Supplier<Simulator> s = ALL.get(arch);
        return s == null ? null : s.get();
    }

    public static java.util.Set<String> arches() {
        return ALL.keySet();
    }
}
