package jvisor.vmm.gdb;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import jvisor.kvm.power.PowerVmState;
import jvisor.vmm.LoadedImage;
import jvisor.vmm.PseriesMachine;

/**
 * The gdb stub of a machine (QEMU's {@code -gdb tcp::PORT}, {@code -s}, {@code -S}): listens on
 * 127.0.0.1 only, serves one gdb at a time (a second connection is closed at once), and attaches
 * all-stop run control to the machine's run loop. With {@code waitForGdb} the vCPUs are held
 * before their first instruction until a gdb lets them go.
 */
public final class GdbServer implements AutoCloseable {
    private final ServerSocket listener;
    private final AllStop allStop;
    private final DebugMemory memory;
    private final PseriesMachine machine;
    private final boolean bigEndian;
    private final Thread acceptor;
    private GdbSession session;
    private Thread sessionThread;
    private boolean closed;

    private GdbServer(PseriesMachine machine, ServerSocket listener, boolean waitForGdb) {
        this.machine = machine;
        this.listener = listener;
        LoadedImage image = machine.image();
        // The kernel's byte order is the one gdb reads it in (from its ELF); the CPU itself starts
        // big-endian and a little-endian kernel switches over within its first instructions.
        this.bigEndian = image == null || image.bigEndian();
        this.allStop = new AllStop(machine.vcpus(), PowerVmState.of(machine.vm()).time(), waitForGdb);
        this.memory = new DebugMemory(machine.vm().guestMemory());
        machine.attachDebugger(allStop);
        this.acceptor = new Thread(this::acceptLoop, "gdb-listener");
        acceptor.setDaemon(true);
    }

    /**
     * Attaches a stub to {@code machine} (loaded, not yet run) listening on 127.0.0.1:{@code port}
     * (0: any free port, see {@link #port()}).
     *
     * @throws IOException if the port cannot be listened on (in use, not allowed)
     */
    public static GdbServer start(PseriesMachine machine, int port, boolean waitForGdb) throws IOException {
        ServerSocket s = new ServerSocket();
        try {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        GdbServer g = new GdbServer(machine, s, waitForGdb);
        g.acceptor.start();
        return g;
    }

    /** The port listened on. */
    public int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (true) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            Thread previous;
            synchronized (this) {
                previous = sessionThread;
            }
            // A gdb that just went away may still be winding down (letting the guest go): it
            // gets a moment before the newcomer is taken for a second client.
            if (previous != null) {
                try {
                    previous.join(1000);
                } catch (InterruptedException e) {
                    closeQuietly(s);
                    return;
                }
            }
            synchronized (this) {
                if (closed || (sessionThread != null && sessionThread.isAlive())) {
                    closeQuietly(s); // one gdb at a time
                    continue;
                }
                try {
                    s.setTcpNoDelay(true);
                    session = new GdbSession(s, allStop, memory, bigEndian, machine);
                } catch (IOException e) {
                    closeQuietly(s);
                    continue;
                }
                sessionThread = new Thread(session, "gdb-session");
                sessionThread.setDaemon(true);
                sessionThread.start();
            }
        }
    }

    /**
     * The machine ended with {@code status}: a connected gdb is told the guest exited, and the
     * stub closes. Waits a little for that to reach gdb, so that it is sent before jvisor exits.
     */
    public void machineEnded(int status) {
        GdbSession s;
        Thread t;
        synchronized (this) {
            closed = true;
            s = session;
            t = sessionThread;
        }
        closeQuietly(listener);
        if (s != null && t != null && t.isAlive()) {
            s.machineEnded(status);
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        machineEnded(0);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
