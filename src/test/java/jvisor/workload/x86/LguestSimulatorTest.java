package jvisor.workload.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jvisor.workload.Scenario;
import jvisor.workload.ScenarioParams;
import jvisor.workload.Scenarios;
import jvisor.workload.SimulationReport;
import jvisor.workload.Simulators;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LguestSimulatorTest {
    @Test
    void registeredAsTheX86Engine() {
        assertEquals("x86", Simulators.byArch("x86").arch());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void everyScenarioRunsWithoutKillsOrLeaks(int vcpus) {
        for (Scenario s : Scenarios.all()) {
            SimulationReport r = new LguestSimulator().run(s, new ScenarioParams(vcpus, 32L << 20, 7));
            assertEquals(0, r.getLong("guests killed", "count"), s.name());
            assertEquals(0, r.getLong("teardown", "host frames held by shadow tables after guest teardown"), s.name());
            assertEquals(0, r.getLong("teardown", "host frames in use after launcher exit"), s.name());
            // A shadow TLB miss reads the shadow directory entry and at most one shadow PTE.
            double perMiss = Double.parseDouble(r.get("shadow vs nested", "table reads per TLB miss"));
            assertTrue(perMiss > 1.0 && perMiss <= 2.0, s.name() + ": " + perMiss);
            // Every guest page-table update reaches the host as a hypercall (trapped or batched).
            String exits = r.get("shadow vs nested", "exits per guest page-table update");
            assertTrue(exits.matches("\\d+\\.\\d{3} traps \\(1\\.000 hypercalls\\)"), s.name() + ": " + exits);
        }
    }

    @Test
    void dirtyLoggingIsReportedAsNotSupported() {
        SimulationReport r = new LguestSimulator().run(Scenarios.byName("dirty-log"), new ScenarioParams(1, 32L << 20, 1));
        assertTrue(r.get("guest", "actions not supported by this engine").contains("DirtyLog"));
    }

    @Test
    void deviceAccessesAllExitToTheLauncher() {
        SimulationReport r = new LguestSimulator().run(Scenarios.byName("device-mmio"), new ScenarioParams(2, 32L << 20, 1));
        assertEquals(2 * 16 * 8, r.getLong("faults", "device exits to the launcher"));
        assertEquals(0, r.getLong("faults", "hidden (shadow fills)"));
    }

    @Test
    void kernelMappingChangesWipeEveryShadow() {
        SimulationReport r = new LguestSimulator().run(Scenarios.byName("kernel-map-change"), new ScenarioParams(1, 32L << 20, 1));
        assertEquals("0 / 10", r.get("shadow tables", "user flushes / full flushes"));
        assertEquals(10, r.getLong("hypercalls", "FLUSH_TLB"));
    }

    @Test
    void aShadowTlbMissReadsAtMostTwoEntries() {
        SimulationReport r = new LguestSimulator().run(Scenarios.byName("large-array"), new ScenarioParams(1, 32L << 20, 1));
        double perMiss = Double.parseDouble(r.get("shadow vs nested", "table reads per TLB miss"));
        assertTrue(perMiss > 1.0 && perMiss <= 2.0, "was " + perMiss);
    }

    @Test
    void tooMuchMemoryForA32BitGuestIsRefusedBeforeAnythingIsBuilt() {
        LguestSimulator sim = new LguestSimulator();
        assertEquals(768L << 20, sim.maxMemoryBytes(), "lowmem of a 32-bit guest below vmalloc and ioremap");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sim.run(Scenarios.byName("large-array"), new ScenarioParams(1, sim.maxMemoryBytes() + 4096, 1)));
        assertTrue(e.getMessage().contains("768 MiB"), e.getMessage());
        SimulationReport r = sim.run(Scenarios.byName("large-array"), new ScenarioParams(1, sim.maxMemoryBytes(), 1));
        assertEquals(0, r.getLong("guests killed", "count"));
    }
}
