package jvisor.hw.power.cpu;

import java.lang.invoke.MethodHandles;

/**
 * Dispatch from operation index to instruction body. The dispatcher is a class generated from
 * {@link InstructionTable} ({@link DispatchGenerator}: by the build, or when the core is first
 * used): a jump table whose cases call the small static bodies with their constants, which HotSpot
 * compiles as a jump table with the bodies inlined, as if the switch had been written by hand.
 */
final class Executor {
    private Executor() {
    }

    /** The generated dispatcher: {@code execute} switches on the operation. */
    interface Dispatcher {
        int execute(Core c, int op, int w);

        /** The {@link DispatchGenerator#fingerprint} of the table it was made from. */
        long table();
    }

    private static final Dispatcher DISPATCH = DispatchGenerator.power9();

    /** The dispatcher the interpreter uses. */
    static Dispatcher dispatcher() {
        return DISPATCH;
    }

    /**
     * The body object of an operation of {@link InstructionTable#POWER9}: the constant (bootstrap)
     * the build's dispatcher loads in each case whose body is no {@link BodyCall}.
     */
    static InstructionSpec.Body body(MethodHandles.Lookup lookup, String name, Class<?> type, int op) {
        return InstructionTable.POWER9.spec(op).body();
    }

    static int execute(Core c, int op, int w) {
        return DISPATCH.execute(c, op, w);
    }

    /** The facility-unavailable interrupt of a facility whose MSR bit is off. */
    static int unavailable(Core c, int vector) {
        return c.interrupts.raise(vector, c.cia, 0);
    }

    /**
     * An operation without a body (a valid FP/VMX/VSX encoding not implemented yet): unavailable
     * when its facility is off, otherwise the VM stops at it. Anything else is illegal.
     */
    static int declaredOnly(Core c, int op, int w) {
        InstructionTable t = InstructionTable.POWER9;
        if (op < t.declaredOnlyFrom() || op >= t.operations()) {
            return c.interrupts.illegal();
        }
        InstructionSpec s = t.spec(op);
        Facility f = s.facility();
        if (f.msrBit != 0 && (c.msr & f.msrBit) == 0) {
            return unavailable(c, f.unavailableVector);
        }
        String kind = switch (f) {
            case FP -> "floating-point instruction ";
            case VMX -> "vector (VMX) instruction ";
            case VSX -> "VSX instruction ";
            case NONE -> "";
        };
        return c.unimplemented(kind + s.mnemonic(), w);
    }
}
