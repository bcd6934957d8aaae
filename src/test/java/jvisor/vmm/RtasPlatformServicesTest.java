package jvisor.vmm;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import jvisor.kvm.power.Hcall;
import jvisor.kvm.power.XicsSources;
import org.junit.jupiter.api.Test;

/**
 * The RTAS services beyond start-up and power-off, as QEMU's pseries answers them: system
 * parameters, interrupt source routing, NVRAM, power domains, events, and the services of
 * hardware the machine does not have.
 */
class RtasPlatformServicesTest {
    static final long MIB = 1L << 20, BLOCK = 0x10000, BUFFER = 0x20000;

    final GuestRam ram = new GuestRam(64 * MIB);
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final List<String> shutdowns = new ArrayList<>();
    final XicsSources sources = new XicsSources();
    final Nvram nvram = new Nvram();
    int[] states = {CpuControl.RUNNING, CpuControl.STOPPED};

    final CpuControl cpus = new CpuControl() {
        @Override
        public int startCpu(int server, long entry, long r3) {
            return Rtas.HARDWARE_ERROR;
        }

        @Override
        public void stopSelf() {}

        @Override
        public int queryStopped(int server) {
            return server >= 0 && server < states.length ? states[server] : -1;
        }
    };

    final Rtas rtas = new Rtas(ram.memory, Console.outputOnly(new PrintStream(out)), cpus, new ShutdownListener() {
        @Override
        public void shutdown(String reason, int status) {
            shutdowns.add(reason + " " + status);
        }

        @Override
        public void osTerminated(String message) {
            shutdowns.add("os-term " + message);
        }
    }, Clock.systemUTC(), new Rtas.Platform(2, 64 * MIB, sources, nvram, -1));

    long lastStatus;

    private int[] call(RtasService s, int nret, int... args) {
        return call(s.token, nret, args);
    }

    private int[] call(int token, int nret, int... args) {
        RtasBlock.Result r = RtasBlock.call(ram.memory, rtas, BLOCK, token, nret, args);
        lastStatus = r.status();
        return r.rets();
    }

    private byte[] guestBytes(long gpa, int n) {
        byte[] b = new byte[n];
        ram.memory.read(gpa, b, 0, n);
        return b;
    }

    @Test
    void tokensAreDenseSoEveryServiceIsFoundByItsOwnToken() {
        for (RtasService s : RtasService.values()) assertSame(s, RtasService.byToken(s.token), s.propertyName);
        assertNull(RtasService.byToken(0x1FFF));
        assertNull(RtasService.byToken(0x2000 + RtasService.values().length));
        assertNull(RtasService.byToken(Integer.MIN_VALUE));
    }

    @Test
    void theLegacyDisplayCharacterTokenPrints() {
        assertEquals(Rtas.SUCCESS, call(0xA, 1, 'k')[0]);
        assertEquals("k", out.toString());
    }

    @Test
    void splparCharacteristicsDescribeThePartition() {
        assertEquals(Rtas.SUCCESS, call(RtasService.GET_SYSTEM_PARAMETER, 1, 20, (int) BUFFER, 256)[0]);
        String expected = "MaxEntCap=2,DesMem=64,DesProcs=2,MaxPlatProcs=2,HostThrs=4\0";
        byte[] b = guestBytes(BUFFER, 2 + expected.length());
        assertEquals(expected.length(), ((b[0] & 0xFF) << 8) | (b[1] & 0xFF));
        assertEquals(expected, new String(b, 2, expected.length(), StandardCharsets.US_ASCII));
    }

    @Test
    void aShortBufferGetsTheFullLengthAndAsMuchOfTheValueAsFits() {
        ram.memory.write(BUFFER, new byte[] {9, 9, 9, 9, 9}, 0, 5);
        assertEquals(Rtas.SUCCESS, call(RtasService.GET_SYSTEM_PARAMETER, 1, 20, (int) BUFFER, 4)[0]);
        byte[] b = guestBytes(BUFFER, 5);
        assertEquals(0, b[0]);
        assertTrue(b[1] > 2, "the whole value's length");
        assertEquals('M', b[2]);
        assertEquals('a', b[3]);
        assertEquals(9, b[4], "nothing past the buffer");
        assertEquals(Rtas.SYSPARM_PARAMETER_ERROR, call(RtasService.GET_SYSTEM_PARAMETER, 1, 20, (int) BUFFER, 1)[0]);
    }

    @Test
    void otherSystemParametersAreUnsupportedAndNoneMayBeSet() {
        assertEquals(Rtas.SUCCESS, call(RtasService.GET_SYSTEM_PARAMETER, 1, 42, (int) BUFFER, 16)[0]);
        assertArrayEquals(new byte[] {0, 1, 0}, guestBytes(BUFFER, 3), "diagnostics run mode: disabled");
        assertEquals(Rtas.NOT_SUPPORTED, call(RtasService.GET_SYSTEM_PARAMETER, 1, 43, (int) BUFFER, 16)[0]);
        assertEquals(Rtas.NOT_AUTHORIZED, call(RtasService.SET_SYSTEM_PARAMETER, 1, 20, (int) BUFFER)[0]);
        assertEquals(Rtas.NOT_SUPPORTED, call(RtasService.SET_SYSTEM_PARAMETER, 1, 7, (int) BUFFER)[0]);
    }

    @Test
    void aBufferOutsideRamIsDroppedNotAHostError() {
        assertEquals(Rtas.SUCCESS, call(RtasService.GET_SYSTEM_PARAMETER, 1, 20, 0x7FFF_F000, 256)[0]);
        assertEquals(Rtas.SUCCESS, call(RtasService.NVRAM_FETCH, 2, 0, 0xFFFF_FF00, 256)[0]);
    }

    @Test
    void setXiveRoutesASourceAndIntOffIntOnMaskAndRestoreIt() {
        int src = XicsSources.FIRST_SOURCE + 5;
        assertArrayEquals(new int[] {0, 0, XicsSources.MASKED}, call(RtasService.GET_XIVE, 3, src));
        assertEquals(Rtas.SUCCESS, call(RtasService.SET_XIVE, 1, src, 1, 5)[0]);
        assertArrayEquals(new int[] {0, 1, 5}, call(RtasService.GET_XIVE, 3, src));
        assertEquals(Rtas.SUCCESS, call(RtasService.INT_OFF, 1, src)[0]);
        assertArrayEquals(new int[] {0, 1, XicsSources.MASKED}, call(RtasService.GET_XIVE, 3, src));
        assertEquals(Rtas.SUCCESS, call(RtasService.INT_ON, 1, src)[0]);
        assertArrayEquals(new int[] {0, 1, 5}, call(RtasService.GET_XIVE, 3, src));
        // A second int-off keeps "masked" as the priority to restore, as QEMU's pseries does.
        call(RtasService.INT_OFF, 1, src);
        call(RtasService.INT_OFF, 1, src);
        call(RtasService.INT_ON, 1, src);
        assertArrayEquals(new int[] {0, 1, XicsSources.MASKED}, call(RtasService.GET_XIVE, 3, src));
    }

    @Test
    void xiveCallsRefuseSourcesServersAndPrioritiesThatDoNotExist() {
        int src = XicsSources.FIRST_SOURCE;
        for (int bad : new int[] {0, 2, XicsSources.FIRST_SOURCE - 1, XicsSources.FIRST_SOURCE + XicsSources.SOURCES, -1}) {
            assertEquals(Rtas.PARAMETER_ERROR, call(RtasService.SET_XIVE, 1, bad, 0, 5)[0]);
            assertEquals(Rtas.PARAMETER_ERROR, call(RtasService.GET_XIVE, 3, bad)[0]);
            assertEquals(Rtas.PARAMETER_ERROR, call(RtasService.INT_OFF, 1, bad)[0]);
            assertEquals(Rtas.PARAMETER_ERROR, call(RtasService.INT_ON, 1, bad)[0]);
        }
        assertEquals(Rtas.PARAMETER_ERROR, call(RtasService.SET_XIVE, 1, src, 2, 5)[0], "no server 2");
        assertEquals(Rtas.PARAMETER_ERROR, call(RtasService.SET_XIVE, 1, src, -1, 5)[0]);
        assertEquals(Rtas.PARAMETER_ERROR, call(RtasService.SET_XIVE, 1, src, 0, 0x100)[0]);
        assertEquals(Rtas.PARAMETER_ERROR, call(RtasService.SET_XIVE, 1, src, 0, -1)[0]);
        assertEquals(Rtas.PARAMETER_ERROR, call(RtasService.SET_XIVE, 1, src, 0)[0], "two arguments");
        assertEquals(Rtas.PARAMETER_ERROR, call(RtasService.GET_XIVE, 2, src)[0], "two returns");
        assertArrayEquals(new int[] {0, XicsSources.MASKED}, sources.xive(src), "nothing changed");
    }

    @Test
    void nvramKeepsWhatIsStoredAndRefusesRangesPastItsEnd() {
        ram.memory.write(BUFFER, new byte[] {1, 2, 3, 4}, 0, 4);
        assertArrayEquals(new int[] {0, 4}, call(RtasService.NVRAM_STORE, 2, Nvram.SIZE - 4, (int) BUFFER, 4));
        assertArrayEquals(new int[] {0, 4}, call(RtasService.NVRAM_FETCH, 2, Nvram.SIZE - 4, (int) BUFFER + 16, 4));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, guestBytes(BUFFER + 16, 4));
        assertArrayEquals(new int[] {Rtas.PARAMETER_ERROR, 0}, call(RtasService.NVRAM_FETCH, 2, Nvram.SIZE - 4, (int) BUFFER, 5));
        assertArrayEquals(new int[] {Rtas.PARAMETER_ERROR, 0}, call(RtasService.NVRAM_STORE, 2, -1, (int) BUFFER, 2));
        assertArrayEquals(new int[] {Rtas.PARAMETER_ERROR, 0}, call(RtasService.NVRAM_FETCH, 2, 0, (int) BUFFER, -1));
        assertEquals(Rtas.PARAMETER_ERROR, call(RtasService.NVRAM_FETCH, 1, 0, (int) BUFFER, 4)[0], "one return");
        assertArrayEquals(new int[] {0, 0}, call(RtasService.NVRAM_FETCH, 2, Nvram.SIZE, (int) BUFFER, 0),
                "an empty range at the end is in bounds");
    }

    @Test
    void onlyTheLiveInsertPowerDomainExistsAndItIsAlwaysFull() {
        assertArrayEquals(new int[] {0, 100}, call(RtasService.GET_POWER_LEVEL, 2, -1));
        assertArrayEquals(new int[] {0, 100}, call(RtasService.SET_POWER_LEVEL, 2, -1, 0));
        assertEquals(Rtas.NOT_SUPPORTED, call(RtasService.GET_POWER_LEVEL, 2, 0)[0]);
        assertEquals(Rtas.PARAMETER_ERROR, call(RtasService.SET_POWER_LEVEL, 2, -1)[0]);
    }

    @Test
    void eventsReportNothingFound() {
        assertEquals(Rtas.NO_ERRORS_FOUND, call(RtasService.EVENT_SCAN, 1, -1, 0, (int) BUFFER, 2048)[0]);
        assertEquals(Rtas.NO_ERRORS_FOUND, call(RtasService.CHECK_EXCEPTION, 1, 0x500, 0, -1, 0, (int) BUFFER, 2048)[0]);
        assertEquals(Rtas.NO_ERRORS_FOUND, call(RtasService.CHECK_EXCEPTION, 1, 0x500, 0, -1, 0, (int) BUFFER, 2048, 0)[0]);
        assertEquals(Rtas.PARAMETER_ERROR, call(RtasService.CHECK_EXCEPTION, 1, 0x500, 0, -1, 0, (int) BUFFER)[0]);
        assertEquals(Rtas.PARAMETER_ERROR, call(RtasService.EVENT_SCAN, 1, -1, 0, (int) BUFFER)[0]);
    }

    @Test
    void servicesOfAbsentHardwareAnswerAsForABusThatDoesNotExist() {
        assertEquals(Rtas.HARDWARE_ERROR, call(RtasService.IBM_READ_PCI_CONFIG, 2, 0, 0x1234, 0x5678, 4)[0]);
        assertEquals(Rtas.HARDWARE_ERROR, call(RtasService.WRITE_PCI_CONFIG, 1, 0, 4, 0)[0]);
        assertEquals(Rtas.PARAMETER_ERROR, call(RtasService.SET_EEH_OPTION, 1, 0, 0x1234, 0x5678, 1)[0]);
        assertEquals(Rtas.PARAMETER_ERROR, call(RtasService.CREATE_PE_DMA_WINDOW, 4, 0, 0x1234, 0x5678, 16, 30)[0]);
        assertEquals(Rtas.NO_SUCH_INDICATOR, call(RtasService.GET_SENSOR_STATE, 2, 9003, 0x10000000)[0]);
        assertEquals(Rtas.NO_SUCH_INDICATOR, call(RtasService.SET_INDICATOR, 1, 9001, 0x10000000, 0)[0]);
        assertEquals(Rtas.SUCCESS, call(RtasService.QUIESCE, 1)[0]);
        assertEquals(Hcall.H_SUCCESS, lastStatus);
    }

    @Test
    void nmiRegistrationNeedsAnRtasBlobTheTreeDoesNotGive() {
        assertEquals(Rtas.NOT_SUPPORTED, call(RtasService.NMI_REGISTER, 1, 0x1000, 0x2000)[0]);
        assertEquals(Rtas.PARAMETER_ERROR, call(RtasService.NMI_INTERLOCK, 1)[0]);
    }

    @Test
    void nmiHandlersBelow32MibAreTakenWhenRtasIsInstantiated() {
        Rtas withBlob = new Rtas(ram.memory, Console.outputOnly(new PrintStream(out)), cpus, (r, s) -> {}, Clock.systemUTC(),
                new Rtas.Platform(1, 64 * MIB, sources, nvram, 0x3FF0000));
        int[] r = callOn(withBlob, RtasService.NMI_INTERLOCK, 1);
        assertEquals(Rtas.PARAMETER_ERROR, r[0], "nothing registered yet");
        assertEquals(Rtas.SUCCESS, callOn(withBlob, RtasService.NMI_REGISTER, 1, 0x100, 0x200)[0]);
        assertEquals(Rtas.PARAMETER_ERROR, callOn(withBlob, RtasService.NMI_REGISTER, 1, 32 << 20, 0x200)[0]);
        assertEquals(Rtas.PARAMETER_ERROR, callOn(withBlob, RtasService.NMI_REGISTER, 1, 0x100, -1)[0]);
        assertEquals(Rtas.SUCCESS, callOn(withBlob, RtasService.NMI_INTERLOCK, 1)[0]);
    }

    private int[] callOn(Rtas target, RtasService s, int nret, int... args) {
        return RtasBlock.call(ram.memory, target, BLOCK, s.token, nret, args).rets();
    }

    @Test
    void suspendMeRefusesWhileAnotherProcessorRunsAndCannotSuspendOtherwise() {
        states = new int[] {CpuControl.RUNNING, CpuControl.RUNNING};
        assertEquals(Rtas.MULTI_THREADS_ACTIVE, call(RtasService.SUSPEND_ME, 1)[0]);
        states = new int[] {CpuControl.RUNNING, CpuControl.STOPPED};
        assertEquals(Rtas.HARDWARE_ERROR, call(RtasService.SUSPEND_ME, 1)[0]);
        assertEquals(Rtas.PARAMETER_ERROR, call(RtasService.SUSPEND_ME, 1, 0)[0]);
    }

    @Test
    void osTermHandsTheGuestsMessageToTheMachine() {
        byte[] msg = "Kernel panic - not syncing: test\0garbage".getBytes(StandardCharsets.US_ASCII);
        ram.memory.write(BUFFER, msg, 0, msg.length);
        call(RtasService.OS_TERM, 1, (int) BUFFER);
        assertEquals(List.of("os-term Kernel panic - not syncing: test"), shutdowns);
    }

    @Test
    void systemRebootStopsTheMachineCleanlyAndChecksItsCounts() {
        assertEquals(Rtas.PARAMETER_ERROR, call(RtasService.SYSTEM_REBOOT, 2)[0]);
        assertTrue(shutdowns.isEmpty());
        assertEquals(Rtas.SUCCESS, call(RtasService.SYSTEM_REBOOT, 1)[0]);
        assertEquals(List.of("system-reboot 0"), shutdowns);
    }
}
