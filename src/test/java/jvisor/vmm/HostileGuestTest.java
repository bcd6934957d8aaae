package jvisor.vmm;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Random;
import jvisor.hw.power.Msr;
import jvisor.kvm.RunExit;
import jvisor.kvm.power.Hcall;
import jvisor.kvm.power.PowerVcpu;
import jvisor.memory.GuestMemory;
import org.junit.jupiter.api.Test;

/**
 * Guests that do everything wrong: random instruction words sprinkled with hypercalls whose
 * numbers and arguments are random or hostile, RTAS calls through argument blocks with random
 * tokens, counts and values, loads and stores to wild addresses. Every exit is handled by the
 * machine's own run-loop step ({@link PseriesMachine#handleExit}): the device bus, the VMM's
 * hypercalls ({@link Hypercalls}) and RTAS ({@link Rtas}) see all of it. Whatever the guest does
 * ends in an architected interrupt, a status for the guest, or a clean stop; never a host
 * exception, and every host frame comes back when the machine is destroyed.
 */
class HostileGuestTest {
    private static final long MIB = 1L << 20, CODE = 0x400000;
    /** {@code sc 1; b CODE}: where the test sends the vCPU with a hostile call in its registers. */
    private static final long CALL = 0x3F0000;
    private static final long[] LENGTHS = {-1, 0, 1, 8, 15, 16, 17, 19, 0x7FFF_FFFF, Long.MIN_VALUE};
    /** Sixteen RTAS argument blocks of 0x100 bytes each, filled with hostile contents. */
    private static final long RTAS_BLOCKS = 0x500000;
    private static final long[] HCALLS = {Hcall.H_SET_SPRG0, Hcall.H_SET_DABR, Hcall.H_PAGE_INIT, Hcall.H_EOI, Hcall.H_CPPR,
            Hcall.H_IPI, Hcall.H_IPOLL, Hcall.H_XIRR, Hcall.H_REGISTER_VPA, Hcall.H_CEDE, Hcall.H_RANDOM, Hcall.H_SET_MODE,
            Hcall.H_REGISTER_PROCESS_TABLE, Hcall.KVMPPC_H_RTAS, Hcall.KVMPPC_H_RTAS, Hcall.KVMPPC_H_RTAS,
            Hcall.H_PUT_TERM_CHAR, Hcall.H_PUT_TERM_CHAR, Hcall.H_GET_TERM_CHAR, 0x1234, -1, 0x1_0000_0058L};
    private static final long[] WILD = {0, -1, 0x8000_0000_0000_0000L, 0x7FFF_FFFF_FFFF_F000L, 0x1000, 0x3FFF_F000L,
            MachineLayout.UART_BASE, MachineLayout.UART_BASE + 5, MachineLayout.VTY_REG, 0xFFF, CODE, 1L << 52,
            0x4000_0000_0000_0000L, RTAS_BLOCKS, RTAS_BLOCKS + 0x300, RTAS_BLOCKS + 0xF00, RTAS_BLOCKS + 0xFFC,
            64 * MIB - 8, 64 * MIB};

    private static PseriesMachine machine(byte[] input, ByteArrayOutputStream console, ByteArrayOutputStream log)
            throws LaunchError {
        return new PseriesMachine(MachineConfig.validated(64 * MIB, 2, null, null, ""), console,
                new ByteArrayInputStream(input), new PrintStream(log, true));
    }

    /** Fills the RTAS blocks: a real or random token, counts in and out of range, random words. */
    private static void hostileRtasBlocks(GuestMemory mem, Random r) {
        RtasService[] services = RtasService.values();
        for (int b = 0; b < 16; b++) {
            long block = RTAS_BLOCKS + 0x100L * b;
            int token = r.nextInt(3) == 0 ? r.nextInt() : services[r.nextInt(services.length)].token;
            int[] counts = {0, 1, 2, 3, 7, 8, r.nextInt(64), -1, 0x7FFF_FFFF};
            mem.writeU32BE(block, token);
            mem.writeU32BE(block + 4, counts[r.nextInt(counts.length)]);
            mem.writeU32BE(block + 8, counts[r.nextInt(counts.length)]);
            for (long a = block + 12; a < block + 0x100; a += 4) {
                int[] values = {0, 1, -1, 2, 3, 1970, 2038, 9999, 13, 32, 60, 1_000_000_000, r.nextInt()};
                mem.writeU32BE(a, values[r.nextInt(values.length)]);
            }
        }
    }

    @Test
    void randomCodeWithHostileHypercallsAndRtasCallsMeetsTheVmmsOwnHandlers() throws Exception {
        PseriesMachine fresh = machine(new byte[0], new ByteArrayOutputStream(), new ByteArrayOutputStream());
        fresh.destroy();
        long baseline = fresh.vm().physicalMemory().framesInUse();
        int mmio = 0, hcalls = 0, rtas = 0;
        long consoleBytes = 0;
        for (int seed = 1; seed <= 15; seed++) {
            Random r = new Random(seed);
            byte[] input = new byte[64];
            r.nextBytes(input);
            ByteArrayOutputStream console = new ByteArrayOutputStream(), log = new ByteArrayOutputStream();
            PseriesMachine m = machine(input, console, log);
            GuestMemory mem = m.vm().guestMemory();
            for (long a = 0; a < 0x10000 - 32; a += 4) {
                int w = switch (r.nextInt(16)) {
                    case 0, 1 -> 0x44000022;                    // sc 1
                    case 2, 3 -> 0x44000002;                    // sc
                    case 4, 5 -> 0x7c000124 | (r.nextInt(32) << 21) | (r.nextInt(2) << 16); // mtmsr(d)
                    case 6 -> {
                        // KVMPPC_H_RTAS with r4 at one of the blocks: li r3,0; ori r3,r3,0xf000;
                        // lis r4,0x50; ori r4,r4,block; sc 1
                        int[] call = {0x38600000, 0x6063f000, 0x3c800050, 0x60840000 | (r.nextInt(16) << 8), 0x44000022};
                        for (int k = 0; k < call.length - 1; k++, a += 4) mem.writeU32BE(CODE + a, call[k]);
                        yield call[call.length - 1];
                    }
                    case 7 -> {
                        // H_PUT_TERM_CHAR on the console's terminal with a random length: li r3,0x58;
                        // lis r4,0x7100 (the vty); li r5,len; sc 1
                        int[] call = {0x38600058, 0x3c807100, 0x38a00000 | (r.nextInt(24) - 4) & 0xFFFF, 0x44000022};
                        for (int k = 0; k < call.length - 1; k++, a += 4) mem.writeU32BE(CODE + a, call[k]);
                        yield call[call.length - 1];
                    }
                    default -> r.nextInt();
                };
                mem.writeU32BE(CODE + a, w);
            }
            // Every vector branches back into the random code.
            for (long v = 0x100; v < 0x1000; v += 0x100) mem.writeU32BE(v, 0x48000000 | (int) (CODE - v) & 0x03FFFFFC);
            hostileRtasBlocks(mem, r);
            mem.writeU32BE(CALL, 0x44000022);
            mem.writeU32BE(CALL + 4, 0x48000000 | (int) (CODE - CALL - 4));
            PowerVcpu v = m.vcpus().get(0);
            v.start(CODE, 0, Msr.SF | Msr.ME);
            for (int i = 3; i < 13; i++) {
                v.core().setGpr(i, r.nextBoolean() ? WILD[r.nextInt(WILD.length)] : r.nextLong());
            }
            int exits = 0;
            long deadline = System.nanoTime() + 2_000_000_000L;
            outer:
            while (exits < 150 && System.nanoTime() < deadline) {
                if (r.nextInt(3) == 0) {
                    // A hypercall of the test's choosing, whatever state the garbage left behind.
                    v.core().setPc(CALL);
                    v.core().setGpr(3, HCALLS[r.nextInt(HCALLS.length)]);
                    v.core().setGpr(4, switch (r.nextInt(3)) {
                        case 0 -> MachineLayout.VTY_REG;
                        case 1 -> RTAS_BLOCKS + 0x100L * r.nextInt(16);
                        default -> WILD[r.nextInt(WILD.length)];
                    });
                    for (int g = 5; g <= 7; g++) {
                        v.core().setGpr(g, r.nextBoolean() ? LENGTHS[r.nextInt(LENGTHS.length)] : r.nextLong());
                    }
                } else if (r.nextInt(4) == 0) {
                    v.core().setGpr(3, HCALLS[r.nextInt(HCALLS.length)]);
                }
                if (v.isStopped()) v.start(CODE, 0, Msr.SF | Msr.ME); // after RTAS stop-self
                RunExit e = runWithTimeout(v);
                exits++;
                switch (e) {
                    case RunExit.Mmio x -> mmio++;
                    case RunExit.Hypercall h -> hcalls++;
                    case RunExit.Rtas x -> rtas++;
                    case RunExit.Shutdown s -> {
                        break outer;
                    }
                    case RunExit.InternalError err -> {
                        assertFalse(err.reason().isBlank());
                        break outer;
                    }
                    default -> { }
                }
                m.handleExit(v, e);
            }
            consoleBytes += console.size();
            m.destroy();
            assertEquals(baseline, m.vm().physicalMemory().framesInUse(), "seed " + seed + ": frames leaked");
            assertFalse(log.toString().contains("Exception"), "seed " + seed + ": " + log);
        }
        assertTrue(mmio > 0 && hcalls > 0 && rtas > 0 && consoleBytes > 0,
                "the guests reached the bus, the VMM's hypercalls and RTAS, and printed: " + mmio + " / " + hcalls
                        + " / " + rtas + " / " + consoleBytes + " bytes");
    }

    /** A guest in H_CEDE with nothing to wake it, or a tight loop, must not hang the test. */
    private static RunExit runWithTimeout(PowerVcpu v) {
        Thread kicker = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(1);
                v.kick();
            } catch (InterruptedException ignored) {
                // the run finished first
            }
        });
        RunExit e = v.run();
        kicker.interrupt();
        return e;
    }
}
