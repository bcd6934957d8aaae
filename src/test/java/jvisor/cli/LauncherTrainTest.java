package jvisor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's {@code train}: the run it is given becomes the training run of the JVM's
 * ahead-of-time cache, the cache then serves the next runs, a bad command line or a request for
 * help leaves the cache there was, and a new build goes back to the demo's. The launcher runs from a copy of its own
 * tree (the script and a jar of this build's classes), so the developer's target/ is not touched.
 */
class LauncherTrainTest {
    /** Runs the launcher of {@code tree} with {@code args}: its status, stdout and stderr. */
    private static CliRun.Result launch(Path tree, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", tree.resolve("jvisor").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("JVISOR_JAVA_OPTS");
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        // Read stderr on its own thread: a full pipe would stall the JVM writing to it.
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread drain = Thread.ofPlatform().start(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = p.waitFor();
        drain.join();
        return new CliRun.Result(status, out, err.toString(StandardCharsets.UTF_8));
    }

    /** The launcher and a jar of this build's classes (the demo guest among them), as ./jvisor's tree holds them. */
    private static void copyOfTheLaunchersTree(Path tree) throws Exception {
        Files.copy(Path.of("jvisor"), tree.resolve("jvisor"));
        Files.createDirectories(tree.resolve("target"));
        ToolProvider jar = ToolProvider.findFirst("jar").orElseThrow();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(log, true);
        int status = jar.run(p, p, "--create", "--file", tree.resolve("target/jvisor.jar").toString(),
                "--main-class", Main.class.getName(), "-C", "target/classes", ".");
        assertEquals(0, status, log.toString());
    }

    @Test
    void trainMakesTheRunItIsGivenTheCachesTrainingAndTheNextRunsStartFromIt(@TempDir Path tree) throws Exception {
        copyOfTheLaunchersTree(tree);
        Path cache = tree.resolve("target/jvisor.aot"), training = tree.resolve("target/jvisor.aot.training");

        CliRun.Result trained = launch(tree, Map.of(), "train", "--mem", "96M");
        assertEquals(0, trained.status(), trained.err());
        assertEquals(1, trained.out().split("done: 8 passed, 0 failed", -1).length - 1,
                "the guest's console as run shows it, and nothing of the demo's run off it: " + trained.out());
        assertTrue(trained.err().contains("the next runs start with this run's profiles"), trained.err());
        assertTrue(Files.size(cache) > 0, "a cache was written");
        assertEquals("train --mem 96M", Files.readString(training).strip());

        // A bad command line: run's one-line error, and the cache and its training stay as they were.
        FileTime before = Files.getLastModifiedTime(cache);
        CliRun.Result bad = launch(tree, Map.of(), "train", "--bad");
        assertEquals(2, bad.status());
        assertEquals("jvisor: Unknown option: '--bad'", bad.err().strip());
        assertEquals(before, Files.getLastModifiedTime(cache));
        assertEquals("train --mem 96M", Files.readString(training).strip());

        // Asking for train's help prints it (run's options) and trains nothing.
        CliRun.Result help = launch(tree, Map.of(), "train", "--help");
        assertEquals(0, help.status(), help.err());
        assertTrue(help.out().startsWith("Usage: jvisor train"), help.out());
        assertTrue(help.out().contains("--initrd"), help.out());
        assertEquals(before, Files.getLastModifiedTime(cache));
        assertEquals("train --mem 96M", Files.readString(training).strip());

        // The next run opens that cache (the launcher's own messages about it are off; these are asked for).
        CliRun.Result next = launch(tree, Map.of("JVISOR_JAVA_OPTS", "-Xlog:aot=info:stderr"), "run");
        assertEquals(0, next.status(), next.err());
        assertTrue(next.err().contains("Opened AOT cache " + cache), next.err());
        assertEquals(before, Files.getLastModifiedTime(cache), "a run uses the trained cache, it does not remake it");

        // A new build: the launcher makes the demo's cache again, and the trained run's note goes with the old one.
        Files.setLastModifiedTime(tree.resolve("target/jvisor.jar"), FileTime.fromMillis(before.toMillis() + 2000));
        CliRun.Result rebuilt = launch(tree, Map.of(), "run");
        assertEquals(0, rebuilt.status(), rebuilt.err());
        assertFalse(Files.exists(training), "the demo's cache has no training note");
        assertTrue(Files.getLastModifiedTime(cache).compareTo(before) > 0, "the cache was made again");
    }
}
