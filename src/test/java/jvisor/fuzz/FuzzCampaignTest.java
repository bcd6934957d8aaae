package jvisor.fuzz;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fast form of {@code jvisor fuzz}: 10^5 operations per engine from a fixed seed. Nothing
 * may escape an engine as an exception, touch a frame nobody holds, or stay allocated after the
 * teardown; and each campaign must have reached what it is there to reach.
 */
class FuzzCampaignTest {
    private static final long OPS = 100_000, SEED = 1;

    private static FuzzReport run(FuzzEngine engine) {
        FuzzReport rep = Campaign.run(engine, OPS, SEED);
        assertTrue(rep.ops() >= OPS, rep.line());
        assertEquals(0, rep.hostExceptions(), () -> rep.line() + "\n" + String.join("\n", rep.findings()));
        assertEquals(0, rep.outsideAccesses(), () -> rep.line() + "\n" + String.join("\n", rep.findings()));
        assertEquals(0, rep.leakedFrames(), rep.line());
        assertEquals(java.util.List.of(), rep.findings());
        assertTrue(rep.line().matches("fuzz: " + engine.name()
                + " ops=\\d+ host-exceptions=0 outside-accesses=0 leaked-frames=0 max-heap-mb=\\d+"), rep.line());
        return rep;
    }

    private static long figure(FuzzReport rep, String name) {
        return rep.figures().getOrDefault(name, 0L);
    }

    @Test
    void powerGuestsReachTheHypervisorTheVmmAndTheNotifiers() {
        FuzzReport rep = run(new PowerFuzzer());
        Map<String, Long> f = rep.figures();
        assertTrue(figure(rep, "user-hcalls") > 0, f.toString());
        assertTrue(figure(rep, "rtas-calls") > 0 && figure(rep, "mmio-exits") > 0, f.toString());
        assertTrue(figure(rep, "partition-faults") > 0 && figure(rep, "notifier-events") > 0, f.toString());
        assertTrue(figure(rep, "guest-instructions") > OPS / 2, f.toString());
    }

    @Test
    void armVmsRollTheirVmidsOverAndChangeMemslotsUnderLoad() {
        FuzzReport rep = run(new ArmFuzzer());
        Map<String, Long> f = rep.figures();
        assertTrue(figure(rep, "vmid-rollovers") > 0, f.toString());
        assertTrue(figure(rep, "memslot-changes") > 0 && figure(rep, "notifier-events") > 0, f.toString());
        assertTrue(figure(rep, "oracle-checks") > 0 && figure(rep, "accesses-done") > 0, f.toString());
        assertTrue(figure(rep, "accesses-faulted-to-guest") > 0 && figure(rep, "exits-mmio") > 0, f.toString());
    }

    @Test
    void x86GuestsWorkScribbleAndDie() {
        FuzzReport rep = run(new X86Fuzzer());
        Map<String, Long> f = rep.figures();
        assertTrue(figure(rep, "guests") > 1 && figure(rep, "guests-killed") > 0, f.toString());
        assertTrue(figure(rep, "accesses-faulted") > 0, f.toString());
    }
}
