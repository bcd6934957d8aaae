package jvisor.vmm.gdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import jvisor.hw.power.cpu.DebugPoints;
import jvisor.kvm.RunExit;
import jvisor.kvm.power.PowerVcpu;
import jvisor.vmm.ShutdownListener;

/**
 * One gdb connection: the packets gdb sends while the machine stands still, answered one by one;
 * the resume packets that let it go; the stop reply when it stands still again (a vCPU's
 * breakpoint, watchpoint or step, or gdb's interrupt byte); and the end (detach, kill, the
 * connection closed, or the guest's own power-off, reported as gdb's "exited").
 *
 * <p>Two threads: a reader that decodes the socket's bytes, acknowledges packets and queues what
 * arrived, and the session's own, which takes from that queue (and from the vCPUs' stops) and
 * does everything else. Threads are numbered from 1 (vCPU id + 1); gdb's 0 means any and -1 all.
 */
final class GdbSession implements Runnable {
    /** The largest packet gdb may send (hex digits), and the memory a read returns at most half of it. */
    static final int PACKET_SIZE = 0x4000;
    private static final String TARGET_XML = PowerRegisters.targetXml();
    private static final int SIGINT = 2, SIGTRAP = 5;
    /** Bounds on what a client can make the host keep: breakpoints, watchpoints, packets sent out of turn. */
    static final int MAX_POINTS = 1024, MAX_DEFERRED = 64;

    private sealed interface Event {
        record Packet(String payload) implements Event {}

        record Interrupt() implements Event {}

        record Closed() implements Event {}

        record Stopped(AllStop.Stop stop) implements Event {}

        record MachineEnded(int status) implements Event {}
    }

    private final Socket socket;
    private final OutputStream out;
    private final AllStop allStop;
    private final DebugMemory memory;
    private final boolean bigEndian;
    private final ShutdownListener machine;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final ArrayDeque<String> deferred = new ArrayDeque<>();

    private volatile boolean ackMode = true;
    private byte[] lastSent;
    private boolean running;
    private boolean ended;
    /** Thread for register and memory packets (Hg) and for the legacy resume packets (Hc): vCPU index or -1 (all). */
    private int gThread, cThread = -1;
    private String lastStop;

    /**
     * @param bigEndian the guest's byte order, in which registers go to gdb
     */
    GdbSession(Socket socket, AllStop allStop, DebugMemory memory, boolean bigEndian, ShutdownListener machine)
            throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.allStop = allStop;
        this.memory = memory;
        this.bigEndian = bigEndian;
        this.machine = machine;
    }

    /** The guest ended (powered off, failed, killed): gdb hears "exited with status". Any thread. */
    void machineEnded(int status) {
        events.add(new Event.MachineEnded(status));
    }

    @Override
    public void run() {
        allStop.setListener(s -> events.add(new Event.Stopped(s)));
        Thread reader = new Thread(this::readLoop, "gdb-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            // gdb expects a stopped target once connected (QEMU stops the machine then too); with
            // -S it stands still already, and this waits until every vCPU thread is held.
            if (!allStop.stopAll()) return;
            lastStop = stopReply(SIGTRAP, 0, "");
            while (!ended) {
                Event e = events.take();
                switch (e) {
                    case Event.Packet p -> {
                        if (running) {
                            // gdb waits for the stop before it sends more; answered after it.
                            if (deferred.size() < MAX_DEFERRED) deferred.add(p.payload());
                        } else {
                            packet(p.payload());
                        }
                    }
                    case Event.Interrupt i -> {
                        if (running && allStop.stopAll()) stopped(stopReply(SIGINT, gThread, ""));
                    }
                    case Event.Stopped s -> {
                        if (running && s.stop().generation() == allStop.generation() && allStop.stopAll()) {
                            gThread = s.stop().vcpu();
                            stopped(stopReply(SIGTRAP, gThread, watchField(s.stop().exit())));
                        }
                    }
                    case Event.MachineEnded m -> {
                        send(String.format("W%02x", m.status() & 0xFF));
                        ended = true;
                    }
                    case Event.Closed c -> ended = true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // However the session ends, the guest is not left held: detached, gone, or a failure
            // here, it runs on (after a kill or the machine's end this changes nothing).
            allStop.setListener(s -> { });
            allStop.releaseAll();
            closeSocket();
        }
    }

    private void stopped(String reply) {
        running = false;
        lastStop = reply;
        send(reply);
        while (!running && !ended && !deferred.isEmpty()) packet(deferred.poll());
    }

    private String stopReply(int signal, int vcpu, String extra) {
        return String.format("T%02x%sthread:%02x;", signal, extra, vcpu + 1);
    }

    private static String watchField(RunExit.Debug d) {
        String kind = switch (d.cause()) {
            case WATCH_WRITE -> "watch";
            case WATCH_READ -> "rwatch";
            case WATCH_ACCESS -> "awatch";
            default -> null;
        };
        return kind == null ? "" : kind + ":" + Long.toHexString(d.address()) + ";";
    }

    // ------------------------------------------------------------------ the wire

    private void readLoop() {
        PacketDecoder decoder = new PacketDecoder();
        try (InputStream in = socket.getInputStream()) {
            int b;
            while ((b = in.read()) >= 0) {
                switch (decoder.feed(b)) {
                    case null -> { }
                    case PacketDecoder.Received.Packet p -> {
                        if (ackMode) write(new byte[] {PacketFraming.ACK});
                        events.add(new Event.Packet(p.payload()));
                    }
                    case PacketDecoder.Received.Corrupt c -> {
                        if (ackMode) write(new byte[] {PacketFraming.NAK});
                    }
                    case PacketDecoder.Received.Nak n -> {
                        if (ackMode) resend();
                    }
                    case PacketDecoder.Received.Ack a -> { }
                    case PacketDecoder.Received.Interrupt i -> events.add(new Event.Interrupt());
                }
            }
        } catch (IOException e) {
            // the connection is gone: as if gdb closed it
        }
        events.add(new Event.Closed());
    }

    private void send(String payload) {
        byte[] f = PacketFraming.frame(payload);
        synchronized (out) {
            lastSent = f;
        }
        write(f);
    }

    private void resend() {
        byte[] f;
        synchronized (out) {
            f = lastSent;
        }
        if (f != null) write(f);
    }

    private void write(byte[] bytes) {
        synchronized (out) {
            try {
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                // gdb went away; the reader sees the end of the stream
            }
        }
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    // ------------------------------------------------------------------ packets

    /** Answers one packet while the machine stands still (a resume packet's answer is the stop reply, later). */
    private void packet(String p) {
        String reply;
        try {
            reply = answer(p);
        } catch (RuntimeException e) {
            // A malformed packet this code did not foresee: an error reply, not a failed host.
            reply = "E03";
        }
        // gdb acknowledges the OK and nothing after it: the reader must not acknowledge its next packet.
        if (p.equals("QStartNoAckMode")) ackMode = false;
        if (reply != null) send(reply);
    }

    private String answer(String p) {
        if (p.isEmpty()) return "";
        return switch (p.charAt(0)) {
            case '?' -> lastStop;
            case 'q', 'Q' -> query(p);
            case 'v' -> vPacket(p);
            case 'H' -> setThread(p);
            case 'T' -> {
                int t = thread(p.substring(1));
                yield t >= 0 ? "OK" : "E01";
            }
            case 'g' -> PacketFraming.hex(PowerRegisters.readAll(gVcpu().core(), bigEndian));
            case 'G' -> {
                byte[] b = PacketFraming.unhex(p.substring(1));
                if (b == null) yield "E01";
                PowerRegisters.writeAll(gVcpu().core(), b, bigEndian);
                yield "OK";
            }
            case 'p' -> {
                Long n = PacketFraming.number(p.substring(1));
                if (n == null || PowerRegisters.size(n.intValue()) == 0 || n > Integer.MAX_VALUE) yield "E01";
                yield PacketFraming.hex(PowerRegisters.read(gVcpu().core(), n.intValue(), bigEndian));
            }
            case 'P' -> setRegister(p);
            case 'm' -> readMemory(p);
            case 'M', 'X' -> writeMemory(p);
            case 'Z', 'z' -> point(p);
            case 'c', 'C' -> resumeLegacy(p, AllStop.Action.RUN);
            case 's', 'S' -> resumeLegacy(p, AllStop.Action.STEP);
            case 'D' -> {
                send("OK");
                ended = true; // the guest is let go as the session ends
                yield null;
            }
            case 'k' -> {
                kill();
                yield null;
            }
            default -> "";
        };
    }

    private void kill() {
        ended = true;
        // As QEMU: the machine ends, and with it jvisor, with status 0.
        machine.shutdown("killed by gdb", 0);
    }

    private String query(String p) {
        if (p.startsWith("qSupported")) {
            return "PacketSize=" + Integer.toHexString(PACKET_SIZE) + ";qXfer:features:read+;QStartNoAckMode+;vContSupported+";
        }
        if (p.equals("QStartNoAckMode")) return "OK";
        if (p.startsWith("qXfer:features:read:")) return features(p.substring("qXfer:features:read:".length()));
        if (p.equals("qC")) return "QC" + Integer.toHexString(gThread + 1);
        if (p.equals("qfThreadInfo")) {
            StringBuilder sb = new StringBuilder("m");
            for (int i = 0; i < allStop.vcpuCount(); i++) sb.append(i == 0 ? "" : ",").append(Integer.toHexString(i + 1));
            return sb.toString();
        }
        if (p.equals("qsThreadInfo")) return "l";
        if (p.startsWith("qThreadExtraInfo,")) {
            int t = thread(p.substring("qThreadExtraInfo,".length()));
            if (t < 0) return "E01";
            PowerVcpu v = allStop.vcpu(t);
            return PacketFraming.hex("vCPU " + v.id() + (v.isStopped() ? ", stopped" : ""));
        }
        if (p.equals("qAttached") || p.startsWith("qAttached:")) return "1";
        if (p.equals("qSymbol::")) return "OK";
        return "";
    }

    /** {@code target.xml:OFFSET,LENGTH}: a piece of the description, 'm' if more follows, 'l' if it is the last. */
    private static String features(String args) {
        int colon = args.lastIndexOf(':');
        if (colon < 0) return "E00";
        if (!args.substring(0, colon).equals("target.xml")) return "E00";
        String[] ol = args.substring(colon + 1).split(",", -1);
        if (ol.length != 2) return "E00";
        Long off = PacketFraming.number(ol[0]), len = PacketFraming.number(ol[1]);
        if (off == null || len == null) return "E00";
        if (off > TARGET_XML.length()) return "E00";
        int from = off.intValue(), to = (int) Math.min(TARGET_XML.length(), from + Math.min(len, PACKET_SIZE / 2));
        return (to < TARGET_XML.length() ? "m" : "l") + TARGET_XML.substring(from, to);
    }

    private String vPacket(String p) {
        if (p.equals("vCont?")) return "vCont;c;C;s;S";
        if (p.startsWith("vCont;")) return vCont(p.substring("vCont;".length()));
        if (p.startsWith("vKill")) {
            send("OK");
            kill();
            return null;
        }
        return "";
    }

    /**
     * {@code action[:thread];...}: each vCPU does the first action that names it or names no
     * thread; a vCPU no action covers stays held. Signals given with C and S are not delivered
     * (a pseries guest has no signals).
     */
    private String vCont(String actions) {
        int n = allStop.vcpuCount();
        AllStop.Action[] todo = new AllStop.Action[n];
        for (String a : actions.split(";", -1)) {
            if (a.isEmpty()) return "E01";
            int colon = a.indexOf(':');
            String verb = colon < 0 ? a : a.substring(0, colon);
            AllStop.Action act = switch (verb.charAt(0)) {
                case 'c', 'C' -> AllStop.Action.RUN;
                case 's', 'S' -> AllStop.Action.STEP;
                default -> null;
            };
            if (act == null) return "E01";
            if (colon < 0) {
                for (int i = 0; i < n; i++) if (todo[i] == null) todo[i] = act;
            } else {
                String t = a.substring(colon + 1);
                if (t.equals("-1")) {
                    for (int i = 0; i < n; i++) if (todo[i] == null) todo[i] = act;
                } else {
                    int i = thread(t);
                    if (i < 0) return "E01";
                    if (todo[i] == null) todo[i] = act;
                }
            }
        }
        for (int i = 0; i < n; i++) if (todo[i] == null) todo[i] = AllStop.Action.HOLD;
        resume(todo);
        return null;
    }

    /** {@code c[addr]}, {@code C sig[;addr]}, {@code s[addr]}, {@code S sig[;addr]}: resume at addr if given. */
    private String resumeLegacy(String p, AllStop.Action act) {
        String rest = p.substring(1);
        if (Character.isUpperCase(p.charAt(0))) {
            int semi = rest.indexOf(';');
            rest = semi < 0 ? "" : rest.substring(semi + 1);
        }
        int target = cThread >= 0 ? cThread : gThread;
        if (!rest.isEmpty()) {
            Long addr = PacketFraming.number(rest);
            if (addr == null) return "E01";
            allStop.vcpu(target).core().setPc(addr);
        }
        AllStop.Action[] todo = new AllStop.Action[allStop.vcpuCount()];
        for (int i = 0; i < todo.length; i++) {
            // A legacy step moves the chosen thread alone; a continue lets all go.
            todo[i] = act == AllStop.Action.RUN ? act : i == target ? act : AllStop.Action.HOLD;
        }
        resume(todo);
        return null;
    }

    private void resume(AllStop.Action[] todo) {
        running = true;
        allStop.resume(todo);
    }

    private String setThread(String p) {
        if (p.length() < 2) return "E01";
        char op = p.charAt(1);
        String t = p.substring(2);
        int i;
        if (t.equals("-1")) i = -1;
        else if (t.equals("0")) i = op == 'g' ? gThread : -1;
        else {
            i = thread(t);
            if (i < 0) return "E01";
        }
        if (op == 'g') {
            if (i < 0) return "E01";
            gThread = i;
        } else if (op == 'c') {
            cThread = i;
        } else {
            return "E01";
        }
        return "OK";
    }

    /** The vCPU index of gdb thread id {@code t} (hex, from 1), or -1 if there is none. */
    private int thread(String t) {
        Long id = PacketFraming.number(t);
        if (id == null || id < 1 || id > allStop.vcpuCount()) return -1;
        return (int) (id - 1);
    }

    private PowerVcpu gVcpu() {
        return allStop.vcpu(gThread);
    }

    private String setRegister(String p) {
        int eq = p.indexOf('=');
        if (eq < 0) return "E01";
        Long n = PacketFraming.number(p.substring(1, eq));
        byte[] v = PacketFraming.unhex(p.substring(eq + 1));
        if (n == null || n > Integer.MAX_VALUE || v == null) return "E01";
        int size = PowerRegisters.size(n.intValue());
        if (size == 0 || v.length != size) return "E01";
        PowerRegisters.write(gVcpu().core(), n.intValue(), v, 0, bigEndian);
        return "OK";
    }

    private String readMemory(String p) {
        String[] al = p.substring(1).split(",", -1);
        if (al.length != 2) return "E01";
        Long addr = PacketFraming.number(al[0]), len = PacketFraming.number(al[1]);
        if (addr == null || len == null) return "E01";
        if (len == 0) return "";
        byte[] b = memory.read(gVcpu(), addr, (int) Math.min(len, PACKET_SIZE / 2));
        return b.length == 0 ? "E01" : PacketFraming.hex(b);
    }

    /** {@code M addr,len:hex} or {@code X addr,len:binary}. */
    private String writeMemory(String p) {
        int colon = p.indexOf(':');
        if (colon < 0) return "E01";
        String[] al = p.substring(1, colon).split(",", -1);
        if (al.length != 2) return "E01";
        Long addr = PacketFraming.number(al[0]), len = PacketFraming.number(al[1]);
        if (addr == null || len == null || len > PACKET_SIZE) return "E01";
        String data = p.substring(colon + 1);
        byte[] b = p.charAt(0) == 'M' ? PacketFraming.unhex(data) : data.getBytes(StandardCharsets.ISO_8859_1);
        if (b == null || b.length != len) return "E01";
        if (len == 0) return "OK";
        return memory.write(gVcpu(), addr, b) ? "OK" : "E01";
    }

    /** {@code Z type,addr,kind[;...]} inserts, {@code z} removes: 0 and 1 breakpoints, 2-4 watchpoints. */
    private String point(String p) {
        boolean insert = p.charAt(0) == 'Z';
        int semi = p.indexOf(';');
        String[] f = (semi < 0 ? p.substring(1) : p.substring(1, semi)).split(",", -1);
        if (f.length != 3) return "E01";
        Long type = PacketFraming.number(f[0]), addr = PacketFraming.number(f[1]), kind = PacketFraming.number(f[2]);
        if (type == null || addr == null || kind == null) return "E01";
        DebugPoints pts = allStop.points();
        if (insert && pts.breakpointCount() + pts.watchpointCount() >= MAX_POINTS) return "E02";
        if (type == 0 || type == 1) {
            pts = insert ? pts.withBreakpoint(addr) : pts.withoutBreakpoint(addr);
        } else if (type >= 2 && type <= 4) {
            int k = switch (type.intValue()) {
                case 2 -> DebugPoints.WATCH_WRITE;
                case 3 -> DebugPoints.WATCH_READ;
                default -> DebugPoints.WATCH_ACCESS;
            };
            if (kind == 0) return "E01";
            pts = insert ? pts.withWatchpoint(addr, kind, k) : pts.withoutWatchpoint(addr, kind, k);
        } else {
            return "";
        }
        allStop.setPoints(pts);
        return "OK";
    }
}
