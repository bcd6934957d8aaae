package jvisor.workload;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What happened in a simulation: named counters in sections, printed in the order they were
 * added, plus a free-form note per section. Engines fill it; {@code jvisor simulate} prints it.
 */
public final class SimulationReport {
    /** The section both paging engines fill with the same keys, for side-by-side comparison. */
    public static final String COMPARISON = "shadow vs nested";

    private final String title;
    private final Map<String, Map<String, String>> sections = new LinkedHashMap<>();

    public SimulationReport(String title) {
        this.title = title;
    }

    public SimulationReport put(String section, String name, long value) {
        return put(section, name, Long.toString(value));
    }

    public SimulationReport put(String section, String name, String value) {
        sections.computeIfAbsent(section, s -> new LinkedHashMap<>()).put(name, value);
        return this;
    }

    /** The value of a counter, or null. */
    public String get(String section, String name) {
        Map<String, String> s = sections.get(section);
        return s == null ? null : s.get(name);
    }

    public long getLong(String section, String name) {
        String v = get(section, name);
        return v == null ? 0 : Long.parseLong(v);
    }

    public String title() {
        return title;
    }

    /** The counters of one section, in order (empty if absent). */
    public Map<String, String> section(String name) {
        return sections.getOrDefault(name, Map.of());
    }

    public void print(PrintStream out) {
        out.println(title);
        int width = 0;
        for (Map<String, String> s : sections.values()) for (String k : s.keySet()) width = Math.max(width, k.length());
        for (Map.Entry<String, Map<String, String>> s : sections.entrySet()) {
            out.println();
            out.println(s.getKey() + ":");
            for (Map.Entry<String, String> e : s.getValue().entrySet()) {
                out.printf("  %-" + width + "s  %s%n", e.getKey(), e.getValue());
            }
        }
    }
}
