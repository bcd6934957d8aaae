package jvisor.vmm;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class Uart16550Test {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    Uart16550 uart = new Uart16550(new Console(new PrintStream(out), new ByteArrayInputStream("ab".getBytes())));

    int read(int reg) {
        byte[] d = new byte[1];
        uart.read(reg, d, 1);
        return d[0] & 0xFF;
    }

    void write(int reg, int v) {
        uart.write(reg, new byte[] {(byte) v}, 1);
    }

    @Test
    void theTransmitterIsAlwaysEmptySoPollingNeverWaits() {
        assertEquals(0x60, read(Uart16550.LSR) & 0x60);
        write(Uart16550.RBR_THR, 'Z');
        assertEquals(0x60, read(Uart16550.LSR) & 0x60);
        assertEquals("Z", out.toString());
    }

    @Test
    void receivedBytesRaiseDataReadyUntilRead() {
        assertEquals(1, read(Uart16550.LSR) & 1);
        assertEquals('a', read(Uart16550.RBR_THR));
        assertEquals('b', read(Uart16550.RBR_THR));
        assertEquals(0, read(Uart16550.LSR) & 1);
    }

    @Test
    void theDivisorLatchHidesBehindDlab() {
        write(Uart16550.LCR, 0x83);
        write(Uart16550.RBR_THR, 0x01);
        write(Uart16550.IER, 0x00);
        assertEquals(0x01, read(Uart16550.RBR_THR));
        write(Uart16550.LCR, 0x03);
        assertEquals("", out.toString(), "a divisor write is not a character");
        assertEquals(0x03, read(Uart16550.LCR));
        assertEquals(0, read(Uart16550.IER));
    }

    @Test
    void loopbackReturnsTransmittedBytesAndMirrorsModemControl() {
        write(Uart16550.MCR, 0x10 | 0x03);
        write(Uart16550.RBR_THR, 'q');
        assertEquals("", out.toString());
        assertEquals('q', read(Uart16550.RBR_THR));
        assertEquals(0x30, read(Uart16550.MSR) & 0xF0, "RTS->CTS, DTR->DSR");
    }

    @Test
    void interruptIdentificationFollowsIer() {
        assertEquals(0x01, read(Uart16550.IIR_FCR), "nothing pending while interrupts are off");
        write(Uart16550.IER, Uart16550.IER_RDA);
        assertEquals(0x04, read(Uart16550.IIR_FCR), "received data");
        read(Uart16550.RBR_THR);
        read(Uart16550.RBR_THR);
        write(Uart16550.IER, Uart16550.IER_RDA | Uart16550.IER_THRE);
        assertEquals(0x02, read(Uart16550.IIR_FCR), "transmitter empty");
        assertEquals(0x01, read(Uart16550.IIR_FCR), "reading IIR acknowledged it");
        write(Uart16550.IIR_FCR, 0x01);
        assertEquals(0xC1, read(Uart16550.IIR_FCR), "FIFOs enabled");
    }

    @Test
    void scratchHoldsAByteAndWideAccessesAreSplitIntoConsecutiveRegisters() {
        write(Uart16550.SCR, 0x5A);
        assertEquals(0x5A, read(Uart16550.SCR));
        write(Uart16550.LCR, Uart16550.LCR_DLAB);
        // With DLAB set, offsets 0..3 are DLL, DLM, FCR (write) / IIR (read), LCR.
        uart.write(0, new byte[] {0x12, 0x34, 0x00, (byte) 0x80}, 4);
        byte[] d = new byte[4];
        uart.read(0, d, 4);
        assertArrayEquals(new byte[] {0x12, 0x34, 0x01, (byte) 0x80}, d, "DLL, DLM, IIR (no interrupt), LCR");
        byte[] h = new byte[2];
        uart.read(6, h, 2);
        assertArrayEquals(new byte[] {(byte) 0xB0, 0x5A}, h, "MSR then SCR");
        write(Uart16550.LCR, 0x03);
        uart.write(0, new byte[] {'x', 'y'}, 2);
        assertEquals("x", out.toString(), "THR takes the first byte; the second goes to IER");
        assertEquals('y' & 0x0F, read(Uart16550.IER));
        assertEquals(4, uart.wideAccesses());
    }
}
