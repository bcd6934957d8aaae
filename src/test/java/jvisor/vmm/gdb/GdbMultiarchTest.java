package jvisor.vmm.gdb;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jvisor.vmm.GuestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * gdb itself (gdb-multiarch in batch mode) against {@code jvisor run --gdb tcp::0 --gdb-wait}, as a
 * person debugs a guest: the guests/gdbtarget guest with its symbols from the ELF, both byte
 * orders. Expected values come from the ELF (symbol addresses, code bytes) and from what the guest
 * prints, never from the stub. Skipped with the reason where gdb-multiarch or the cross compiler is
 * missing, failed instead under CI=true or JVISOR_REQUIRE_QEMU.
 */
class GdbMultiarchTest {
    private static final long TIMEOUT_SECONDS = 300;
    private static final Pattern PORT = Pattern.compile("gdb stub on 127\\.0\\.0\\.1:(\\d+)");

    /** A jvisor process running a guest under the stub, its console collected as it comes. */
    private static final class Jvisor {
        final Process process;
        final StringBuffer out = new StringBuffer(), err = new StringBuffer();
        final CompletableFuture<Integer> port = new CompletableFuture<>();

        Jvisor(Path elf, String... options) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xss8m", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    "jvisor.cli.Main", "run", "--gdb", "tcp::0", "--gdb-wait", "--timeout", Long.toString(TIMEOUT_SECONDS)));
            cmd.addAll(List.of(options));
            cmd.add(elf.toString());
            process = new ProcessBuilder(cmd).start();
            pump(process.getInputStream(), out, null);
            pump(process.getErrorStream(), err, line -> {
                Matcher m = PORT.matcher(line);
                if (m.find()) port.complete(Integer.parseInt(m.group(1)));
            });
        }

        private void pump(InputStream in, StringBuffer to, java.util.function.Consumer<String> onLine) {
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        to.append(line).append('\n');
                        if (onLine != null) onLine.accept(line);
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
                port.complete(-1);
            });
            t.setDaemon(true);
            t.start();
        }

        int port() throws Exception {
            int p = port.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertTrue(p > 0, "jvisor did not start its stub: " + err);
            return p;
        }

        int exitStatus() throws Exception {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("jvisor did not end; console:\n" + out + "\nstderr:\n" + err);
            }
            return process.exitValue();
        }
    }

    private static Path guest(String endian) {
        GuestImages.requireReference(GuestImages.onPath("gdb-multiarch"),
                "gdb-multiarch missing: run guests/install-deps.sh");
        return GuestImages.require(endian, "gdbtarget");
    }

    /** Runs gdb on {@code elf} against the stub with {@code commands}; {@code whileRunning} may act on it meanwhile. */
    private static String gdb(Path elf, boolean bigEndian, int port, java.util.function.Consumer<Process> whileRunning,
                              String... commands) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("gdb-multiarch", "-nx", "-batch",
                "-ex", "set architecture powerpc:common64"));
        if (bigEndian) cmd.addAll(List.of("-ex", "set endian big"));
        cmd.addAll(List.of("-ex", "target remote :" + port));
        for (String c : commands) cmd.addAll(List.of("-ex", c));
        cmd.add(elf.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        if (whileRunning != null) whileRunning.accept(p);
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("gdb did not end: " + output.getNow("(no output)"));
        }
        return output.get(10, TimeUnit.SECONDS);
    }

    /** The value of the first group of the first match of {@code regex} in {@code text}, as a hex number. */
    private static long hexOf(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no match for " + regex + " in gdb's output:\n" + text);
        return Long.parseUnsignedLong(m.group(1), 16);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"le", "be"})
    void breakStepSetARegisterWatchAndReadThroughTheGuestsOwnTranslation(String endian) throws Exception {
        Path elf = guest(endian);
        boolean be = endian.equals("be");
        Elf image = Elf.read(elf);
        long square = image.symbol("square");
        Jvisor j = new Jvisor(elf);
        String out = gdb(elf, be, j.port(), null,
                "break square", "continue", "info registers pc", "x/4xw $pc", "stepi", "info registers pc",
                "set $r3=5", "watch result", "continue", "delete", "break peek", "continue", "info registers msr",
                "x/2gx $r3", "continue");
        int status = j.exitStatus();

        assertTrue(out.contains("Breakpoint 1, square"), out);
        assertEquals(square, hexOf(out, "pc\\s+0x([0-9a-f]+)\\s+0x[0-9a-f]+ <square>\n"), "stopped at square's first instruction");
        Matcher words = Pattern.compile("<square>:\\s+0x([0-9a-f]{8})\\s+0x([0-9a-f]{8})\\s+0x([0-9a-f]{8})\\s+0x([0-9a-f]{8})")
                .matcher(out);
        assertTrue(words.find(), out);
        for (int i = 0; i < 4; i++) {
            assertEquals(image.word(square + 4L * i), Long.parseLong(words.group(i + 1), 16), "word " + i + " of square as in the ELF");
        }
        assertEquals(square + 4, hexOf(out, "pc\\s+0x([0-9a-f]+)\\s+0x[0-9a-f]+ <square\\+4>"), "stepi went one instruction on");
        assertTrue(out.contains("Hardware watchpoint 2: result"), out);
        assertTrue(out.contains("Old value = 0") && out.contains("New value = 25"), "the changed argument was squared:\n" + out);
        assertTrue(out.contains("peek (p=p@entry=0x100000000)"), out);
        assertEquals(0x30, hexOf(out, "msr\\s+0x([0-9a-f]+)") & 0x30, "peek runs with MSR[IR,DR] on");
        assertTrue(out.contains("0x100000000:\t0x0123456789abcdef\t0x1111111111111111"),
                "memory at EA 4 GiB (beyond RAM) read through the guest's radix tables:\n" + out);
        assertTrue(out.contains("[Inferior 1 (Remote target) exited normally]"), out);

        assertEquals(0, status, j.err.toString());
        String console = j.out.toString();
        assertTrue(console.contains("square: 25\n"), console);
        assertTrue(console.contains("peek: 1032547698badcfe\n"), console);
        assertTrue(console.contains("done: 1 passed, 0 failed, 0 skipped"), console);
    }

    @Test
    void twoVcpusAreTwoThreadsAndAnInterruptStopsASpinningGuest() throws Exception {
        Path elf = guest("le");
        Jvisor j = new Jvisor(elf, "--smp", "2");
        String out = gdb(elf, false, j.port(), gdb -> {
            // gdb sits in "continue" while the guest spins: interrupt it as Ctrl-C would.
            for (long until = System.nanoTime() + TIMEOUT_SECONDS * 1_000_000_000L;
                 !j.out.toString().contains("spinning") && System.nanoTime() < until; ) {
                sleep(50);
            }
            sleep(200);
            try {
                new ProcessBuilder("kill", "-INT", Long.toString(gdb.pid())).start().waitFor();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "break square", "continue", "info threads", "set var hold = 1", "delete", "continue", "bt 1", "thread 2",
                "info registers pc", "thread 1", "set var hold = 0", "continue");
        int status = j.exitStatus();

        assertTrue(Pattern.compile("\\* 1\\s+Thread 1 \\(vCPU 0\\)\\s+square").matcher(out).find(), out);
        assertTrue(Pattern.compile("\\n\\s+2\\s+Thread 2 \\(vCPU 1, stopped\\)").matcher(out).find(), out);
        assertTrue(out.contains("received signal SIGINT"), out);
        assertTrue(Pattern.compile("#0\\s+(0x[0-9a-f]+ in )?spin \\(\\)").matcher(out).find(),
                "stopped in the spinning function:\n" + out);
        assertTrue(out.contains("[Switching to thread 2 (Thread 2)]"), out);
        assertEquals(0, hexOf(out, "pc\\s+0x([0-9a-f]+)"), "the second vCPU was never started");
        assertTrue(out.contains("[Inferior 1 (Remote target) exited normally]"), out);
        assertEquals(0, status, j.err.toString());
        assertTrue(j.out.toString().contains("spinning\nspun\n"), j.out.toString());
    }

    @Test
    void detachLetsTheGuestRunOnAndKillEndsItWithStatusZero() throws Exception {
        Path elf = guest("le");
        Jvisor j = new Jvisor(elf);
        String out = gdb(elf, false, j.port(), null, "break square", "continue", "detach");
        assertEquals(0, j.exitStatus(), j.err.toString());
        assertTrue(out.contains("Breakpoint 1, square") && out.contains("detached"), out);
        assertTrue(j.out.toString().contains("square: 9\n") && j.out.toString().contains("done: 1 passed"), j.out.toString());

        Jvisor k = new Jvisor(elf);
        out = gdb(elf, false, k.port(), null, "break square", "continue", "kill");
        assertEquals(0, k.exitStatus(), "killed as QEMU is: status 0; " + k.err);
        assertTrue(out.contains("killed"), out);
        assertFalse(k.out.toString().contains("square:"), "the guest never got past square: " + k.out);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the test needs of an ELF64 image: a symbol's value and the words the image holds at an address. */
    record Elf(ByteBuffer bytes) {
        static Elf read(Path p) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p));
            b.order(b.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            return new Elf(b);
        }

        /** The 32-bit word at virtual address {@code va}, from the PT_LOAD segment that holds it. */
        long word(long va) {
            long phoff = bytes.getLong(32);
            int phentsize = bytes.getShort(54), phnum = bytes.getShort(56);
            for (int i = 0; i < phnum; i++) {
                int h = (int) phoff + i * phentsize;
                long offset = bytes.getLong(h + 8), vaddr = bytes.getLong(h + 16), filesz = bytes.getLong(h + 32);
                if (bytes.getInt(h) == 1 && va >= vaddr && va + 4 <= vaddr + filesz) {
                    return bytes.getInt((int) (offset + va - vaddr)) & 0xFFFF_FFFFL;
                }
            }
            throw new AssertionError("no loaded bytes at 0x" + Long.toHexString(va));
        }

        /** The value of symbol {@code name} in .symtab. */
        long symbol(String name) {
            long shoff = bytes.getLong(40);
            int shentsize = bytes.getShort(58), shnum = bytes.getShort(60);
            for (int i = 0; i < shnum; i++) {
                int s = (int) shoff + i * shentsize;
                if (bytes.getInt(s + 4) != 2) continue; // SHT_SYMTAB
                long off = bytes.getLong(s + 24), size = bytes.getLong(s + 32), entsize = bytes.getLong(s + 56);
                int link = bytes.getInt(s + 40);
                long strOff = bytes.getLong((int) shoff + link * shentsize + 24);
                for (long e = off; e < off + size; e += entsize) {
                    if (name.equals(string(strOff + bytes.getInt((int) e)))) return bytes.getLong((int) e + 8);
                }
            }
            throw new AssertionError("no symbol " + name);
        }

        private String string(long at) {
            StringBuilder sb = new StringBuilder();
            for (int i = (int) at; bytes.get(i) != 0; i++) sb.append((char) bytes.get(i));
            return sb.toString();
        }
    }
}
