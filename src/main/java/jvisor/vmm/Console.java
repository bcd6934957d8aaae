package jvisor.vmm;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * The machine's one console, shared by the hypervisor terminal (H_PUT_TERM_CHAR /
 * H_GET_TERM_CHAR), RTAS display-character and the 16550 UART, so that output from all three
 * lands in order on the same stream. Output is flushed at every write: the guest decides when
 * a line is complete, and a guest that dies must not take its last words with it.
 *
 * <p>Input never blocks a vCPU: {@link #poll} returns only bytes the stream already has
 * ({@link InputStream#available()}), so a guest polling an idle terminal sees "nothing yet"
 * and keeps running. A stream that fails is treated as closed.
 */
public final class Console {
    private final PrintStream out;
    private final InputStream in;
    private boolean inputClosed;
    private long bytesWritten;
    private ConsoleEscape escape;

    public Console(PrintStream out, InputStream in) {
        this.out = out;
        this.in = in;
        this.inputClosed = in == null;
    }

    /** A console that writes to {@code out} and never has input. */
    public static Console outputOnly(PrintStream out) {
        return new Console(out, null);
    }

    public synchronized void write(byte[] bytes, int offset, int length) {
        out.write(bytes, offset, length);
        out.flush();
        bytesWritten += length;
    }

    public synchronized void write(int b) {
        out.write(b);
        out.flush();
        bytesWritten++;
    }

    /** Interprets the escape key (Ctrl-A) in the input from now on. */
    public synchronized void enableEscape(ConsoleEscape e) {
        escape = e;
    }

    /** Most typed bytes held for a guest that does not read them; the reader waits beyond that. */
    static final int TYPED_AHEAD = 4096;
    private final byte[] typed = new byte[TYPED_AHEAD];
    private int typedHead, typedCount;
    private Thread pump;

    private Runnable inputArrived = () -> {};

    /**
     * A thread reads the input as it comes, acts on the escape keys at once when {@code e} is given
     * (a person at a terminal: the guest may not be reading, a kernel still booting, a guest that
     * hung), keeps the rest for {@link #poll}, up to {@link #TYPED_AHEAD} bytes, and calls
     * {@code arrived} when input comes to an empty buffer (the vty's interrupt).
     */
    public synchronized void startInputPump(ConsoleEscape e, Runnable arrived) {
        if (pump != null || inputClosed) return;
        escape = e;
        inputArrived = arrived;
        pump = Thread.ofPlatform().daemon().name("jvisor-console-input").start(this::pumpInput);
    }

    private void pumpInput() {
        byte[] buf = new byte[256];
        try {
            while (true) {
                int n = in.read(buf);
                if (n < 0) break;
                boolean wasEmpty;
                synchronized (this) {
                    if (escape != null) n = escape.filter(buf, n);
                    wasEmpty = typedCount == 0;
                    for (int i = 0; i < n; i++) {
                        while (typedCount == TYPED_AHEAD) wait();
                        typed[(typedHead + typedCount++) % TYPED_AHEAD] = buf[i];
                    }
                }
                // Outside the lock: the interrupt goes through the source controller and a vCPU.
                if (wasEmpty && n > 0) inputArrived.run();
            }
        } catch (IOException | InterruptedException ex) {
            // the terminal went away or the machine is ending: no more input
        }
    }

    /** Typed bytes the guest has not read yet (the vty's pending input), oldest first. */
    synchronized byte[] pendingInput() {
        byte[] b = new byte[typedCount];
        for (int i = 0; i < typedCount; i++) b[i] = typed[(typedHead + i) % TYPED_AHEAD];
        return b;
    }

    /**
     * Puts bytes typed on another machine (a migrated vty's pending input) before anything typed
     * here; what does not fit in {@link #TYPED_AHEAD} is dropped, as a full terminal would.
     */
    synchronized void restorePendingInput(byte[] bytes) {
        int n = Math.min(bytes.length, TYPED_AHEAD - typedCount);
        typedHead = (typedHead - n + TYPED_AHEAD) % TYPED_AHEAD;
        for (int i = 0; i < n; i++) typed[(typedHead + i) % TYPED_AHEAD] = bytes[i];
        typedCount += n;
    }

    /** Bytes written so far (for statistics). */
    public synchronized long bytesWritten() {
        return bytesWritten;
    }

    /** Reads at most {@code max} bytes that are already available; 0 when there are none. */
    public synchronized int poll(byte[] dst, int max) {
        // Typed bytes are served first: the pump's, or those a migration brought along.
        if (pump != null || typedCount > 0) {
            int n = Math.min(max, typedCount);
            for (int i = 0; i < n; i++) dst[i] = typed[(typedHead + i) % TYPED_AHEAD];
            typedHead = (typedHead + n) % TYPED_AHEAD;
            typedCount -= n;
            if (n > 0) notifyAll();
            return n;
        }
        if (inputClosed || max <= 0) return 0;
        try {
            int n = Math.min(max, in.available());
            if (n <= 0) return 0;
            int got = in.read(dst, 0, n);
            if (got < 0) {
                inputClosed = true;
                return 0;
            }
            return escape == null ? got : escape.filter(dst, got);
        } catch (IOException e) {
            inputClosed = true;
            return 0;
        }
    }
}
