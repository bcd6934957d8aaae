package jvisor.hw.power.cpu;

import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.DynamicConstantDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An instruction body that is a static method with constant arguments: {@code owner.name(core,
 * word, constants...)}. The interpreter's dispatch ({@link DispatchGenerator}) and the region
 * compiler emit a direct call to it, so both run the very same body for every instruction.
 *
 * <p>Calling {@link #execute} resolves the method by name first: it exists for code that holds a
 * body and wants to run it once (tests); the hot paths never call it.
 *
 * @param owner     the class declaring the body
 * @param name      the body's name; its parameters are (Core, int word, constants...)
 * @param constants extra arguments, each an Integer or a Boolean
 */
record BodyCall(ClassDesc owner, String name, Object... constants) implements InstructionSpec.Body {
    static final ClassDesc CORE = ClassDesc.of("jvisor.hw.power.cpu.Core");
    static final ClassDesc FIXED_POINT = ClassDesc.of("jvisor.hw.power.cpu.FixedPoint"),
            ROTATE = ClassDesc.of("jvisor.hw.power.cpu.Rotate"), LOAD_STORE = ClassDesc.of("jvisor.hw.power.cpu.LoadStore"),
            ATOMIC = ClassDesc.of("jvisor.hw.power.cpu.Atomic"), BRANCH = ClassDesc.of("jvisor.hw.power.cpu.Branch"),
            SYSTEM_OPS = ClassDesc.of("jvisor.hw.power.cpu.SystemOps"), SPR = ClassDesc.of("jvisor.hw.power.cpu.Spr"),
            MEMORY_BARRIER = ClassDesc.of("jvisor.hw.power.cpu.MemoryBarrier"),
            ATOMIC_MEMORY_OPS = ClassDesc.of("jvisor.hw.power.cpu.AtomicMemoryOps"),
            DECIMAL_ASSIST = ClassDesc.of("jvisor.hw.power.cpu.DecimalAssist"),
            FLOATING_POINT_LOAD_STORE = ClassDesc.of("jvisor.hw.power.cpu.FloatingPointLoadStore");

    private static final Map<BodyCall, MethodHandle> RESOLVED = new ConcurrentHashMap<>();

    // ---- how generated code (the dispatcher, regions) reaches a body ----

    /** A body that is no BodyCall is called through {@link InstructionSpec.Body#execute}. */
    static final ClassDesc BODY = ClassDesc.of("jvisor.hw.power.cpu.InstructionSpec$Body");
    static final MethodTypeDesc BODY_EXECUTE = MethodTypeDesc.of(ConstantDescs.CD_int, CORE, ConstantDescs.CD_int);

    /**
     * Emits the load of the body at {@code index} of the generated class's data (a list of
     * bodies): a constant, so the interface call on it that follows has one receiver and HotSpot
     * inlines it.
     */
    static void loadClassDataBody(CodeBuilder code, int index) {
        code.ldc(DynamicConstantDesc.ofNamed(ConstantDescs.BSM_CLASS_DATA_AT, ConstantDescs.DEFAULT_NAME, BODY, index));
    }

    /** Emits a jump to {@code enabled} when the MSR of the core in local {@code core} enables the facility. */
    static void ifFacilityEnabled(CodeBuilder code, int core, Facility f, Label enabled) {
        code.aload(core).getfield(CORE, "msr", ConstantDescs.CD_long).loadConstant(f.msrBit).land().lconst_0().lcmp().ifne(enabled);
    }

    /** The body's type: (Core, int, constants...) returning the result code. */
    MethodTypeDesc type() {
        List<ClassDesc> params = new ArrayList<>(List.of(CORE, ConstantDescs.CD_int));
        for (Object k : constants) {
            params.add(k instanceof Boolean ? ConstantDescs.CD_boolean : ConstantDescs.CD_int);
        }
        return MethodTypeDesc.of(ConstantDescs.CD_int, params);
    }

    /** The method this names, with its constants bound: (Core, int) returning int. */
    MethodHandle resolve() throws ReflectiveOperationException {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        Class<?> cls = Class.forName(owner.packageName() + "." + owner.displayName());
        MethodHandle h = lookup.findStatic(cls, name, type().resolveConstantDesc(lookup));
        return MethodHandles.insertArguments(h, 2, constants);
    }

    @Override
    public int execute(Core c, int w) {
        MethodHandle h = RESOLVED.computeIfAbsent(this, k -> {
            try {
                return k.resolve();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("no body " + k, e);
            }
        });
        try {
            return (int) h.invokeExact(c, w);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public String toString() {
        return owner.displayName() + "." + name + List.of(constants);
    }
}
