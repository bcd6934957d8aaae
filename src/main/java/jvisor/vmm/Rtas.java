package jvisor.vmm;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import jvisor.kvm.RunExit;
import jvisor.memory.GuestMemory;
import jvisor.memory.GuestMemoryFault;

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
    public static final int SUCCESS = 0, HARDWARE_ERROR = -1, BUSY = -2, PARAMETER_ERROR = -3;
    /** Most argument or return words accepted in one call; the services need at most 8. */
    public static final int MAX_WORDS = 16;
    /** Real addresses ignore their top four bits, as in the guest's real mode. */
    static final long REAL_ADDRESS_MASK = 0x0FFF_FFFF_FFFF_FFFFL;

    private final GuestMemory memory;
    private final Console console;
    private final CpuControl cpus;
    private final ShutdownListener shutdown;
    private final Clock clock;
    /** set-time-of-day: the guest's clock minus the host's. */
    private volatile Duration timeOffset = Duration.ZERO;

    public Rtas(GuestMemory memory, Console console, CpuControl cpus, ShutdownListener shutdown, Clock clock) {
        this.memory = Objects.requireNonNull(memory);
        this.console = Objects.requireNonNull(console);
        this.cpus = Objects.requireNonNull(cpus);
        this.shutdown = Objects.requireNonNull(shutdown);
        this.clock = Objects.requireNonNull(clock);
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
        if (!memory.isBacked(block, 12)) return Hypercalls.H_PARAMETER;
        try {
            int token = memory.readIntBE(block);
            int nargs = memory.readIntBE(block + 4);
            int nret = memory.readIntBE(block + 8);
            if (nargs < 0 || nargs > MAX_WORDS || nret < 0 || nret > MAX_WORDS) return Hypercalls.H_PARAMETER;
            if (!memory.isBacked(block, 4L * (3 + nargs + nret))) return Hypercalls.H_PARAMETER;
            Call c = new Call(block, nargs, nret);
            RtasService service = RtasService.byToken(token);
            if (service == null) return c.fail();
            return dispatch(service, c);
        } catch (GuestMemoryFault f) {
            // RAM was checked above; a slot removed under our feet is still the guest's problem.
            return Hypercalls.H_PARAMETER;
        }
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
                return Hypercalls.H_SUCCESS;
            }
            case START_CPU -> {
                if (c.nargs != 3 || c.nret != 1) return c.refuse();
                int st = cpus.startCpu(c.arg(0), c.arg(1) & 0xFFFF_FFFFL, c.arg(2) & 0xFFFF_FFFFL);
                c.ret(0, st);
                return Hypercalls.H_SUCCESS;
            }
            case STOP_SELF -> {
                if (c.nargs != 0) return c.refuse();
                // On success stop-self does not return to the caller, so nothing is written.
                cpus.stopSelf();
                return Hypercalls.H_SUCCESS;
            }
            case QUERY_CPU_STOPPED_STATE -> {
                if (c.nargs != 1 || c.nret != 2) return c.refuse();
                int state = cpus.queryStopped(c.arg(0));
                if (state < 0) return c.refuse();
                c.ret(1, state);
                return c.ok();
            }
        }
        return c.refuse();
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

        int arg(int i) {
            return memory.readIntBE(block + 12 + 4L * i);
        }

        /** Writes return {@code i} if the caller asked for that many. */
        void ret(int i, int value) {
            if (i < nret) memory.writeIntBE(block + 12 + 4L * (nargs + i), value);
        }

        long ok() {
            ret(0, SUCCESS);
            return Hypercalls.H_SUCCESS;
        }

        /** An unknown token: no service was called. */
        long fail() {
            ret(0, PARAMETER_ERROR);
            return Hypercalls.H_PARAMETER;
        }

        /** A service refusing its arguments: the RTAS status says so, the hypercall succeeded. */
        long refuse() {
            ret(0, PARAMETER_ERROR);
            return Hypercalls.H_SUCCESS;
        }
    }
}
