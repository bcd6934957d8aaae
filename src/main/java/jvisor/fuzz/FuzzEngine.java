package jvisor.fuzz;

/**
 * One engine's campaign: drives the engine with random input derived from a seed for about a
 * number of operations, counting what went wrong in a {@link Tally}. A campaign never throws: an
 * exception that escapes the engine is a finding and is counted.
 */
public interface FuzzEngine {

    /** The name on the command line and in the figures line. */
    String name();

    /** How many operations a campaign does when the user gives no number. */
    long defaultOps();

    /** Runs the campaign; {@code tally} receives the operations, the findings and the leak count. */
    void run(long ops, long seed, Tally tally);
}
