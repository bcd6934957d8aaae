package jvisor.cli;

import java.io.PrintWriter;
import jvisor.vmm.HostFailure;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jvisor} command: one subcommand per thing a person does with the hypervisor. */
@Command(name = "jvisor",
        mixinStandardHelpOptions = true,
        version = "jvisor 0.1",
        description = "A KVM-style hypervisor in Java: POWER9 radix, ARM stage-2 and x86 shadow paging.",
        subcommands = {RunCommand.class, BenchCommand.class, WalkCommand.class, SimulateCommand.class, FuzzCommand.class})
public final class Main implements Runnable {

    /**
     * The subcommand of this command's annotation that is called {@code name}, made; null if none
     * is. A command line that names one at its start is parsed with that one alone: picocli reads
     * every registered command's annotations when it is set up, and for all five that was a third
     * of {@code jvisor run}'s start-up on the main thread (84 of 165 ms of processor time for the
     * demo guest). Anything else (help, a misspelt name) gets them all.
     */
    private static Object subcommand(String name) throws ReflectiveOperationException {
        for (Class<?> c : Main.class.getAnnotation(Command.class).subcommands()) {
            if (c.getAnnotation(Command.class).name().equals(name)) {
                return c.getDeclaredConstructor().newInstance();
            }
        }
        return null;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /**
     * Runs the command line and returns the exit status: user errors are one line on stderr and
     * status 2; a failure of jvisor itself (a bug, the JVM out of memory) is one line and status 1.
     */
    public static int execute(String... args) {
        Object only;
        try {
            only = args.length > 0 ? subcommand(args[0]) : null;
        } catch (ReflectiveOperationException e) {
            return internalError(new PrintWriter(System.err, true), e);
        }
        CommandLine cl = only == null ? new CommandLine(new Main()) : new CommandLine(new Main.Single()).addSubcommand(only);
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            if (ex instanceof UserError ue) {
                cmd.getErr().println("jvisor: " + ue.getMessage());
                return 2;
            }
            return internalError(cmd.getErr(), ex);
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("jvisor: " + oneLine(ex.getMessage()));
            return 2;
        });
        try {
            return cl.execute(args);
        } catch (Throwable t) {
            // Errors are not Exceptions: picocli lets them through.
            return internalError(cl.getErr(), t);
        }
    }

    /** The top-level command without its subcommands, for a command line that names one. */
    @Command(name = "jvisor", mixinStandardHelpOptions = true, version = "jvisor 0.1")
    static final class Single implements Runnable {
        @Override
        public void run() {
            // a subcommand always follows
        }
    }

    private static int internalError(PrintWriter err, Throwable t) {
        try {
            err.println("jvisor: internal error: " + HostFailure.oneLine(t));
            err.flush();
        } catch (Throwable ignored) {
            // nothing more can be said
        }
        return 1;
    }

    private static String oneLine(String message) {
        return message == null ? "bad command line" : message.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
