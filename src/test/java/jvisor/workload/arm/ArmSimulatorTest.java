package jvisor.workload.arm;

import static org.junit.jupiter.api.Assertions.*;

import jvisor.workload.Scenario;
import jvisor.workload.ScenarioParams;
import jvisor.workload.Scenarios;
import jvisor.workload.SimulationReport;
import jvisor.workload.Simulators;
import org.junit.jupiter.api.Test;

class ArmSimulatorTest {
    private static SimulationReport run(String name, int vcpus) {
        Scenario s = Scenarios.byName(name);
        return new ArmSimulator().run(s, new ScenarioParams(vcpus, 64L << 20, 1));
    }

    private static void cleanTeardown(SimulationReport r) {
        assertEquals("none", r.get("Guest", "vCPUs stopped"));
        assertEquals(0, r.getLong("Teardown", "tables breaking the refcount invariant"));
        assertEquals("1", r.get("Teardown", "host frames in use after destroy (baseline 1)"), "every frame back but the EL2 root");
    }

    @Test
    void theArmEngineIsRegistered() {
        assertInstanceOf(ArmSimulator.class, Simulators.byArch("arm"));
        assertEquals("arm", Simulators.byArch("arm").arch());
    }

    @Test
    void guestRamMustEndBelowTheDeviceWindow() {
        ArmSimulator sim = new ArmSimulator();
        assertEquals(jvisor.workload.Layout.DEVICE_GPA, sim.maxMemoryBytes());
        assertThrows(IllegalArgumentException.class,
                () -> sim.run(Scenarios.byName("device-mmio"), new ScenarioParams(1, sim.maxMemoryBytes() + 4096, 1)));
    }

    @Test
    void everyScenarioRunsOnTwoVcpusAndGivesEveryFrameBack() {
        for (Scenario s : Scenarios.all()) {
            SimulationReport r = run(s.name(), 2);
            cleanTeardown(r);
            assertTrue(r.getLong("Speed", "guest translations (loads, stores, fetches)") > 0, s.name());
        }
    }

    @Test
    void forkExitCopiesOnWriteAndTheDeviceScenarioExitsToTheDevice() {
        SimulationReport fork = run("fork-exit", 1);
        assertTrue(fork.get("Guest", "copy-on-write copies / reuses").matches("[1-9]\\d* / [1-9]\\d*"), fork.get("Guest", "copy-on-write copies / reuses"));
        assertEquals(0, fork.getLong("Stage-1 faults (to the guest's EL1)", "segmentation faults (unhandled)"));
        SimulationReport dev = run("device-mmio", 2);
        assertTrue(dev.get("Exits", "MMIO exits (reads / writes)").startsWith("256 (128 / 128)"), dev.get("Exits", "MMIO exits (reads / writes)"));
    }

    @Test
    void dirtyLoggingScenarioLogsPagesAndNestedPagingTakesNoExitsForTableUpdatesOtherwise() {
        SimulationReport dirty = run("dirty-log", 2);
        assertTrue(dirty.getLong("Dirty logging", "pages dirtied (first write after arming)") > 0);
        SimulationReport big = run("large-array", 2);
        assertTrue(big.get("Exits", "exits per guest page-table update").startsWith("0.0000"));
    }
}
