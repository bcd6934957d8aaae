package jvisor.vmm;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import jvisor.kvm.CoalescedMmioRing;
import jvisor.kvm.RunExit;
import org.junit.jupiter.api.Test;

class MmioBusTest {

    /** Records accesses; a load answers with the offset in every byte. */
    static final class Recorder implements MmioDevice {
        final List<String> log = new ArrayList<>();

        @Override
        public synchronized void read(long offset, byte[] data, int length) {
            log.add("r " + offset + " " + length);
            for (int i = 0; i < length; i++) data[i] = (byte) offset;
        }

        @Override
        public synchronized void write(long offset, byte[] data, int length) {
            log.add("w " + offset + " " + length + " " + data[0]);
        }
    }

    final MmioBus bus = new MmioBus();
    final Recorder a = new Recorder(), b = new Recorder();

    MmioBusTest() {
        bus.register("a", 0x1000, 0x100, a);
        bus.register("b", 0x2000, 0x10, b);
    }

    @Test
    void accessesReachTheDeviceAtTheirOffset() {
        byte[] d = new byte[4];
        assertEquals(MmioResult.HANDLED, bus.handle(new RunExit.Mmio(0x1010, 4, false, d)));
        assertArrayEquals(new byte[] {0x10, 0x10, 0x10, 0x10}, d);
        assertEquals(MmioResult.HANDLED, bus.handle(new RunExit.Mmio(0x200F, 1, true, new byte[] {7})));
        assertEquals(List.of("r 16 4"), a.log);
        assertEquals(List.of("w 15 1 7"), b.log);
    }

    @Test
    void aLoadWithNoDeviceReadsAllOnesAndIsReported() {
        byte[] d = new byte[8];
        MmioResult r = bus.handle(new RunExit.Mmio(0x3000, 8, false, d));
        assertEquals(new MmioResult.NoDevice(0x3000, 8, false), r);
        for (byte x : d) assertEquals((byte) 0xFF, x);
        assertEquals(new MmioResult.NoDevice(0x0, 1, true), bus.handle(new RunExit.Mmio(0, 1, true, new byte[1])));
        assertEquals(2, bus.unclaimedAccesses());
    }

    @Test
    void accessesStraddlingADeviceEndOrWithOddLengthsBelongToNoDevice() {
        assertInstanceOf(MmioResult.NoDevice.class, bus.read(0x20FC + 0x0, new byte[8], 8));
        assertInstanceOf(MmioResult.NoDevice.class, bus.read(0x200C, new byte[8], 8));
        assertInstanceOf(MmioResult.NoDevice.class, bus.read(0x1000, new byte[3], 3));
        assertInstanceOf(MmioResult.NoDevice.class, bus.read(0x1000, new byte[2], 4));
        assertInstanceOf(MmioResult.NoDevice.class, bus.read(0x1000, null, 4));
        assertInstanceOf(MmioResult.NoDevice.class, bus.read(-8, new byte[8], 8));
        assertInstanceOf(MmioResult.NoDevice.class, bus.read(Long.MAX_VALUE, new byte[8], 8));
        assertTrue(a.log.isEmpty() && b.log.isEmpty());
    }

    @Test
    void overlappingRegistrationsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> bus.register("c", 0x10F0, 0x20, new Recorder()));
        assertThrows(IllegalArgumentException.class, () -> bus.register("c", 0x0, 0x1001, new Recorder()));
        assertThrows(IllegalArgumentException.class, () -> bus.register("c", Long.MAX_VALUE, 2, new Recorder()));
        bus.register("c", 0x1100, 0x100, new Recorder());
        assertEquals(3, bus.regions().size());
    }

    @Test
    void drainingTheRingDeliversCoalescedWritesInOrder() {
        CoalescedMmioRing ring = new CoalescedMmioRing();
        ring.register(new CoalescedMmioRing.Zone(0x1000, 0x100));
        for (int i = 0; i < 5; i++) assertTrue(ring.tryAppend(0x1000 + i, new byte[] {(byte) i}, 1));
        assertTrue(a.log.isEmpty());
        assertEquals(5, bus.drain(ring));
        assertEquals(List.of("w 0 1 0", "w 1 1 1", "w 2 1 2", "w 3 1 3", "w 4 1 4"), a.log);
        assertEquals(0, bus.drain(ring));
    }

    @Test
    void theUartOnTheBusPrintsOnTheConsole() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MmioBus machine = new MmioBus();
        machine.register("uart", MachineLayout.UART_BASE, MachineLayout.UART_SIZE,
                new Uart16550(Console.outputOnly(new PrintStream(out))));
        for (byte c : "hi\n".getBytes()) {
            byte[] lsr = new byte[1];
            assertEquals(MmioResult.HANDLED, machine.handle(new RunExit.Mmio(MachineLayout.UART_BASE + 5, 1, false, lsr)));
            assertEquals(0x20, lsr[0] & 0x20, "THRE");
            machine.handle(new RunExit.Mmio(MachineLayout.UART_BASE, 1, true, new byte[] {c}));
        }
        assertEquals("hi\n", out.toString());
        assertInstanceOf(MmioResult.NoDevice.class,
                machine.handle(new RunExit.Mmio(MachineLayout.UART_BASE + 8, 1, false, new byte[1])));
    }
}
