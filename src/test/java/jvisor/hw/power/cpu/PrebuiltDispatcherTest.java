package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jvisor.hw.power.Msr;
import org.junit.jupiter.api.Test;

/**
 * The interpreter's dispatcher is a class the build writes (DispatchGenerator.main, in the
 * process-classes step), loaded like any other class of the jar; one made from another table than
 * the JVM's is not taken.
 */
class PrebuiltDispatcherTest {
    private static final long ONE = 0x3FF0_0000_0000_0000L, TWO = 0x4000_0000_0000_0000L;

    @Test
    void theInterpreterUsesTheDispatcherTheBuildWrote() {
        Executor.Dispatcher d = Executor.dispatcher();
        assertEquals(DispatchGenerator.PREBUILT, d.getClass().getName());
        assertFalse(d.getClass().isHidden(), "generated at run time: the build's step did not run");
        assertEquals(DispatchGenerator.fingerprint(InstructionTable.POWER9), d.table());
    }

    @Test
    void anotherTableHasAnotherFingerprint() {
        InstructionTable fixedPointOnly = new InstructionTable(List.of(FixedPointInstructions.ALL), List.of(),
                VectorScalarEncodings.ALL);
        assertNotEquals(DispatchGenerator.fingerprint(InstructionTable.POWER9), DispatchGenerator.fingerprint(fixedPointOnly));
        assertEquals(DispatchGenerator.fingerprint(fixedPointOnly), DispatchGenerator.generate(fixedPointOnly).table());
    }

    /** A body that is an object (fadd's) is reached through the build's class, after its facility test. */
    @Test
    void aBodyObjectRunsThroughTheBuildsDispatcher() {
        int fadd = 63 << 26 | 4 << 21 | 1 << 16 | 2 << 11 | 21 << 1; // fadd f4,f1,f2
        int op = Decoder.decode(fadd);
        assertFalse(InstructionTable.POWER9.spec(op).body() instanceof BodyCall, "fadd's body is an object");

        TestMachine on = new TestMachine().msr(Msr.SF | Msr.ME | Msr.FP);
        on.core.vectorScalar().setFpr(1, ONE);
        on.core.vectorScalar().setFpr(2, ONE);
        assertEquals(Core.OK, Executor.execute(on.core, op, fadd));
        assertEquals(TWO, on.core.vectorScalar().fpr(4));

        TestMachine off = new TestMachine();
        off.core.cia = TestMachine.CODE;
        assertEquals(Core.INTERRUPT, Executor.execute(off.core, op, fadd));
        assertEquals(0x800, off.core.pc(), "floating-point unavailable");
        assertTrue(off.core.vectorScalar().fpr(4) == 0);
    }
}
