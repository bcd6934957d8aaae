package jvisor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BootPhasesTest {
    private static BootPhases.Line at(double s, String text) {
        return new BootPhases.Line(s, text);
    }

    @Test
    void aMessageIsKnownOnBothMachinesWithoutTheKernelsTimestamp() {
        assertEquals("NR_IRQS: 512", BootPhases.key("[    0.000000] NR_IRQS: 512  "));
        assertEquals("NR_IRQS: 512", BootPhases.key("[   12.345678] NR_IRQS: 512"));
        // Not a timestamp: kept.
        assertEquals("[x] init: started", BootPhases.key("[x] init: started"));
        assertEquals("init: started", BootPhases.key("init: started\r"));
        assertEquals("", BootPhases.key("   "));
    }

    @Test
    void theMessagesBothMachinesPrintInTheSameOrderCutTheRunsIntoTheSamePhases() {
        List<BootPhases.Line> jvisor = List.of(at(0.5, "[    0.000000] Linux version 6"), at(0.7, "only jvisor says this"),
                at(1.0, "[    0.000000] ftrace: allocated"), at(1.1, ""), at(3.0, "[    2.100000] Freeing unused kernel image"),
                at(3.2, "init: started"));
        List<BootPhases.Line> qemu = List.of(at(0.6, "[    0.000000] Linux version 6"), at(0.65, "[    0.000000] ftrace: allocated"),
                at(0.9, "only QEMU says this"), at(1.4, "[    1.000000] Freeing unused kernel image"), at(1.5, "init: started"));
        List<BootPhases.Phase> phases = BootPhases.align(jvisor, qemu);
        assertEquals(4, phases.size());
        assertPhase(phases.get(0), "Linux version 6", 0.5, 0.6);
        assertPhase(phases.get(1), "ftrace: allocated", 0.5, 0.05);
        assertPhase(phases.get(2), "Freeing unused kernel image", 2.0, 0.75);
        assertPhase(phases.get(3), "init: started", 0.2, 0.1);
    }

    @Test
    void aRepeatedMessageIsMatchedInOrderAndOneOutOfOrderEndsNoPhase() {
        List<BootPhases.Line> jvisor = List.of(at(1, "A"), at(2, "B"), at(3, "A"), at(4, "C"));
        // QEMU printed B before the first A: jvisor's B comes after QEMU's match for A, so B ends no phase.
        List<BootPhases.Line> qemu = List.of(at(0.5, "B"), at(1, "A"), at(1.5, "A"), at(2, "C"));
        List<BootPhases.Phase> phases = BootPhases.align(jvisor, qemu);
        assertEquals(3, phases.size());
        assertPhase(phases.get(0), "A", 1, 1);
        assertPhase(phases.get(1), "A", 2, 0.5);
        assertPhase(phases.get(2), "C", 1, 0.5);
    }

    @Test
    void theReportListsThePhasesJvisorLostMostInFirstAndTheSums() {
        List<BootPhases.Phase> phases = List.of(new BootPhases.Phase("small loss", 1.1, 1.0),
                new BootPhases.Phase("big loss", 2.0, 0.5), new BootPhases.Phase("a gain", 0.2, 0.6));
        String report = BootPhases.report(phases, 2);
        List<String> lines = report.lines().toList();
        assertEquals(4, lines.size(), report);
        assertTrue(lines.get(1).endsWith("big loss") && lines.get(1).contains("+1.500"), report);
        assertTrue(lines.get(2).endsWith("small loss"), report);
        assertTrue(lines.get(3).contains("3.300") && lines.get(3).contains("2.100") && lines.get(3).contains("+1.200")
                && lines.get(3).contains("all 3 phases") && lines.get(3).contains("lost 1.600 s"), report);
    }

    @Test
    void consoleOutputBecomesStampedLinesInArrivalOrder() throws Exception {
        BootPhases.TimedLines t = new BootPhases.TimedLines();
        t.write("first\r\nsec".getBytes(StandardCharsets.ISO_8859_1));
        Thread.sleep(20);
        t.write("ond\n".getBytes(StandardCharsets.ISO_8859_1));
        List<BootPhases.Line> lines = t.lines();
        assertEquals(List.of("first", "second"), lines.stream().map(BootPhases.Line::text).toList());
        assertTrue(lines.get(1).seconds() - lines.get(0).seconds() >= 0.015, lines.toString());
    }

    private static void assertPhase(BootPhases.Phase p, String endsAt, double jvisor, double qemu) {
        assertEquals(endsAt, p.endsAt());
        assertEquals(jvisor, p.jvisor(), 1e-9, endsAt);
        assertEquals(qemu, p.qemu(), 1e-9, endsAt);
    }
}
