package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.attribute.CodeAttribute;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import jvisor.hw.power.Msr;
import jvisor.hw.power.Srr1;
import org.junit.jupiter.api.Test;

/**
 * The bodies and privileges the table declares: every body is a method that exists with the
 * declared arguments, the privilege a declaration states is the one its body enforces, and the
 * dispatcher generated from the table stays a method HotSpot compiles.
 */
class InstructionBodiesTest {
    private static final InstructionTable T = InstructionTable.POWER9;

    @Test
    void everyBodyIsAStaticMethodWithItsConstants() throws ReflectiveOperationException {
        int resolved = 0;
        for (int op = Op.ILLEGAL; op < T.declaredOnlyFrom(); op++) {
            if (T.spec(op).body() instanceof BodyCall call) {
                call.resolve();
                resolved++;
            }
        }
        assertTrue(resolved > 250, resolved + " bodies");
    }

    /** A valid word of the declaration with small operand fields (some registers named, RA != 0). */
    private static int word(InstructionSpec d, SplittableRandom rnd) {
        for (int k = 0; ; k++) {
            int operands = k == 0 ? 5 << 21 | 1 << 16 | 2 << 11 : rnd.nextInt();
            int w = d.encoding().match() | (operands & ~d.encoding().mask());
            if (d.operands().valid(w)) {
                return w;
            }
        }
    }

    private static List<InstructionSpec> fixed(Privilege p) {
        List<InstructionSpec> out = new ArrayList<>();
        for (InstructionSpec d : T.declarations()) {
            if (d.facility() == Facility.NONE && d.privilege() == p) {
                out.add(d);
            }
        }
        return out;
    }

    private static TestMachine run(int w, long msr) {
        TestMachine t = new TestMachine().msr(msr).gpr(1, 0x8000).gpr(2, 0x100);
        t.runAt(TestMachine.CODE, 1, w);
        return t;
    }

    private static boolean privilegedInterrupt(TestMachine t) {
        return t.core.pc() == 0x700 && (t.core.srr1() & Srr1.PRIVILEGED) != 0;
    }

    @Test
    void privilegedAndHypervisorInstructionsAreRefusedInProblemState() {
        SplittableRandom rnd = new SplittableRandom(13);
        List<InstructionSpec> refused = new ArrayList<>(fixed(Privilege.PRIVILEGED));
        refused.addAll(fixed(Privilege.HYPERVISOR));
        assertTrue(refused.size() > 30);
        for (InstructionSpec d : refused) {
            for (int k = 0; k < 4; k++) {
                int w = word(d, rnd);
                TestMachine t = run(w, Msr.SF | Msr.ME | Msr.PR);
                assertTrue(privilegedInterrupt(t), d.mnemonic() + " " + Integer.toHexString(w) + " in problem state");
            }
        }
    }

    @Test
    void hypervisorInstructionsGoToTheHypervisorFromPrivilegedState() {
        SplittableRandom rnd = new SplittableRandom(14);
        List<InstructionSpec> hypervisor = fixed(Privilege.HYPERVISOR);
        assertTrue(hypervisor.size() > 10);
        for (InstructionSpec d : hypervisor) {
            int w = word(d, rnd);
            TestMachine t = new TestMachine();
            assertEquals(Exit.HYPERVISOR_EMULATION_ASSIST, t.runAt(TestMachine.CODE, 1, w), d.mnemonic());
            assertEquals(TestMachine.CODE, t.core.pc(), d.mnemonic());
        }
    }

    /** mtspr and mfspr are left out: the SPR number decides (and {@code SprAccessTest} shows how). */
    @Test
    void problemStateInstructionsAreNotRefusedAsPrivileged() {
        SplittableRandom rnd = new SplittableRandom(15);
        int tried = 0;
        for (InstructionSpec d : fixed(Privilege.PROBLEM)) {
            if (d.mnemonic().equals("mtspr") || d.mnemonic().equals("mfspr")) {
                continue;
            }
            int w = word(d, rnd);
            TestMachine t = run(w, Msr.SF | Msr.ME | Msr.PR);
            assertFalse(privilegedInterrupt(t), d.mnemonic() + " " + Integer.toHexString(w));
            tried++;
        }
        assertTrue(tried > 200, tried + " tried");
    }

    /**
     * HotSpot compiles no method of more than 8000 bytes of bytecode: every dispatch method stays
     * below, in the dispatcher generated at run time and in the one the build writes.
     */
    @Test
    void theGeneratedDispatcherIsMadeOfCompilableMethods() {
        for (boolean prebuilt : new boolean[] {false, true}) {
            assertTrue(compilableDispatchMethods(ClassFile.of().parse(DispatchGenerator.classFile(T, prebuilt))) >= 1);
        }
    }

    /** Checks every method of the dispatcher is small enough for HotSpot; returns how many dispatch methods it has. */
    private static int compilableDispatchMethods(ClassModel dispatcher) {
        int dispatchMethods = 0;
        for (MethodModel m : dispatcher.methods()) {
            int length = m.findAttribute(Attributes.code()).map(CodeAttribute::codeLength).orElse(0);
            assertTrue(length < 8000, m.methodName() + ": " + length + " bytes");
            dispatchMethods += m.methodName().stringValue().startsWith("dispatch") ? 1 : 0;
        }
        return dispatchMethods;
    }

    /**
     * A body given as an object (the shape of the FP/VMX/VSX declarations) is dispatched after the
     * facility test: the unavailable interrupt with the facility off, the body with it on.
     */
    @Test
    void aBodyObjectRunsAfterItsFacilityTest() {
        InstructionSpec.Body setsR3 = (c, w) -> {
            c.gpr[3] = 0x5eed;
            return Core.OK;
        };
        InstructionSpec fmr = new InstructionSpec("fmr", Encoding.x(63, 72), Facility.FP, setsR3);
        InstructionTable t = new InstructionTable(List.of(FixedPointInstructions.ALL), List.of(fmr), VectorScalarEncodings.ALL);
        Executor.Dispatcher d = DispatchGenerator.generate(t);
        int op = -1;
        for (InstructionTable.Rule r : t.rules()) {
            if (r.encoding().matches(0xfc000090)) {
                op = r.op();
                break;
            }
        }
        assertTrue(t.spec(op).body() == setsR3);

        TestMachine off = new TestMachine();
        off.core.cia = TestMachine.CODE;
        assertEquals(Core.INTERRUPT, d.execute(off.core, op, 0xfc000090));
        assertEquals(0x800, off.core.pc());
        assertEquals(0, off.r(3));

        TestMachine on = new TestMachine().msr(Msr.SF | Msr.ME | Msr.FP);
        assertEquals(Core.OK, d.execute(on.core, op, 0xfc000090));
        assertEquals(0x5eed, on.r(3));
        // and a fixed-point operation of the same table goes to its static body
        int addi = t.op(FixedPointInstructions.ALL.getFirst());
        assertEquals(Core.OK, d.execute(on.core, addi, 0x38600007)); // li r3,7
        assertEquals(7, on.r(3));
    }

    /**
     * With every valid FP/VMX/VSX encoding implemented (as body objects), the dispatcher needs
     * several methods; each stays compilable and every operation reaches its own body.
     */
    @Test
    void aFullTableIsDispatchedFromSeveralCompilableMethods() {
        List<InstructionSpec> implemented = new ArrayList<>();
        for (InstructionSpec p : VectorScalarEncodings.ALL) {
            long mark = 0x1000 + implemented.size();
            implemented.add(new InstructionSpec(p.mnemonic(), p.encoding(), p.facility(), (c, w) -> {
                c.gpr[3] = mark;
                return Core.OK;
            }));
        }
        InstructionTable t = new InstructionTable(List.of(FixedPointInstructions.ALL, LoadStoreInstructions.ALL),
                implemented, VectorScalarEncodings.ALL);
        ClassModel dispatcher = ClassFile.of().parse(DispatchGenerator.classFile(t, false));
        int dispatchMethods = compilableDispatchMethods(dispatcher);
        assertTrue(dispatchMethods > 1, dispatchMethods + " dispatch methods");
        // execute is inlined into the core's loop (HotSpot inlines up to 35 bytes at any call site);
        // the switch to the later chunks is kept out of it (past the 325 bytes of a hot call site).
        for (MethodModel m : dispatcher.methods()) {
            int length = m.findAttribute(Attributes.code()).map(CodeAttribute::codeLength).orElse(0);
            if (m.methodName().equalsString("execute")) assertTrue(length <= 35, "execute: " + length + " bytes");
            if (m.methodName().equalsString("dispatchRest")) assertTrue(length > 325, "dispatchRest: " + length + " bytes");
        }

        Executor.Dispatcher d = DispatchGenerator.generate(t);
        TestMachine on = new TestMachine().msr(Msr.SF | Msr.ME | Msr.FP | Msr.VEC | Msr.VSX);
        for (int i = 0; i < implemented.size(); i++) {
            int op = t.op(implemented.get(i));
            on.gpr(3, 0);
            assertEquals(Core.OK, d.execute(on.core, op, implemented.get(i).encoding().match()));
            assertEquals(0x1000 + i, on.r(3), implemented.get(i).mnemonic());
        }
        int lwz = t.op(LoadStoreInstructions.ALL.get(6));
        assertEquals("lwz", t.name(lwz));
        on.memory.writeIntBE(0x2000, 0x1234_5678);
        assertEquals(Core.OK, d.execute(on.core, lwz, 0x80602000)); // lwz r3,0x2000(0)
        assertEquals(0x1234_5678, on.r(3));
    }
}
