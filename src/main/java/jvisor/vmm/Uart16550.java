package jvisor.vmm;

import java.util.ArrayDeque;

/**
 * A 16550-compatible UART: eight byte-wide registers, transmitting to the {@link Console} and
 * receiving from it. Transmission is instant, so the transmitter is always empty (LSR THRE and
 * TEMT set) and a polling driver never waits. The divisor latch, FIFO control, line and modem
 * control and scratch registers hold what the guest writes; modem status reports carrier, data
 * set ready and clear to send, or the MCR outputs in loopback mode, where transmitted bytes come
 * back as received ones. Interrupt identification follows IER, but no interrupt line is wired.
 *
 * <p>The registers are byte registers. A wider access (2, 4 or 8 bytes; the bus keeps it inside
 * the eight registers) is split into byte accesses to consecutive registers in address order, byte
 * {@code i} of the data going to or coming from register {@code offset + i}, with each register's
 * side effects — what a bus does for a device that implements only byte accesses (QEMU's memory
 * core splits them the same way). The vCPU puts the bytes together in the guest's byte order, so
 * a guest can see every access size and both byte orders on this device. Wider accesses are
 * counted in {@link #wideAccesses()}.
 */
public final class Uart16550 implements MmioDevice {
    static final int RBR_THR = 0, IER = 1, IIR_FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7;
    static final int LSR_DR = 0x01, LSR_THRE = 0x20, LSR_TEMT = 0x40;
    static final int LCR_DLAB = 0x80;
    static final int MCR_LOOP = 0x10;
    static final int IER_RDA = 0x01, IER_THRE = 0x02;
    static final int IIR_NONE = 0x01, IIR_THRE = 0x02, IIR_RDA = 0x04, IIR_FIFO = 0xC0;
    static final int FIFO_SIZE = 16;

    private final Console console;
    // Package access: UartState saves and restores them.
    final ArrayDeque<Byte> rx = new ArrayDeque<>();
    int ier, lcr, mcr, scr, dll = 12, dlm, fcr;
    /** A THRE interrupt is owed: set when the transmitter empties with IER[THRE], cleared by reading IIR. */
    private boolean threPending;
    private long wideAccesses;

    public Uart16550(Console console) {
        this.console = console;
    }

    @Override
    public synchronized void read(long offset, byte[] data, int length) {
        if (length != 1) wideAccesses++;
        for (int i = 0; i < length; i++) data[i] = (byte) readRegister((int) offset + i);
    }

    @Override
    public synchronized void write(long offset, byte[] data, int length) {
        if (length != 1) wideAccesses++;
        for (int i = 0; i < length; i++) writeRegister((int) offset + i, data[i] & 0xFF);
    }

    public synchronized long wideAccesses() {
        return wideAccesses;
    }

    private boolean dlab() {
        return (lcr & LCR_DLAB) != 0;
    }

    private int readRegister(int reg) {
        switch (reg) {
            case RBR_THR:
                if (dlab()) return dll;
                fill();
                return rx.isEmpty() ? 0 : rx.poll() & 0xFF;
            case IER:
                return dlab() ? dlm : ier;
            case IIR_FCR: {
                int fifo = (fcr & 1) != 0 ? IIR_FIFO : 0;
                fill();
                if ((ier & IER_RDA) != 0 && !rx.isEmpty()) return fifo | IIR_RDA;
                if ((ier & IER_THRE) != 0 && threPending) {
                    threPending = false;
                    return fifo | IIR_THRE;
                }
                return fifo | IIR_NONE;
            }
            case LCR:
                return lcr;
            case MCR:
                return mcr;
            case LSR:
                fill();
                return LSR_THRE | LSR_TEMT | (rx.isEmpty() ? 0 : LSR_DR);
            case MSR:
                if ((mcr & MCR_LOOP) != 0) {
                    // Loopback: RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD.
                    return ((mcr & 0x02) << 3) | ((mcr & 0x01) << 5) | ((mcr & 0x04) << 4) | ((mcr & 0x08) << 4);
                }
                return 0xB0;
            case SCR:
                return scr;
            default:
                return 0xFF;
        }
    }

    private void writeRegister(int reg, int v) {
        switch (reg) {
            case RBR_THR -> {
                if (dlab()) {
                    dll = v;
                } else {
                    if ((mcr & MCR_LOOP) != 0) {
                        if (rx.size() < FIFO_SIZE) rx.add((byte) v);
                    } else {
                        console.write(v);
                    }
                    threPending = (ier & IER_THRE) != 0;
                }
            }
            case IER -> {
                if (dlab()) {
                    dlm = v;
                } else {
                    // Enabling the THRE interrupt with an empty transmitter raises it at once.
                    if ((v & IER_THRE) != 0 && (ier & IER_THRE) == 0) threPending = true;
                    ier = v & 0x0F;
                }
            }
            case IIR_FCR -> {
                fcr = v & 0xC9;
                if ((v & 0x02) != 0) rx.clear();
            }
            case LCR -> lcr = v;
            case MCR -> mcr = v & 0x1F;
            case SCR -> scr = v;
            default -> { } // LSR and MSR are read-only
        }
    }

    /** Moves console input into the receive FIFO, without waiting (not in loopback). */
    private void fill() {
        if ((mcr & MCR_LOOP) != 0 || rx.size() >= FIFO_SIZE) return;
        byte[] b = new byte[FIFO_SIZE - rx.size()];
        int n = console.poll(b, b.length);
        for (int i = 0; i < n; i++) rx.add(b[i]);
    }
}
