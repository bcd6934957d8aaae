package jvisor.vmm.migration;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A {@code jvisor run} in a process of its own, its console and its messages collected as they come. */
final class JvisorProcess {
    static final long TIMEOUT_SECONDS = 120;
    private static final Pattern LISTENING = Pattern.compile("waiting for the migration stream on tcp:[^:]*:(\\d+)");

    final Process process;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final StringBuffer err = new StringBuffer();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final Thread outPump;

    JvisorProcess(Path elf, String... options) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xss8m", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "jvisor.cli.Main", "run", "--timeout", Long.toString(TIMEOUT_SECONDS)));
        cmd.addAll(List.of(options));
        cmd.add(elf.toString());
        process = new ProcessBuilder(cmd).start();
        process.getOutputStream().close(); // no console input
        outPump = Thread.ofPlatform().daemon().start(() -> copy(process.getInputStream()));
        Thread.ofPlatform().daemon().start(() -> {
            try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    err.append(line).append('\n');
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) port.complete(Integer.parseInt(m.group(1)));
                }
            } catch (IOException ignored) {
                // the process ended
            }
            port.complete(-1);
        });
    }

    private void copy(InputStream in) {
        byte[] b = new byte[4096];
        try {
            int n;
            while ((n = in.read(b)) > 0) {
                synchronized (out) {
                    out.write(b, 0, n);
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    /** The port an {@code --incoming tcp:...:0} destination listens on. */
    int listeningPort() throws Exception {
        int p = port.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (p <= 0) fail("the destination did not listen; stderr:\n" + err);
        return p;
    }

    int exitStatus() throws Exception {
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("jvisor did not end; console:\n" + console() + "\nstderr:\n" + err);
        }
        outPump.join(10_000);
        return process.exitValue();
    }

    String console() {
        synchronized (out) {
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    String stderr() {
        return err.toString();
    }
}
