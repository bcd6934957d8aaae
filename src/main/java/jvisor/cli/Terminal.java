package jvisor.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The controlling terminal of an interactive {@code jvisor run}: in raw mode while the guest runs,
 * so every key reaches the guest as it is typed (Ctrl-C included) and nothing is echoed twice,
 * with output post-processing kept so a guest's bare newlines still start a new line (QEMU keeps
 * it too). The settings the terminal had are put back when the run ends, however it ends: the
 * launcher restores them, and a shutdown hook covers the paths that never reach it (a signal, an
 * error escaping the run). Uses stty on /dev/tty; where there is no terminal, nothing changes.
 */
final class Terminal implements AutoCloseable {
    private final String saved;
    private final Thread hook;
    private boolean restored;

    private Terminal(String saved) {
        this.saved = saved;
        this.hook = new Thread(this::restore, "jvisor-terminal-restore");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Raw mode when stdin and stdout are a terminal; null (nothing to restore) otherwise. */
    static Terminal rawIfInteractive() {
        if (System.console() == null || !System.console().isTerminal()) return null;
        String saved = stty("-g");
        if (saved == null || saved.isBlank()) return null;
        if (stty("raw", "-echo", "opost", "onlcr") == null) return null;
        return new Terminal(saved.strip());
    }

    /** Puts the saved settings back; safe to call more than once, from any thread. */
    synchronized void restore() {
        if (restored) return;
        restored = true;
        stty(saved);
    }

    @Override
    public void close() {
        restore();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs restore(), which is a no-op now
        }
    }

    /** Runs stty on the terminal; its output, or null if it failed. */
    private static String stty(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "stty";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(new java.io.File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) return null;
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
