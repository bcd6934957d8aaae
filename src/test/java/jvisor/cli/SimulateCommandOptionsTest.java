package jvisor.cli;

import static jvisor.cli.CliRun.assertRefused;
import static jvisor.cli.CliRun.assertUserError;
import static org.junit.jupiter.api.Assertions.*;

import jvisor.workload.ScenarioParams;
import jvisor.workload.Simulators;
import org.junit.jupiter.api.Test;

/**
 * Every option of {@code jvisor simulate} at its extremes. Each engine's memory limit is its own
 * ({@code Simulator.maxMemoryBytes}); beyond it, or beyond the scenarios' limits, the command
 * refuses in one line with status 2 instead of failing inside the engine.
 */
class SimulateCommandOptionsTest {

    @Test
    void memoryBeyondWhatTheArmEngineHoldsIsAOneLineError() {
        for (String m : new String[] {"99T", "32T", "4T", "1T", "5G", "4097M"}) {
            assertRefused("arm", "simulate", "--arch", "arm", "--workload", "fork-exit", "--mem", m);
        }
    }

    @Test
    void memoryBeyondWhatTheX86EngineHoldsIsAOneLineErrorNotAReportWithStatus0() {
        for (String m : new String[] {"1G", "769M", "4T"}) {
            assertRefused("x86", "simulate", "--arch", "x86", "--workload", "fork-exit", "--mem", m);
        }
        assertRefused("x86", "simulate", "--arch", "all", "--workload", "fork-exit", "--mem", "1G");
    }

    @Test
    void theLargestMemoryOfEachEngineIsAccepted() {
        for (String arch : Simulators.arches()) {
            long max = Simulators.byArch(arch).maxMemoryBytes();
            CliRun.Result r = CliRun.run("simulate", "--arch", arch, "--workload", "boot-linear-map", "--mem", (max >> 20) + "M");
            assertEquals(0, r.status(), arch + ": " + r.err());
            assertEquals("", r.err(), arch);
        }
    }

    @Test
    void memoryMustBeAPositiveWholeNumberOfPagesOfAtLeast16M() {
        for (String m : new String[] {"0", "-1", "", "abc", "1.5G", "15M", "4K", "1"}) {
            assertUserError("simulate", "--arch", "arm", "--workload", "fork-exit", "--mem", m);
        }
        assertRefused("pages", "simulate", "--arch", "arm", "--workload", "fork-exit", "--mem", "100001K");
        assertRefused("pages", "simulate", "--arch", "x86", "--workload", "fork-exit", "--mem", "100001K");
    }

    @Test
    void vcpusAreWithinTheScenariosRange() {
        for (String v : new String[] {"0", "-1", Integer.toString(ScenarioParams.MAX_VCPUS + 1), "2147483647"}) {
            assertRefused("vcpus", "simulate", "--arch", "x86", "--workload", "fork-exit", "--vcpus", v);
        }
        for (String v : new String[] {"x", "99999999999", ""}) {
            assertRefused("--vcpus", "simulate", "--arch", "x86", "--workload", "fork-exit", "--vcpus", v);
        }
    }

    @Test
    void seedArchAndWorkloadAreChecked() {
        assertRefused("--seed", "simulate", "--arch", "arm", "--workload", "fork-exit", "--seed", "x");
        assertRefused("--arch", "simulate", "--arch", "mips", "--workload", "fork-exit");
        assertRefused("--workload", "simulate", "--arch", "arm", "--workload", "nope");
        assertUserError("simulate", "--arch", "arm");
        assertUserError("simulate", "--workload", "fork-exit");
        assertUserError("simulate");
    }
}
