package jvisor.kvm.power;

import static jvisor.kvm.power.RadixVmFixture.MIB;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import jvisor.hw.power.Msr;
import jvisor.kvm.RunExit;
import org.junit.jupiter.api.Test;

/** A vCPU's statistics have a fixed size whatever numbers the guest calls, and count every call. */
class VcpuStatisticsTest {
    private final RadixVmFixture f = new RadixVmFixture();

    private PowerVcpu load(int... code) {
        f.addSlot(0, 0, 64 * MIB, 0, 0);
        for (int i = 0; i < code.length; i++) f.vm.guestMemory().writeU32BE(0x400000 + 4L * i, code[i]);
        PowerVcpu v = PowerVcpu.create(f.vm, 0);
        v.start(0x400000, 0, Msr.SF | Msr.ME);
        return v;
    }

    @Test
    void hypercallsWithDistinctNumbersShareAFixedTable() {
        // loop: r20 = xorshift(r20); mr r3,r20; sc 1; b loop
        PowerVcpu v = load(0x3e801234, 0x62945678, 0x7a806ca4, 0x7e940278, 0x7a80c9c2, 0x7e940278, 0x7a808ba4,
                0x7e940278, 0x7e83a378, 0x44000022, 0x4bffffe0);
        int n = 20_000;
        java.util.Set<Long> numbers = new java.util.HashSet<>();
        for (int i = 0; i < n; i++) {
            RunExit.Hypercall h = assertInstanceOf(RunExit.Hypercall.class, v.run());
            numbers.add(h.nr());
            h.ret()[0] = Hcall.H_FUNCTION;
        }
        assertTrue(numbers.size() > n - 10, "the numbers were distinct: " + numbers.size());
        Map<String, Long> counted = v.statistics().hcalls();
        assertTrue(counted.size() <= VcpuStatistics.HCALL_COUNTERS, counted.size() + " counters");
        assertEquals(n, counted.values().stream().mapToLong(Long::longValue).sum(), "every call counted once");
        assertEquals(Map.of("Hypercall", (long) n), v.statistics().exits());
    }

    @Test
    void everyPaprNumberHasItsOwnCounterAndTheRestShareOne() {
        // li r3,0x58; sc 1; li r3,0x58; sc 1; li r3,0x404; sc 1; li r3,0x1001; sc 1; li r3,-4; sc 1; b .
        PowerVcpu v = load(0x38600058, 0x44000022, 0x38600058, 0x44000022, 0x38600404, 0x44000022,
                0x38601001, 0x44000022, 0x3860fffc, 0x44000022, 0x48000000);
        for (int i = 0; i < 5; i++) {
            assertInstanceOf(RunExit.Hypercall.class, v.run()).ret()[0] = Hcall.H_FUNCTION;
        }
        assertEquals(Map.of("H_PUT_TERM_CHAR", 2L, "hcall 0x404", 1L, VcpuStatistics.OTHER_HCALLS, 2L),
                v.statistics().hcalls());
    }

    @Test
    void platformSpecificHypercallsAreCountedByName() {
        // li r3,0; ori r3,r3,0xf080 (H_GET_PERF_COUNTER_INFO, which Linux calls at boot); sc 1;
        // li r3,0x58; sc 1; b .
        PowerVcpu v = load(0x38600000, 0x6063f080, 0x44000022, 0x38600058, 0x44000022, 0x48000000);
        for (int i = 0; i < 2; i++) {
            RunExit.Hypercall h = assertInstanceOf(RunExit.Hypercall.class, v.run());
            h.ret()[0] = Hcall.H_FUNCTION;
            if (h.nr() == 0x58) break;
        }
        assertEquals(Map.of("H_GET_PERF_COUNTER_INFO", 1L, "H_PUT_TERM_CHAR", 1L), v.statistics().hcalls());
    }

    @Test
    void aNumberWhoseLowWordIsAKnownHypercallIsNotThatHypercall() {
        // li r3,1; sldi r3,r3,32; ori r3,r3,0x24 (0x1_0000_0024: not H_SET_SPRG0); li r4,0x77; sc 1;
        // then li r3,0x1238; sc 1, so that a hypervisor taking it for H_SET_SPRG0 still exits.
        PowerVcpu v = load(0x38600001, 0x786307c6, 0x60630024, 0x38800077, 0x44000022, 0x38601238, 0x44000022,
                0x48000000);
        RunExit.Hypercall h = assertInstanceOf(RunExit.Hypercall.class, v.run(), "unknown to the hypervisor: user space gets it");
        assertEquals(0x1_0000_0024L, h.nr());
        assertEquals(0, v.core().readSpr(272), "SPRG0 untouched");
    }
}
