package jvisor.cli;

import java.util.concurrent.Callable;

/**
 * {@code jvisor train}: the training run of the JVM's ahead-of-time cache, which the launcher
 * records (./jvisor train). The embedded demo guest runs first, off the console, and then the
 * guest as {@code run} would run it, with the same options and console: the cache's profiles hold
 * the demo's paths beside the workload's. HotSpot profiles a method only until it compiles it
 * with C2, so the demo goes first: after a Linux boot it would add next to nothing. Trained on
 * Debian's boot alone, the bench's calls guest took 1.22 of the time it takes from the demo's
 * cache, and 1.14 with the demo run after the boot (README has the figures with the demo first).
 * Started without the launcher, it only runs the two guests.
 */
final class TrainCommand implements Main.Subcommand {
    static CommandSpec spec() {
        return RunCommand.spec("train",
                "Runs a guest as run does (the same options), as the training run of the JVM's ahead-of-time cache: "
                        + "later runs start warmer.",
                "Through ./jvisor, the method profiles of the demo guest, run first off the console, and of the run "
                        + "make the cache the next runs start from (target/jvisor.aot, until the next build). "
                        + "The exit status is the run's.");
    }

    private final RunCommand run = new RunCommand();
    /** The training's first part: the demo guest off the console, its exit status. */
    private final Callable<Integer> demo;

    TrainCommand() {
        this(RunCommand::demoOffConsole);
    }

    TrainCommand(Callable<Integer> demo) {
        this.demo = demo;
    }

    @Override
    public void take(CommandSpec.Parsed line) {
        run.take(line);
    }

    @Override
    public Integer call() throws Exception {
        int demoStatus = demo.call();
        if (demoStatus != 0) {
            System.err.println("jvisor: the demo guest's part of the training ended with status " + demoStatus);
        }
        return run.call();
    }
}
