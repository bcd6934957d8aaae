package jvisor.vmm;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import jvisor.kvm.power.Hcall;
import jvisor.kvm.RunExit;
import org.junit.jupiter.api.Test;

class HypercallsTest {
    static final long MIB = 1L << 20;
    static final int VTY = MachineLayout.VTY_REG;

    final GuestRam ram = new GuestRam(64 * MIB);
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final List<String> events = new ArrayList<>();
    InputStream in = new ByteArrayInputStream(new byte[0]);
    Console console;
    Hypercalls hcalls;

    HypercallsTest() {
        rebuild();
    }

    void rebuild() {
        console = new Console(new PrintStream(out), in);
        Rtas rtas = new Rtas(ram.memory, console, CpuControl.UNIPROCESSOR, (r, s) -> events.add("shutdown " + s));
        hcalls = new Hypercalls(console, rtas, VTY);
    }

    /** Runs one hypercall exit with r4.. = args (padded to r12); returns {status, r4, r5, r6}. */
    long[] hcall(long nr, long... args) {
        long[] regs = new long[9];
        System.arraycopy(args, 0, regs, 0, args.length);
        RunExit.Hypercall h = new RunExit.Hypercall(nr, regs);
        hcalls.handle(h);
        return new long[] {h.ret()[0], regs[0], regs[1], regs[2]};
    }

    @Test
    void putTermCharWritesTheBigEndianPackedBytes() {
        long r6 = 0x68656c6c6f2c2077L; // "hello, w"
        long r7 = 0x6f726c640a000000L; // "orld\n"
        assertEquals(Hcall.H_SUCCESS, hcall(Hcall.H_PUT_TERM_CHAR, VTY, 13, r6, r7)[0]);
        assertEquals("hello, world\n", out.toString());
        assertEquals(Hcall.H_SUCCESS, hcall(Hcall.H_PUT_TERM_CHAR, VTY, 0, r6, r7)[0]);
        assertEquals("hello, world\n", out.toString(), "length 0 writes nothing");
    }

    @Test
    void terminalZeroReachesTheFirstVty() {
        assertEquals(Hcall.H_SUCCESS, hcall(Hcall.H_PUT_TERM_CHAR, 0, 2, 0x4142L << 48, 0)[0]);
        assertEquals("AB", out.toString());
        in = new ByteArrayInputStream("q".getBytes());
        rebuild();
        long[] r = hcall(Hcall.H_GET_TERM_CHAR, 0);
        assertEquals(Hcall.H_SUCCESS, r[0]);
        assertEquals(1, r[1]);
        assertEquals(0x71L << 56, r[2]);
    }

    @Test
    void putTermCharRefusesOtherTerminalsAndLongLengths() {
        for (long termno : new long[] {1, VTY + 1, VTY - 1, 0xFFFF_FFFFL, -1, 1L << 32, (long) VTY << 32}) {
            assertEquals(Hcall.H_PARAMETER, hcall(Hcall.H_PUT_TERM_CHAR, termno, 1, 0x41L << 56, 0)[0],
                    "terminal " + Long.toHexString(termno));
            assertEquals(Hcall.H_PARAMETER, hcall(Hcall.H_GET_TERM_CHAR, termno)[0],
                    "terminal " + Long.toHexString(termno));
        }
        assertEquals(Hcall.H_PARAMETER, hcall(Hcall.H_PUT_TERM_CHAR, VTY, 17, 0, 0)[0]);
        assertEquals(Hcall.H_PARAMETER, hcall(Hcall.H_PUT_TERM_CHAR, 0, 17, 0, 0)[0]);
        assertEquals(Hcall.H_PARAMETER, hcall(Hcall.H_PUT_TERM_CHAR, VTY, -1, 0, 0)[0]);
        assertEquals("", out.toString());
    }

    @Test
    void getTermCharReturnsWaitingBytesAndZeroWhenThereAreNone() {
        in = new ByteArrayInputStream("0123456789abcdefXYZ".getBytes());
        rebuild();
        long[] r = hcall(Hcall.H_GET_TERM_CHAR, VTY);
        assertEquals(Hcall.H_SUCCESS, r[0]);
        assertEquals(16, r[1]);
        assertEquals(0x3031323334353637L, r[2]);
        assertEquals(0x3839616263646566L, r[3]);
        r = hcall(Hcall.H_GET_TERM_CHAR, VTY);
        assertEquals(3, r[1]);
        assertEquals(0x58595a0000000000L, r[2]);
        r = hcall(Hcall.H_GET_TERM_CHAR, VTY);
        assertEquals(Hcall.H_SUCCESS, r[0]);
        assertEquals(0, r[1], "an idle terminal answers at once with no characters");
        assertEquals(Hcall.H_PARAMETER, hcall(Hcall.H_GET_TERM_CHAR, 5)[0]);
    }

    @Test
    void getTermCharNeverBlocksOnAStreamThatWouldBlock() {
        in = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("read would block the vCPU");
            }

            @Override
            public int available() {
                return 0;
            }
        };
        rebuild();
        assertEquals(0, hcall(Hcall.H_GET_TERM_CHAR, VTY)[1]);
    }

    @Test
    void rtasIsDelegatedWithTheBlockAddressInR4() {
        long block = 0x20000;
        ram.memory.writeU32BE(block, RtasService.POWER_OFF.token);
        ram.memory.writeU32BE(block + 4, 2);
        ram.memory.writeU32BE(block + 8, 1);
        assertEquals(Hcall.H_SUCCESS, hcall(Hcall.KVMPPC_H_RTAS, block)[0]);
        assertEquals(List.of("shutdown 0"), events);
    }

    @Test
    void unknownHypercallsAreHFunction() {
        for (long nr : new long[] {0, 0x4, 0xE0, 0x31C, 0x37C, 0x9999, -1, Long.MIN_VALUE}) {
            assertEquals(Hcall.H_FUNCTION, hcall(nr)[0], "hcall 0x" + Long.toHexString(nr));
        }
    }

    @Test
    void shortArgumentArraysAreRefusedNotThrown() {
        RunExit.Hypercall h = new RunExit.Hypercall(Hcall.H_PUT_TERM_CHAR, new long[1]);
        hcalls.handle(h);
        assertEquals(Hcall.H_PARAMETER, h.ret()[0]);
    }
}
