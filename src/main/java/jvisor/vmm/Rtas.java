package jvisor.vmm;


import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Objects;
import jvisor.hw.power.RadixTranslator;
import jvisor.kvm.power.Hcall;
import jvisor.kvm.RunExit;
import jvisor.kvm.power.XicsSources;
import jvisor.memory.GuestMemory;

/**
 * RTAS, the run-time abstraction services, as a pseries guest reaches them through the
 * KVMPPC_H_RTAS hypercall: r4 holds the real address of a block of big-endian 32-bit words
 * {@code {token, nargs, nret, args[nargs], rets[nret]}}; the service writes its returns in place,
 * the first one being the RTAS status.
 *
 * <p>Everything in the block is the guest's and untrusted. A block that does not lie wholly in
 * RAM, or claims more than {@link #MAX_WORDS} arguments or returns, is refused with H_PARAMETER
 * as the hypercall status and nothing written. An unknown token gets {@link #PARAMETER_ERROR} in
 * its first return (if it asked for one) and H_PARAMETER. A known service called with the wrong
 * counts or bad arguments has been called: it answers {@link #PARAMETER_ERROR} in its first
 * return and the hypercall succeeds, as QEMU's RTAS does. Nothing a guest writes there can make
 * this class throw.
 */
public final class Rtas {
    /** RTAS statuses (first return word). */
    public static final int SUCCESS = 0, NO_ERRORS_FOUND = 1, HARDWARE_ERROR = -1, BUSY = -2, PARAMETER_ERROR = -3;
    /**
     * Statuses PAPR gives the same value as {@link #PARAMETER_ERROR}: a service or parameter the
     * platform does not support, a sensor or indicator that does not exist.
     */
    public static final int NOT_SUPPORTED = -3, NO_SUCH_INDICATOR = -3;
    /** ibm,set-system-parameter on a parameter the partition may only read. */
    public static final int NOT_AUTHORIZED = -9002;
    /** ibm,suspend-me while another processor is still running. */
    public static final int MULTI_THREADS_ACTIVE = -9005;
    /** ibm,get-system-parameter with a buffer too small for the length field. */
    public static final int SYSPARM_PARAMETER_ERROR = -9999;
    /** System parameter numbers (PAPR "System Parameters Option") jvisor answers. */
    static final int SYSPARM_SPLPAR_CHARACTERISTICS = 20, SYSPARM_DIAGNOSTICS_RUN_MODE = 42, SYSPARM_UUID = 48;
    /** The display-character token some early Linux debug code assumes without reading the tree. */
    static final int LEGACY_DISPLAY_CHARACTER_TOKEN = 0xA;
    /** ibm,os-term reads at most this much of the guest's message. */
    static final int OS_TERM_MESSAGE_MAX = 511;
    /** PAPR puts the firmware-assisted NMI handlers in the first 32 MiB. */
    static final long NMI_HANDLER_LIMIT = 32L << 20;
    /** Most argument or return words accepted in one call; the services need at most 8. */
    public static final int MAX_WORDS = 16;
    /** Real addresses ignore their top four bits, as in the guest's real mode. */
    static final long REAL_ADDRESS_MASK = RadixTranslator.HV_REAL_MODE_MASK;

    private final GuestMemory memory;
    private final Console console;
    private final CpuControl cpus;
    private final ShutdownListener shutdown;
    private final Clock clock;
    private final Platform platform;
    /** set-time-of-day: the guest's clock minus the host's. */
    volatile Duration timeOffset = Duration.ZERO;
    /** ibm,nmi-register: the machine-check handler's real address, -1 while none is registered. */
    volatile long nmiMachineCheckHandler = -1, nmiSystemResetHandler = -1;

    /**
     * What the services report of the machine and the devices they reach: the number of processors,
     * the RAM size, the interrupt source controller, the NVRAM, and where the RTAS blob is in guest
     * memory ({@code linux,rtas-base}, -1 when the tree gives none: the guest calls RTAS through
     * the hypercall only).
     */
    public record Platform(int cpus, long ramBytes, XicsSources interruptSources, Nvram nvram, long rtasBase) {
        public Platform {
            Objects.requireNonNull(interruptSources);
            Objects.requireNonNull(nvram);
        }

        /** A uniprocessor with {@code ramBytes} of RAM and fresh devices. */
        public static Platform uniprocessor(long ramBytes) {
            return new Platform(1, ramBytes, new XicsSources(), new Nvram(), -1);
        }
    }

    public Rtas(GuestMemory memory, Console console, CpuControl cpus, ShutdownListener shutdown, Clock clock,
            Platform platform) {
        this.memory = Objects.requireNonNull(memory);
        this.console = Objects.requireNonNull(console);
        this.cpus = Objects.requireNonNull(cpus);
        this.shutdown = Objects.requireNonNull(shutdown);
        this.clock = Objects.requireNonNull(clock);
        this.platform = Objects.requireNonNull(platform);
    }

    public Rtas(GuestMemory memory, Console console, CpuControl cpus, ShutdownListener shutdown, Clock clock) {
        this(memory, console, cpus, shutdown, clock, Platform.uniprocessor(0));
    }

    public Rtas(GuestMemory memory, Console console, CpuControl cpus, ShutdownListener shutdown) {
        this(memory, console, cpus, shutdown, Clock.systemUTC());
    }

    /** Handles an RTAS exit: performs the call and puts the hypercall status in {@code exit.ret()[0]}. */
    public void handle(RunExit.Rtas exit) {
        long status = call(exit.argsAddress());
        if (exit.ret() != null && exit.ret().length > 0) exit.ret()[0] = status;
    }

    /** Performs the call whose block is at {@code blockAddress}; returns the hypercall status. */
    public long call(long blockAddress) {
        long block = blockAddress & REAL_ADDRESS_MASK;
        long token = memory.readU32BE(block);
        long nargsWord = memory.readU32BE(block + 4);
        long nretWord = memory.readU32BE(block + 8);
        if (token == GuestMemory.NOT_BACKED || nargsWord == GuestMemory.NOT_BACKED || nretWord == GuestMemory.NOT_BACKED) {
            return Hcall.H_PARAMETER;
        }
        int nargs = (int) nargsWord, nret = (int) nretWord;
        if (nargs < 0 || nargs > MAX_WORDS || nret < 0 || nret > MAX_WORDS) return Hcall.H_PARAMETER;
        if (!memory.isBacked(block, 4L * (3 + nargs + nret))) return Hcall.H_PARAMETER;
        Call c = new Call(block, nargs, nret);
        RtasService service = RtasService.byToken((int) token);
        if (service == null && (int) token == LEGACY_DISPLAY_CHARACTER_TOKEN) service = RtasService.DISPLAY_CHARACTER;
        if (service == null) return c.fail();
        return dispatch(service, c);
    }

    private long dispatch(RtasService s, Call c) {
        switch (s) {
            case DISPLAY_CHARACTER -> {
                if (c.nargs != 1) return c.refuse();
                console.write(c.arg(0) & 0xFF);
                return c.ok();
            }
            case GET_TIME_OF_DAY -> {
                if (c.nargs != 0 || c.nret != 8) return c.refuse();
                LocalDateTime t = LocalDateTime.ofInstant(Instant.now(clock).plus(timeOffset), ZoneOffset.UTC);
                c.ret(1, t.getYear());
                c.ret(2, t.getMonthValue());
                c.ret(3, t.getDayOfMonth());
                c.ret(4, t.getHour());
                c.ret(5, t.getMinute());
                c.ret(6, t.getSecond());
                c.ret(7, t.getNano());
                return c.ok();
            }
            case SET_TIME_OF_DAY -> {
                if (c.nargs != 7) return c.refuse();
                int ns = c.arg(6);
                // Guests have been known to pass garbage nanoseconds; the rest of the date still counts.
                if (ns < 0 || ns > 999_999_999) ns = 0;
                LocalDateTime t;
                try {
                    t = LocalDateTime.of(c.arg(0), c.arg(1), c.arg(2), c.arg(3), c.arg(4), c.arg(5), ns);
                } catch (DateTimeException e) {
                    return c.refuse();
                }
                timeOffset = Duration.between(Instant.now(clock), t.toInstant(ZoneOffset.UTC));
                return c.ok();
            }
            case POWER_OFF -> {
                if (c.nargs != 2 || c.nret != 1) return c.refuse();
                c.ok();
                shutdown.shutdown("power-off", 0);
                return Hcall.H_SUCCESS;
            }
            case START_CPU -> {
                if (c.nargs != 3 || c.nret != 1) return c.refuse();
                int st = cpus.startCpu(c.arg(0), c.arg(1) & 0xFFFF_FFFFL, c.arg(2) & 0xFFFF_FFFFL);
                c.ret(0, st);
                return Hcall.H_SUCCESS;
            }
            case STOP_SELF -> {
                if (c.nargs != 0) return c.refuse();
                // On success stop-self does not return to the caller, so nothing is written.
                cpus.stopSelf();
                return Hcall.H_SUCCESS;
            }
            case QUERY_CPU_STOPPED_STATE -> {
                if (c.nargs != 1 || c.nret != 2) return c.refuse();
                int state = cpus.queryStopped(c.arg(0));
                if (state < 0) return c.refuse();
                c.ret(1, state);
                return c.ok();
            }
            case SYSTEM_REBOOT -> {
                if (c.nargs != 0 || c.nret != 1) return c.refuse();
                // jvisor has no machine reset: the VM stops, as QEMU's does with -no-reboot.
                c.ok();
                shutdown.shutdown("system-reboot", 0);
                return Hcall.H_SUCCESS;
            }
            case OS_TERM -> {
                // Counts are not checked: a guest in this state gets to say why, whatever it passed.
                shutdown.osTerminated(c.nargs > 0 ? c.string(c.arg(0) & 0xFFFF_FFFFL, OS_TERM_MESSAGE_MAX) : "");
                return c.ok();
            }
            case SUSPEND_ME -> {
                if (c.nargs != 0 || c.nret != 1) return c.refuse();
                int running = 0;
                for (int cpu = 0; cpu < platform.cpus(); cpu++) if (cpus.queryStopped(cpu) == CpuControl.RUNNING) running++;
                // Only the caller may run; and jvisor cannot suspend a partition even then.
                return c.status(running > 1 ? MULTI_THREADS_ACTIVE : HARDWARE_ERROR);
            }
            case GET_SYSTEM_PARAMETER -> {
                return c.status(systemParameter(c));
            }
            case SET_SYSTEM_PARAMETER -> {
                int parameter = c.arg(0);
                boolean known = parameter == SYSPARM_SPLPAR_CHARACTERISTICS || parameter == SYSPARM_DIAGNOSTICS_RUN_MODE
                        || parameter == SYSPARM_UUID;
                return c.status(known ? NOT_AUTHORIZED : NOT_SUPPORTED);
            }
            case SET_XIVE -> {
                if (c.nargs != 3 || c.nret != 1) return c.refuse();
                int source = c.arg(0), server = c.arg(1), priority = c.arg(2);
                if (cpus.queryStopped(server) < 0) return c.refuse();
                return platform.interruptSources().setXive(source, server, priority) ? c.ok() : c.refuse();
            }
            case GET_XIVE -> {
                if (c.nargs != 1 || c.nret != 3 || !XicsSources.isSource(c.arg(0))) return c.refuse();
                int[] xive = platform.interruptSources().xive(c.arg(0));
                c.ret(1, xive[0]);
                c.ret(2, xive[1]);
                return c.ok();
            }
            case INT_OFF, INT_ON -> {
                if (c.nargs != 1 || c.nret != 1 || !XicsSources.isSource(c.arg(0))) return c.refuse();
                if (s == RtasService.INT_OFF) platform.interruptSources().intOff(c.arg(0));
                else platform.interruptSources().intOn(c.arg(0));
                return c.ok();
            }
            case EVENT_SCAN -> {
                if (c.nargs != 4 || c.nret != 1) return c.refuse();
                // No event source raises anything yet (no hot-plug, no power warnings).
                return c.status(NO_ERRORS_FOUND);
            }
            case CHECK_EXCEPTION -> {
                if (c.nargs < 6 || c.nargs > 7 || c.nret != 1) return c.refuse();
                return c.status(NO_ERRORS_FOUND);
            }
            case NVRAM_FETCH, NVRAM_STORE -> {
                return nvram(s, c);
            }
            case GET_POWER_LEVEL -> {
                if (c.nargs != 1 || c.nret != 2) return c.refuse();
                return powerLevel(c);
            }
            case SET_POWER_LEVEL -> {
                if (c.nargs != 2 || c.nret != 2) return c.refuse();
                return powerLevel(c);
            }
            case NMI_REGISTER -> {
                if (platform.rtasBase() < 0) return c.status(NOT_SUPPORTED);
                long systemReset = c.arg(0) & 0xFFFF_FFFFL, machineCheck = c.arg(1) & 0xFFFF_FFFFL;
                long limit = Math.min(NMI_HANDLER_LIMIT, platform.ramBytes());
                if (systemReset >= limit || machineCheck >= limit) return c.refuse();
                nmiSystemResetHandler = systemReset;
                nmiMachineCheckHandler = machineCheck;
                return c.ok();
            }
            case NMI_INTERLOCK -> {
                // No machine check is ever held for the guest, so there is nothing to release.
                return nmiMachineCheckHandler < 0 ? c.refuse() : c.ok();
            }
            case QUIESCE -> {
                return c.nargs == 0 && c.nret == 1 ? c.ok() : c.refuse();
            }
            case READ_PCI_CONFIG, WRITE_PCI_CONFIG, IBM_READ_PCI_CONFIG, IBM_WRITE_PCI_CONFIG -> {
                // No host bridge, so no device answers at any configuration address.
                return c.status(HARDWARE_ERROR);
            }
            case SET_TCE_BYPASS, QUERY_INTERRUPT_SOURCE_NUMBER, CHANGE_MSI, SET_EEH_OPTION, GET_CONFIG_ADDR_INFO2,
                    READ_SLOT_RESET_STATE2, SET_SLOT_RESET, CONFIGURE_PE, SLOT_ERROR_DETAIL, QUERY_PE_DMA_WINDOW,
                    CREATE_PE_DMA_WINDOW, REMOVE_PE_DMA_WINDOW, RESET_PE_DMA_WINDOW -> {
                // Every one names a host bridge, partitionable endpoint or DMA window: none exists.
                return c.refuse();
            }
            case SET_INDICATOR, GET_SENSOR_STATE, CONFIGURE_CONNECTOR -> {
                // Dynamic-reconfiguration connectors: jvisor has none, so no index names one.
                return c.status(NO_SUCH_INDICATOR);
            }
        }
        return c.refuse();
    }

    /** ibm,get-system-parameter(parameter, buffer, length): a 2-byte big-endian length, then the value. */
    private int systemParameter(Call c) {
        int parameter = c.arg(0);
        long buffer = c.arg(1) & 0xFFFF_FFFFL;
        long length = c.arg(2) & 0xFFFF_FFFFL;
        byte[] value;
        switch (parameter) {
            case SYSPARM_SPLPAR_CHARACTERISTICS -> {
                // Processors and memory as the partition was configured; HostThrs is not PAPR's but
                // guests read it to scale per-thread figures (POWER9 has 4 threads a core).
                String text = String.format("MaxEntCap=%d,DesMem=%d,DesProcs=%d,MaxPlatProcs=%d,HostThrs=4",
                        platform.cpus(), platform.ramBytes() >> 20, platform.cpus(), platform.cpus());
                value = (text + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            }
            case SYSPARM_DIAGNOSTICS_RUN_MODE -> value = new byte[] {0}; // diagnostics disabled
            case SYSPARM_UUID -> value = new byte[0]; // the machine was given no UUID
            default -> {
                return NOT_SUPPORTED;
            }
        }
        if (length < 2) return SYSPARM_PARAMETER_ERROR;
        byte[] out = new byte[2 + (int) Math.min(length - 2, value.length)];
        out[0] = (byte) (value.length >>> 8);
        out[1] = (byte) value.length;
        System.arraycopy(value, 0, out, 2, out.length - 2);
        c.writeTo(buffer, out);
        return SUCCESS;
    }

    /** nvram-fetch / nvram-store(offset, buffer, length): returns the status and the length moved. */
    private long nvram(RtasService s, Call c) {
        if (c.nargs != 3 || c.nret != 2) return c.refuse();
        long offset = c.arg(0) & 0xFFFF_FFFFL, buffer = c.arg(1) & 0xFFFF_FFFFL, length = c.arg(2) & 0xFFFF_FFFFL;
        if (!Nvram.inBounds(offset, length)) {
            c.ret(1, 0);
            return c.refuse();
        }
        if (s == RtasService.NVRAM_FETCH) {
            c.writeTo(buffer, platform.nvram().fetch((int) offset, (int) length));
        } else {
            platform.nvram().store((int) offset, c.readFrom(buffer, (int) length));
        }
        c.ret(1, (int) length);
        return c.ok();
    }

    /** get-power-level(domain) / set-power-level(domain, level): only the live-insert domain -1, always full. */
    private long powerLevel(Call c) {
        if (c.arg(0) != -1) return c.status(NOT_SUPPORTED);
        c.ret(1, 100);
        return c.ok();
    }

    /** Time the guest set with set-time-of-day, relative to the host clock. */
    public Duration timeOffset() {
        return timeOffset;
    }

    /** One call's block, bounds already checked. */
    private final class Call {
        final long block;
        final int nargs, nret;

        Call(long block, int nargs, int nret) {
            this.block = block;
            this.nargs = nargs;
            this.nret = nret;
        }

        /**
         * Argument {@code i}. The block was checked to be RAM; if its slot goes away during the
         * call, what is left reads as 0 and the returns are dropped, as on a bus with nothing there.
         */
        int arg(int i) {
            long word = memory.readU32BE(block + 12 + 4L * i);
            return word == GuestMemory.NOT_BACKED ? 0 : (int) word;
        }

        /** Writes return {@code i} if the caller asked for that many. */
        void ret(int i, int value) {
            if (i < nret) memory.writeU32BE(block + 12 + 4L * (nargs + i), value);
        }

        long ok() {
            ret(0, SUCCESS);
            return Hcall.H_SUCCESS;
        }

        /** An unknown token: no service was called. */
        long fail() {
            ret(0, PARAMETER_ERROR);
            return Hcall.H_PARAMETER;
        }

        /** A service refusing its arguments: the RTAS status says so, the hypercall succeeded. */
        long refuse() {
            return status(PARAMETER_ERROR);
        }

        /** A service that ran and answers {@code rtasStatus}. */
        long status(int rtasStatus) {
            ret(0, rtasStatus);
            return Hcall.H_SUCCESS;
        }

        /**
         * Copies {@code bytes} to the guest's real address {@code gpa}; a buffer outside RAM is
         * dropped, as a bus drops writes to nowhere.
         */
        void writeTo(long gpa, byte[] bytes) {
            if (memory.isBacked(gpa, bytes.length)) memory.write(gpa, bytes, 0, bytes.length);
        }

        /** Reads {@code length} bytes at the guest's real address {@code gpa}; outside RAM reads zeros. */
        byte[] readFrom(long gpa, int length) {
            byte[] b = new byte[length];
            if (!memory.read(gpa, b, 0, length)) Arrays.fill(b, (byte) 0);
            return b;
        }

        /** A NUL-terminated string of at most {@code max} bytes at {@code gpa}, printable ASCII kept. */
        String string(long gpa, int max) {
            StringBuilder sb = new StringBuilder();
            byte[] one = new byte[1];
            for (int i = 0; i < max && memory.read(gpa + i, one, 0, 1); i++) {
                if (one[0] == 0) break;
                sb.append(one[0] >= 0x20 && one[0] < 0x7F ? (char) one[0] : '?');
            }
            return sb.toString();
        }
    }
}
