package jvisor.vmm.gdb;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jvisor.kvm.power.GuestTimebase;
import jvisor.kvm.power.PowerVmState;
import jvisor.vmm.MachineConfig;
import jvisor.vmm.PseriesMachine;
import jvisor.vmm.TinyGuest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stub's packets against a running machine, spoken by a small client that knows only the
 * protocol: a big-endian guest that counts in r3 in a loop until the word at {@link #FLAG} is set,
 * then powers off.
 */
class GdbSessionTest {
    static final long ENTRY = TinyGuest.ENTRY, CODE = ENTRY + 24, LOOP = CODE + 8, LWZ = CODE + 12;
    static final long FLAG = TinyGuest.DATA + 0x20;
    /** lis r10,0x40; ori r10,r10,0x100; loop: addi r3,r3,1; lwz r5,0x20(r10); cmpwi r5,0; beq loop; power off. */
    static final int[] LOOP_UNTIL_FLAG = TinyGuest.code(
            new int[] {0x3D400040, 0x614A0100, 0x38630001, 0x80AA0020, 0x2C050000, 0x4182FFF4}, TinyGuest.POWER_OFF);

    @TempDir
    Path dir;

    private PseriesMachine machine;
    private GdbServer server;
    private CompletableFuture<Integer> status;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    private int start(int cpus, boolean wait) throws Exception {
        int[] data = new int[TinyGuest.POWER_OFF_BLOCK.length + 3];
        System.arraycopy(TinyGuest.POWER_OFF_BLOCK, 0, data, 0, TinyGuest.POWER_OFF_BLOCK.length);
        Path elf = TinyGuest.write(dir, "loop.elf", LOOP_UNTIL_FLAG, data);
        machine = new PseriesMachine(MachineConfig.validated(64L << 20, cpus, elf, null, ""), console,
                new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream(), true));
        machine.load();
        server = GdbServer.start(machine, 0, wait);
        status = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            int s = 1;
            try {
                s = machine.run(120_000);
            } catch (Throwable e) {
                status.completeExceptionally(e);
            } finally {
                server.machineEnded(s);
                status.complete(s);
            }
        }, "machine");
        t.setDaemon(true);
        t.start();
        return server.port();
    }

    @AfterEach
    void stop() throws Exception {
        if (machine != null) {
            machine.shutdown("test over", 0);
            status.get(30, TimeUnit.SECONDS);
            machine.destroy();
        }
    }

    private GuestTimebase timebase() {
        return PowerVmState.of(machine.vm()).time();
    }

    private static long number(String hex) {
        return Long.parseUnsignedLong(hex, 16);
    }

    @Test
    void whatGdbAsksFirstIsAnsweredWhileTheGuestWaits() throws Exception {
        int port = start(2, true);
        try (GdbClient g = new GdbClient(port)) {
            String supported = g.request("qSupported:multiprocess+;swbreak+;xmlRegisters=i386");
            assertTrue(supported.contains("PacketSize=4000"), supported);
            assertTrue(supported.contains("qXfer:features:read+"), supported);
            assertEquals("T05thread:01;", g.request("?"));
            StringBuilder xml = new StringBuilder();
            String piece;
            do {
                piece = g.request("qXfer:features:read:target.xml:" + Integer.toHexString(xml.length()) + ",200");
                assertTrue(piece.startsWith("m") || piece.startsWith("l"), piece);
                xml.append(piece, 1, piece.length());
            } while (piece.startsWith("m"));
            assertEquals(PowerRegisters.targetXml(), xml.toString(), "the pieces make the whole description");
            assertTrue(xml.length() > 0x200 * 4, "it took several pieces");
            assertEquals("E00", g.request("qXfer:features:read:other.xml:0,200"));

            assertEquals("m1,2", g.request("qfThreadInfo"));
            assertEquals("l", g.request("qsThreadInfo"));
            assertEquals("QC1", g.request("qC"));
            assertEquals("OK", g.request("T2"));
            assertEquals("E01", g.request("T3"));
            String regs = g.request("g");
            assertEquals(2 * PowerRegisters.totalSize(), regs.length());
            assertEquals(ENTRY, number(regs.substring(2 * 8 * 64, 2 * 8 * 65)), "pc in the g packet, big-endian");
            assertEquals(ENTRY, number(g.request("p40")));
            assertEquals("OK", g.request("Hg2"));
            assertEquals("QC2", g.request("qC"));
            assertEquals(0, number(g.request("p40")), "vCPU 1 has not been started");
            assertEquals("E01", g.request("Hg3"));
            assertEquals("OK", g.request("Hg1"));

            assertTrue(timebase().isHeld(), "the guest's timebase stands still while the guest does");
            long tb = timebase().timebase(), dec = machine.vcpus().get(0).core().decrementerValue();
            Thread.sleep(20);
            assertEquals(tb, timebase().timebase());
            assertEquals(dec, machine.vcpus().get(0).core().decrementerValue(), "nor does the decrementer");
        }
    }

    @Test
    void registersAndMemoryAreReadAndWrittenAndBadAddressesAnswerE01() throws Exception {
        int port = start(1, true);
        try (GdbClient g = new GdbClient(port)) {
            assertEquals("7d4000a6", g.request("m" + Long.toHexString(ENTRY) + ",4"), "mfmsr r10, as in the ELF");
            assertEquals("E01", g.request("m10000000,4"), "beyond the guest's RAM");
            assertEquals("E01", g.request("mffffffffffffff00,10"));
            assertEquals(8, g.request("m3fffffc,8").length(), "the readable part of a read that runs off RAM");
            assertEquals("OK", g.request("M" + Long.toHexString(FLAG + 4) + ",4:deadbeef"));
            assertEquals("deadbeef", g.request("m" + Long.toHexString(FLAG + 4) + ",4"));
            assertEquals("E01", g.request("M10000000,2:abcd"));
            assertEquals("E01", g.request("M" + Long.toHexString(FLAG) + ",4:abcd"), "length and data disagree");
            assertEquals("OK", g.request("X" + Long.toHexString(FLAG) + ",0:"), "gdb's probe for X");
            // Binary data with the bytes the protocol escapes: } # $ *
            assertEquals("OK", g.request("X" + Long.toHexString(FLAG + 8) + ",4:}]}\u0003}\u0004}\n"));
            assertEquals("7d23242a", g.request("m" + Long.toHexString(FLAG + 8) + ",4"));

            assertEquals("OK", g.request("P3=0000000000000005"));
            assertEquals(5, number(g.request("p3")));
            assertEquals("E01", g.request("p89"), "there are 137 registers");
            assertEquals("E01", g.request("P3=05"), "a value of the wrong size");
            for (String bad : new String[] {"m", "mzz,1", "m1", "M1,1", "Z0,zz,4", "Hx1", "p", "Gzz", "vCont;x", "c12z"}) {
                assertTrue(g.request(bad).startsWith("E"), bad);
            }
            assertEquals("", g.request("Z9,0,4"), "an unknown point type is not supported");
            assertEquals("", g.request("vNoSuchThing"));
            assertEquals("", g.request("qNoSuchThing"));
            assertEquals("T05thread:01;", g.request("?"), "still answering");
        }
    }

    @Test
    void breakpointsStepsWatchpointsAndAnInterruptStopTheGuest() throws Exception {
        int port = start(1, true);
        try (GdbClient g = new GdbClient(port)) {
            g.noAck();
            long r3 = number(g.request("p3")); // the device tree's address
            assertEquals("OK", g.request("Z0," + Long.toHexString(LWZ) + ",4"));
            assertEquals("T05thread:01;", g.request("vCont;c"));
            assertEquals(LWZ, number(g.request("p40")));
            assertEquals(r3 + 1, number(g.request("p3")), "one pass of the loop ran before the lwz");
            assertEquals("T05thread:01;", g.request("vCont;c"), "still set: it stops again at once");
            assertEquals(r3 + 1, number(g.request("p3")));

            assertEquals("OK", g.request("z0," + Long.toHexString(LWZ) + ",4"));
            assertEquals("T05thread:01;", g.request("vCont;s:1"));
            assertEquals(LWZ + 4, number(g.request("p40")), "a step is one instruction");
            assertEquals("T05thread:01;", g.request("s"));
            assertEquals(LWZ + 8, number(g.request("p40")));

            assertEquals("OK", g.request("Z3," + Long.toHexString(FLAG) + ",4"));
            assertEquals("T05rwatch:" + Long.toHexString(FLAG) + ";thread:01;", g.request("vCont;c"));
            assertEquals(LWZ, number(g.request("p40")), "stopped before the load of the watched word");
            assertEquals("OK", g.request("z3," + Long.toHexString(FLAG) + ",4"));

            g.send("vCont;c");
            for (long until = System.nanoTime() + 30_000_000_000L; timebase().isHeld() && System.nanoTime() < until; ) {
                Thread.sleep(1); // the session lets the guest go right after acknowledging
            }
            assertFalse(timebase().isHeld(), "running, the timebase goes on");
            g.sendRaw("\u0003");
            assertEquals("T02thread:01;", g.receive());
            assertTrue(timebase().isHeld());
            long pc = number(g.request("p40"));
            assertTrue(pc >= LOOP && pc <= LOOP + 12, "stopped in the loop at 0x" + Long.toHexString(pc));

            assertEquals("OK", g.request("M" + Long.toHexString(FLAG) + ",4:00000001"));
            assertEquals("W00", g.request("c"), "the guest powered off");
            assertEquals(0, status.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void aGdbThatConnectsToARunningGuestStopsItAndDetachLetsItGo() throws Exception {
        int port = start(1, false);
        Thread.sleep(50);
        try (GdbClient g = new GdbClient(port)) {
            assertEquals("T05thread:01;", g.request("?"));
            assertTrue(timebase().isHeld());
            assertTrue(number(g.request("p3")) >= 0);
            assertEquals("OK", g.request("Z0," + Long.toHexString(LWZ) + ",4"));
            assertEquals("OK", g.request("M" + Long.toHexString(FLAG) + ",4:00000001"));
            assertEquals("OK", g.request("D"));
            assertEquals(-1, g.read(), "the stub closes the connection");
        }
        assertEquals(0, status.get(30, TimeUnit.SECONDS), "the guest ran on to its power-off, past the forgotten breakpoint");
    }

    @Test
    void killEndsTheMachineWithStatusZero() throws Exception {
        int port = start(1, true);
        try (GdbClient g = new GdbClient(port)) {
            g.send("k");
            assertEquals(0, status.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void oneClientAtATimeAndCorruptPacketsAreAskedForAgain() throws Exception {
        int port = start(1, true);
        try (GdbClient g = new GdbClient(port)) {
            assertEquals("T05thread:01;", g.request("?"));
            try (GdbClient other = new GdbClient(port)) {
                assertEquals(-1, other.read(), "a second client is turned away");
            }
            g.sendRaw("$?#00");
            assertEquals('-', g.read(), "a wrong checksum is refused");
            g.send("?");
            assertEquals("T05thread:01;", g.receive());
            assertEquals("QC1", g.request("qC"));
            g.sendRaw("-"); // as if the reply had arrived damaged: the stub sends it again
            assertEquals("QC1", g.receive());
        }
        // Once the first has gone (and the guest was let go), another may connect.
        try (GdbClient g = new GdbClient(port)) {
            assertEquals("T05thread:01;", g.request("?"));
        }
    }
}
