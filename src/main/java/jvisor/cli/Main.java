package jvisor.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jvisor} command: one subcommand per thing a person does with the hypervisor. */
@Command(name = "jvisor",
        mixinStandardHelpOptions = true,
        version = "jvisor 0.1",
        description = "A KVM-style hypervisor in Java: POWER9 radix, ARM stage-2 and x86 shadow paging.",
        subcommands = {RunCommand.class, BenchCommand.class, WalkCommand.class, SimulateCommand.class, FuzzCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit status; user errors are one line on stderr. */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            if (ex instanceof UserError ue) {
                cmd.getErr().println("jvisor: " + ue.getMessage());
                return 2;
            }
            throw ex;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("jvisor: " + ex.getMessage());
            return 2;
        });
        return cl.execute(args);
    }
}
