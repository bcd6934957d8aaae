package jvisor.vmm;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import jvisor.kvm.power.Hcall;
import org.junit.jupiter.api.Test;

class RtasTest {
    static final long MIB = 1L << 20, BLOCK = 0x10000;

    final GuestRam ram = new GuestRam(64 * MIB);
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final List<String> shutdowns = new ArrayList<>();
    final List<String> cpuCalls = new ArrayList<>();
    final Clock clock = Clock.fixed(Instant.parse("2024-02-29T13:14:15.123456789Z"), ZoneOffset.UTC);

    final CpuControl cpus = new CpuControl() {
        @Override
        public int startCpu(int server, long entry, long r3) {
            cpuCalls.add(String.format("start %d 0x%x 0x%x", server, entry, r3));
            return server == 1 ? Rtas.SUCCESS : Rtas.PARAMETER_ERROR;
        }

        @Override
        public void stopSelf() {
            cpuCalls.add("stop-self");
        }

        @Override
        public int queryStopped(int server) {
            return server == 1 ? CpuControl.STOPPED : server == 0 ? CpuControl.RUNNING : -1;
        }
    };

    final Rtas rtas = new Rtas(ram.memory, Console.outputOnly(new PrintStream(out)), cpus,
            (reason, status) -> shutdowns.add(reason + " " + status), clock);

    /** Performs a call through a KVMPPC_H_RTAS exit; returns the rets. */
    private int[] call(int token, int nret, int... args) {
        RtasBlock.Result r = RtasBlock.call(ram.memory, rtas, BLOCK, token, nret, args);
        lastStatus = r.status();
        return r.rets();
    }

    long lastStatus;

    @Test
    void powerOffWritesSuccessThenEndsTheMachineWithStatusZero() {
        int[] r = call(RtasService.POWER_OFF.token, 1, -1, -1);
        assertEquals(0, r[0]);
        assertEquals(List.of("power-off 0"), shutdowns);
        assertEquals(Hcall.H_SUCCESS, lastStatus);
    }

    @Test
    void displayCharacterPrintsOnTheConsole() {
        for (char c : "ok\n".toCharArray()) assertEquals(0, call(RtasService.DISPLAY_CHARACTER.token, 1, c)[0]);
        assertEquals("ok\n", out.toString());
    }

    @Test
    void getTimeOfDayGivesTheHostClockInEightReturns() {
        int[] r = call(RtasService.GET_TIME_OF_DAY.token, 8);
        assertArrayEquals(new int[] {0, 2024, 2, 29, 13, 14, 15, 123456789}, r);
    }

    @Test
    void setTimeOfDayShiftsLaterReadsAndToleratesGarbageNanoseconds() {
        assertEquals(0, call(RtasService.SET_TIME_OF_DAY.token, 1, 2030, 1, 2, 3, 4, 5, 0xDEADBEEF)[0]);
        int[] r = call(RtasService.GET_TIME_OF_DAY.token, 8);
        assertArrayEquals(new int[] {0, 2030, 1, 2, 3, 4, 5, 0}, r);
        assertEquals(Rtas.PARAMETER_ERROR, call(RtasService.SET_TIME_OF_DAY.token, 1, 2030, 13, 2, 3, 4, 5, 0)[0]);
        assertEquals(Rtas.PARAMETER_ERROR, call(RtasService.SET_TIME_OF_DAY.token, 1, 2030, 2, 30, 3, 4, 5, 0)[0]);
    }

    @Test
    void startCpuPassesServerEntryAndR3ToTheMachine() {
        assertEquals(0, call(RtasService.START_CPU.token, 1, 1, 0x400100, 0xCAFE)[0]);
        assertEquals(Rtas.PARAMETER_ERROR, call(RtasService.START_CPU.token, 1, 7, 0x400100, 0)[0]);
        assertEquals(List.of("start 1 0x400100 0xcafe", "start 7 0x400100 0x0"), cpuCalls);
    }

    @Test
    void stopSelfStopsTheCallerAndWritesNothing() {
        int[] r = call(RtasService.STOP_SELF.token, 1);
        assertEquals(List.of("stop-self"), cpuCalls);
        assertEquals(0x7777, r[0], "stop-self does not return");
    }

    @Test
    void queryCpuStoppedStateReportsTheState() {
        assertArrayEquals(new int[] {0, CpuControl.STOPPED}, call(RtasService.QUERY_CPU_STOPPED_STATE.token, 2, 1));
        assertArrayEquals(new int[] {0, CpuControl.RUNNING}, call(RtasService.QUERY_CPU_STOPPED_STATE.token, 2, 0));
        assertEquals(Rtas.PARAMETER_ERROR, call(RtasService.QUERY_CPU_STOPPED_STATE.token, 2, 99)[0]);
    }

    @Test
    void anUnknownTokenIsAParameterErrorForTheGuest() {
        assertEquals(Rtas.PARAMETER_ERROR, call(0x1234, 1, 5)[0]);
        assertEquals(Hcall.H_PARAMETER, lastStatus);
        assertEquals(Rtas.PARAMETER_ERROR, call(-1, 1)[0]);
    }

    @Test
    void wrongArgumentCountsAreParameterErrorsFromAServiceThatWasCalled() {
        assertEquals(Rtas.PARAMETER_ERROR, call(RtasService.POWER_OFF.token, 1, -1)[0]);
        assertTrue(shutdowns.isEmpty());
        assertEquals(Hcall.H_SUCCESS, lastStatus, "the service was reached: the hypercall succeeds (QEMU's answer)");
        assertEquals(Rtas.PARAMETER_ERROR, call(RtasService.GET_TIME_OF_DAY.token, 3)[0]);
        assertEquals(Hcall.H_SUCCESS, lastStatus);
        assertEquals(Rtas.PARAMETER_ERROR, call(RtasService.QUERY_CPU_STOPPED_STATE.token, 2, 99)[0]);
        assertEquals(Hcall.H_SUCCESS, lastStatus, "an unknown CPU is the service's parameter error");
    }

    @Test
    void malformedBlocksAreRefusedWithoutTouchingMemory() {
        // nargs huge: nothing is read past the header or written.
        ram.memory.writeU32BE(BLOCK, RtasService.GET_TIME_OF_DAY.token);
        ram.memory.writeU32BE(BLOCK + 4, 0x7FFFFFFF);
        ram.memory.writeU32BE(BLOCK + 8, 8);
        assertEquals(Hcall.H_PARAMETER, rtas.call(BLOCK));
        ram.memory.writeU32BE(BLOCK + 4, 0);
        ram.memory.writeU32BE(BLOCK + 8, -5);
        assertEquals(Hcall.H_PARAMETER, rtas.call(BLOCK));
        // A block outside RAM, one running off its end, negative and huge addresses.
        assertEquals(Hcall.H_PARAMETER, rtas.call(ram.size + 0x1000));
        assertEquals(Hcall.H_PARAMETER, rtas.call(-4));
        assertEquals(Hcall.H_PARAMETER, rtas.call(Long.MAX_VALUE));
        long edge = ram.size - 16;
        ram.memory.writeU32BE(edge, RtasService.GET_TIME_OF_DAY.token);
        ram.memory.writeU32BE(edge + 4, 0);
        ram.memory.writeU32BE(edge + 8, 8);
        assertEquals(Hcall.H_PARAMETER, rtas.call(edge));
        assertEquals(0, ram.memory.readU32BE(edge + 12), "no return written at the edge");
    }

    @Test
    void theTopFourAddressBitsAreIgnoredAsInRealMode() {
        ram.memory.writeU32BE(BLOCK, RtasService.DISPLAY_CHARACTER.token);
        ram.memory.writeU32BE(BLOCK + 4, 1);
        ram.memory.writeU32BE(BLOCK + 8, 1);
        ram.memory.writeU32BE(BLOCK + 12, 'x');
        assertEquals(Hcall.H_SUCCESS, rtas.call(0xC000000000000000L | BLOCK));
        assertEquals("x", out.toString());
    }
}
