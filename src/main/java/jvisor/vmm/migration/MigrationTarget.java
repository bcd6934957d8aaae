package jvisor.vmm.migration;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import jvisor.vmm.PseriesMachine;

/**
 * The destination side (QEMU's {@code -incoming}): takes one stream — from the first source that
 * connects, or from a snapshot file — checks every section as it comes, writes RAM and rebuilds
 * the devices and vCPUs of a machine that was created with the same options and has not run,
 * and, over TCP, tells the source once the whole stream was good. The machine then runs on from
 * where the guest stood. Anything wrong is a {@link StreamException} with one line; the machine
 * must then not run.
 */
public final class MigrationTarget {
    private MigrationTarget() {}

    /** Checks the text of {@code --incoming}; {@link IllegalArgumentException} with a one-line reason. */
    public static void checkEndpoint(String from) {
        MigrationEndpoint.parse(from);
    }

    /**
     * Receives the stream named by {@code from} into {@code machine} (loaded, not yet run).
     *
     * @param embeddedKernel the kernel's bytes when it came from no file (the demo guest), else null
     */
    public static void receive(PseriesMachine machine, String from, byte[] embeddedKernel, PrintStream log)
            throws StreamException, IOException {
        MigrationEndpoint e = MigrationEndpoint.parse(from);
        MachineDescription here = MachineDescription.of(machine.config(), embeddedKernel);
        if (e instanceof MigrationEndpoint.File f) {
            InputStream in;
            try {
                in = Files.newInputStream(f.path());
            } catch (IOException ex) {
                throw StreamException.mismatch("cannot read the snapshot " + f.path() + ": " + ex.getMessage());
            }
            try (in) {
                read(machine, here, in);
            }
            return;
        }
        MigrationEndpoint.Tcp t = (MigrationEndpoint.Tcp) e;
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(t.host().isEmpty() ? new InetSocketAddress(t.port()) : new InetSocketAddress(t.host(), t.port()));
            log.printf("jvisor: waiting for the migration stream on tcp:%s:%d%n", t.host(), server.getLocalPort());
            log.flush();
            try (Socket s = server.accept()) {
                read(machine, here, s.getInputStream());
                s.getOutputStream().write(StreamFormat.ACCEPTED);
                s.getOutputStream().flush();
            }
        }
    }

    private static void read(PseriesMachine machine, MachineDescription here, InputStream in) throws StreamException, IOException {
        try {
            readChecked(machine, here, in);
        } catch (RuntimeException e) {
            // The stream is the source's (or anyone's who can connect): whatever it makes fail
            // here is a refused stream, said in one line, never a trace.
            throw StreamException.damaged("the stream cannot be restored: " + jvisor.vmm.HostFailure.oneLine(e));
        }
    }

    private static void readChecked(PseriesMachine machine, MachineDescription here, InputStream in)
            throws StreamException, IOException {
        StreamReader r = new StreamReader(in);
        r.header();
        StreamReader.Read first = r.next();
        if (first.type() != Section.MACHINE) throw StreamException.damaged("the stream does not begin with the machine's description");
        MachineDescription there;
        try {
            there = MachineDescription.read(first.data());
        } catch (IOException ex) {
            throw StreamException.damaged("the machine description cannot be read");
        }
        String why = here.mismatch(there);
        if (why != null) throw StreamException.mismatch(why);
        RamReceiver ram = new RamReceiver(machine);
        MachineSections.Restorer state = new MachineSections.Restorer(machine);
        while (true) {
            StreamReader.Read s = r.next();
            switch (s.type()) {
                case MACHINE -> throw StreamException.damaged("the stream describes its machine twice");
                case RAM -> ram.pages(s.payload());
                case FULL_PASS_END -> ram.firstPassEnd();
                case END -> {
                    end(s, r, ram, state);
                    machine.markRestored();
                    return;
                }
                default -> {
                    if (!ram.firstPassDone()) throw StreamException.damaged("the stream's " + s.type() + " section comes before its RAM");
                    state.apply(s);
                }
            }
        }
    }

    private static void end(StreamReader.Read s, StreamReader r, RamReceiver ram, MachineSections.Restorer state)
            throws StreamException {
        int sections;
        long pages;
        try (DataInputStream in = s.data()) {
            sections = in.readInt();
            pages = in.readLong();
        } catch (IOException ex) {
            throw StreamException.damaged("the END section cannot be read");
        }
        // The reader counted END itself.
        if (sections != r.sections() - 1) {
            throw StreamException.damaged("the stream has " + (r.sections() - 1) + " sections before its end, its source wrote " + sections);
        }
        if (pages != ram.received()) {
            throw StreamException.damaged("the stream carried " + ram.received() + " RAM pages, its source sent " + pages);
        }
        String missing = state.missing();
        if (missing != null) throw StreamException.damaged(missing);
        if (!ram.firstPassDone()) throw StreamException.damaged("the stream never completes its first pass over RAM");
    }
}
