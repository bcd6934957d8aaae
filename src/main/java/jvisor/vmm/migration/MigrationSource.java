package jvisor.vmm.migration;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import jvisor.vmm.PseriesMachine;

/**
 * The source side of a migration or a snapshot, on a thread of its own beside the running
 * machine (QEMU's migration thread). Over TCP it is pre-copy: the first pass over RAM and then
 * rounds of the pages the dirty log names while the vCPUs run, until what is left could be sent
 * within {@link #MAX_DOWNTIME_MILLIS} at the bandwidth measured so far (or after
 * {@link #MAX_ROUNDS} rounds); then the vCPUs stop, the last dirty pages and every device's and
 * vCPU's state follow, and once the destination has checked the whole stream and said so the
 * machine here ends with status 0. If anything fails before that answer — the destination
 * refuses, disconnects or never answers — the vCPUs go on here, with one line saying why.
 *
 * <p>A snapshot ({@code file:PATH}) stops the vCPUs first and writes everything in one pass: a
 * file has no guest running on the other side to wait for. It is written beside its final name
 * and renamed once complete.
 */
public final class MigrationSource {
    static final int MAX_ROUNDS = 30;
    static final long MAX_DOWNTIME_MILLIS = 100;
    /** Dirty pages below which the vCPUs stop whatever the bandwidth (256 KiB). */
    static final long MIN_STOP_PAGES = 64;
    static final int CONNECT_MILLIS = 10_000, ANSWER_MILLIS = 60_000, PAUSE_MILLIS = 10_000;

    private final PseriesMachine machine;
    private final MigrationEndpoint to;
    private final byte[] embeddedKernel;
    private final PrintStream log;
    private final Semaphore requests = new Semaphore(0);
    /** A migration (or snapshot) was begun; whether it worked, its own line says. */
    private volatile boolean attempted;

    private MigrationSource(PseriesMachine machine, MigrationEndpoint to, byte[] embeddedKernel, PrintStream log) {
        this.machine = machine;
        this.to = to;
        this.embeddedKernel = embeddedKernel;
        this.log = log;
    }

    /**
     * Starts the migration thread: it migrates {@code afterMillis} after now (never by itself if
     * negative) or when {@link #request()} asks, whichever comes first, and again on each later
     * request if an attempt failed. Call after {@link PseriesMachine#enableDirtyLog()}.
     *
     * @param embeddedKernel the kernel's bytes when it came from no file (the demo guest), else null
     */
    public static MigrationSource start(PseriesMachine machine, String to, long afterMillis, byte[] embeddedKernel,
                                        PrintStream log) {
        MigrationSource s = new MigrationSource(machine, MigrationEndpoint.parse(to), embeddedKernel, log);
        Thread t = new Thread(() -> s.loop(afterMillis), "jvisor-migration");
        t.setDaemon(true);
        t.start();
        return s;
    }

    /** Checks the text of {@code --migrate-to}; {@link IllegalArgumentException} with a one-line reason. */
    public static void checkEndpoint(String to) {
        MigrationEndpoint e = MigrationEndpoint.parse(to);
        if (e instanceof MigrationEndpoint.Tcp t && t.port() == 0) throw new IllegalArgumentException("tcp:HOST:PORT needs a port");
    }

    /** Asks for a migration now (the console's Ctrl-A m). */
    public void request() {
        requests.release();
    }

    /** Whether a migration was begun at all: false when the guest ended here before its time came. */
    public boolean attempted() {
        return attempted;
    }

    private void loop(long afterMillis) {
        try {
            boolean first = true;
            while (!machine.isStopping()) {
                if (first && afterMillis >= 0) requests.tryAcquire(afterMillis, TimeUnit.MILLISECONDS);
                else requests.acquire();
                first = false;
                requests.drainPermits();
                if (machine.isStopping() || migrate()) return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            // Never a trace: one line, and the guest runs on (migrate() resumed it).
            log.println("jvisor: migration to " + to + " failed: " + jvisor.vmm.HostFailure.oneLine(t));
        }
    }

    /** One attempt; true when the machine moved (it is then stopping here). */
    private boolean migrate() {
        attempted = true;
        MigrationStats st = new MigrationStats();
        st.startNanos = System.nanoTime();
        boolean[] paused = {false};
        try {
            if (to instanceof MigrationEndpoint.File f) {
                snapshot(f.path(), st, paused);
                st.endNanos = System.nanoTime();
                log.println("jvisor: snapshot saved to " + f.path() + ": " + st.line());
                machine.shutdown("snapshot saved", 0);
            } else {
                MigrationEndpoint.Tcp t = (MigrationEndpoint.Tcp) to;
                try (Socket s = new Socket()) {
                    s.setTcpNoDelay(true);
                    s.connect(new InetSocketAddress(t.host().isEmpty() ? "127.0.0.1" : t.host(), t.port()), CONNECT_MILLIS);
                    StreamWriter w = new StreamWriter(s.getOutputStream());
                    precopy(w, st, paused);
                    s.setSoTimeout(ANSWER_MILLIS);
                    awaitAnswer(s.getInputStream());
                }
                st.endNanos = System.nanoTime();
                log.println("jvisor: migrated to " + to + ": " + st.line());
                machine.shutdown("migrated", 0);
            }
            return true;
        } catch (Abandoned a) {
            if (paused[0]) machine.resumeVcpus();
            return true; // the machine stopped by itself meanwhile: nothing to do
        } catch (Throwable e) {
            // Whatever went wrong here (the network, the file, the host itself), the guest is
            // still whole on this side: it runs on.
            if (paused[0]) machine.resumeVcpus();
            log.println("jvisor: migration to " + to + " failed (" + reason(e) + "); the guest runs on here");
            return false;
        }
    }

    /** The machine stopped by itself (powered off, failed) while the migration ran. */
    private static final class Abandoned extends Exception {}

    private void pause(MigrationStats st, boolean[] paused) throws InterruptedException, Abandoned, IOException {
        if (!machine.pauseVcpus(PAUSE_MILLIS)) {
            if (machine.isStopping()) throw new Abandoned();
            throw new IOException("the vCPUs did not stop within " + PAUSE_MILLIS + " ms");
        }
        paused[0] = true;
        st.pausedNanos = System.nanoTime();
    }

    private void header(StreamWriter w) throws IOException {
        w.header();
        MachineDescription.of(machine.config(), embeddedKernel).write(w.begin());
        w.finish(Section.MACHINE);
    }

    private void precopy(StreamWriter w, MigrationStats st, boolean[] paused) throws IOException, InterruptedException, Abandoned {
        RamSender ram = new RamSender(machine);
        header(w);
        long t = System.nanoTime(), b = w.bytes();
        ram.harvest(); // from here on every write is in the log
        st.pagesPerRound.add(ram.fullPass(w));
        w.flush();
        double bytesPerMs = rate(w.bytes() - b, System.nanoTime() - t);
        long[] pending;
        while (true) {
            if (machine.isStopping()) throw new Abandoned();
            pending = ram.harvest();
            long dirty = RamSender.count(pending);
            long affordable = Math.max(MIN_STOP_PAGES, (long) (bytesPerMs * MAX_DOWNTIME_MILLIS / (StreamFormat.PAGE + 8)));
            if (dirty <= affordable || st.pagesPerRound.size() >= MAX_ROUNDS) break;
            t = System.nanoTime();
            b = w.bytes();
            st.pagesPerRound.add(ram.sendDirty(w, pending));
            w.flush();
            bytesPerMs = rate(w.bytes() - b, System.nanoTime() - t);
        }
        pause(st, paused);
        long[] last = ram.harvest();
        for (int i = 0; i < last.length; i++) last[i] |= pending[i];
        st.pagesPerRound.add(ram.sendDirty(w, last));
        finish(w, ram, st);
    }

    private void snapshot(Path path, MigrationStats st, boolean[] paused) throws IOException, InterruptedException, Abandoned {
        Path tmp = path.resolveSibling(path.getFileName() + ".part");
        pause(st, paused);
        try (OutputStream out = Files.newOutputStream(tmp)) {
            StreamWriter w = new StreamWriter(out);
            RamSender ram = new RamSender(machine);
            header(w);
            ram.harvest();
            st.pagesPerRound.add(ram.fullPass(w));
            finish(w, ram, st);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void finish(StreamWriter w, RamSender ram, MigrationStats st) throws IOException {
        MachineSections.save(machine, w);
        long pages = 0;
        for (long p : st.pagesPerRound) pages += p;
        var end = w.begin();
        end.writeInt(w.sections());
        end.writeLong(pages);
        w.finish(Section.END);
        w.flush();
        st.bytes = w.bytes();
        st.harvests = ram.harvests();
        st.harvestNanos = ram.harvestNanos();
        st.ramPages = ram.pages();
    }

    private static void awaitAnswer(InputStream in) throws IOException {
        int answer;
        try {
            answer = in.read();
        } catch (SocketTimeoutException e) {
            throw new IOException("the destination did not answer within " + ANSWER_MILLIS / 1000 + " s");
        }
        if (answer < 0) throw new IOException("the destination closed the connection without accepting the stream");
        if (answer != StreamFormat.ACCEPTED) throw new IOException("the destination answered " + answer + ", not that it accepted");
    }

    private static double rate(long bytes, long nanos) {
        return bytes / Math.max(1e-3, nanos / 1e6);
    }

    private static String reason(Throwable e) {
        if (!(e instanceof IOException)) return jvisor.vmm.HostFailure.oneLine(e);
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.replace('\n', ' ');
    }
}
