package jvisor.hw.power.cpu;

import static java.lang.constant.ConstantDescs.CD_Class;
import static java.lang.constant.ConstantDescs.CD_MethodHandles_Lookup;
import static java.lang.constant.ConstantDescs.CD_String;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_long;

import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.instruction.SwitchCase;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.DirectMethodHandleDesc;
import java.lang.constant.DynamicConstantDesc;
import java.lang.constant.MethodHandleDesc;
import java.lang.constant.MethodTypeDesc;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.AccessFlag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ObjIntConsumer;

/**
 * Generates the interpreter's dispatcher from the instruction table: a hidden class whose
 * {@code execute(core, op, word)} is a {@code tableswitch} on the operation, each case a direct
 * {@code invokestatic} of the instruction's body with its constant arguments (after the MSR test of
 * its facility, if it has one). It is the switch {@link Executor} used to be, written from the
 * declarations instead of by hand.
 *
 * <p>HotSpot does not compile a method of more than 8000 bytes of bytecode at all, so the cases
 * are split into methods of at most {@link #CHUNK_BYTES} each, by operation range; the fixed-point
 * operations, declared first, share the first. {@code execute} itself only tells the first range
 * from the rest and is small enough to be inlined into the core's loop; the rest go through
 * {@code dispatchRest} (see {@link #dispatchRest}). A body that is not a {@link BodyCall} is loaded
 * as a constant (class data) and called through {@link InstructionSpec.Body}, so the call site sees
 * one receiver and HotSpot inlines it too. Operations without a body (declared only) and indexes
 * out of range go to {@link Executor#declaredOnly}.
 *
 * <p>The build writes the dispatcher of {@link InstructionTable#POWER9} as an ordinary class
 * ({@link #main}, {@value #PREBUILT}), which the jar and the launcher's ahead-of-time cache then
 * hold loaded and linked, with the profiles of the training run: made at run time, it was some
 * 70 ms of class-file writing, interpreted, on the way to a core's first instruction. Its bodies
 * that are no {@link BodyCall} are constants too, each resolved at its first use by
 * {@link Executor#body}. {@link #power9} takes it if it was made from the table the JVM has.
 */
public final class DispatchGenerator {
    private DispatchGenerator() {
    }

    /** The most bytecode one dispatch method gets: well below HotSpot's 8000 (DontCompileHugeMethods). */
    static final int CHUNK_BYTES = 6000;

    private static final ClassDesc CORE = BodyCall.CORE, EXECUTOR = ClassDesc.of("jvisor.hw.power.cpu.Executor"),
            DISPATCHER = ClassDesc.of("jvisor.hw.power.cpu.Executor$Dispatcher"),
            GENERATED = ClassDesc.of("jvisor.hw.power.cpu.Dispatch");
    private static final MethodTypeDesc EXECUTE = MethodTypeDesc.of(CD_int, CORE, CD_int, CD_int),
            UNAVAILABLE = MethodTypeDesc.of(CD_int, CORE, CD_int);

    /** The binary name of the dispatcher the build writes. */
    static final String PREBUILT = "jvisor.hw.power.cpu.Dispatch";
    private static final DirectMethodHandleDesc BODY_BOOTSTRAP = MethodHandleDesc.ofMethod(DirectMethodHandleDesc.Kind.STATIC,
            EXECUTOR, "body", MethodTypeDesc.of(BodyCall.BODY, CD_MethodHandles_Lookup, CD_String, CD_Class, CD_int));

    /**
     * Writes the dispatcher of {@link InstructionTable#POWER9} as {@value #PREBUILT} under the
     * class directory {@code args[0]} (the build's process-classes step).
     */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0], PREBUILT.replace('.', '/') + ".class");
        Files.createDirectories(file.getParent());
        Files.write(file, classFile(InstructionTable.POWER9, true));
    }

    /**
     * The dispatcher of {@link InstructionTable#POWER9}: the class the build wrote, if it is there
     * and was made from this table ({@link Executor.Dispatcher#table}), or else one generated now.
     */
    static Executor.Dispatcher power9() {
        InstructionTable table = InstructionTable.POWER9;
        try {
            Class<?> prebuilt = Class.forName(PREBUILT, true, DispatchGenerator.class.getClassLoader());
            Executor.Dispatcher d = (Executor.Dispatcher) MethodHandles.lookup()
                    .findConstructor(prebuilt, MethodType.methodType(void.class)).invoke();
            if (d.table() == fingerprint(table)) {
                return d;
            }
        } catch (Throwable t) {
            // Not built (classes compiled without the build's step), or built by an older jvisor
            // (a linkage error): generated below. PrebuiltDispatcherTest sees the build's class used.
        }
        return generate(table);
    }

    /**
     * What a dispatcher depends on in its table, as a number: the operations, and for each its
     * mnemonic, facility and static body (a body object is looked up by operation).
     */
    static long fingerprint(InstructionTable table) {
        // From hash codes Java specifies (String, Integer, Boolean, ordinals), so the build's JVM and
        // the running one agree; nothing is allocated on the way to the first instruction.
        long h = 31L * table.operations() + table.declaredOnlyFrom();
        for (int op = Op.ILLEGAL; op < table.declaredOnlyFrom(); op++) {
            InstructionSpec s = table.spec(op);
            h = h * 1_000_003L + s.mnemonic().hashCode();
            h = h * 31 + s.facility().ordinal();
            if (s.body() instanceof BodyCall b) {
                h = h * 31 + b.owner().descriptorString().hashCode();
                h = h * 31 + b.name().hashCode();
                h = h * 31 + Arrays.hashCode(b.constants());
            }
        }
        return h;
    }

    /** A range of operations dispatched by one method. */
    private record Chunk(int first, int end) {
    }

    /** A dispatcher of the table generated now: a hidden class whose body objects are its class data. */
    static Executor.Dispatcher generate(InstructionTable table) {
        List<InstructionSpec.Body> constants = constants(table);
        try {
            MethodHandles.Lookup hidden = MethodHandles.lookup().defineHiddenClassWithClassData(classFile(table, false), constants, true);
            return (Executor.Dispatcher) hidden.findConstructor(hidden.lookupClass(), MethodType.methodType(void.class)).invoke();
        } catch (Throwable t) {
            throw new IllegalStateException("the instruction dispatcher could not be generated", t);
        }
    }

    /** The bodies that are no {@link BodyCall}, in operation order: the class data. */
    private static List<InstructionSpec.Body> constants(InstructionTable table) {
        List<InstructionSpec.Body> constants = new ArrayList<>();
        for (int op = Op.ILLEGAL; op < table.declaredOnlyFrom(); op++) {
            InstructionSpec.Body body = table.spec(op).body();
            if (!(body instanceof BodyCall)) {
                constants.add(body);
            }
        }
        return List.copyOf(constants);
    }

    /**
     * The dispatcher class: its body objects in its class data (a hidden class), or, prebuilt,
     * resolved by operation from {@link InstructionTable#POWER9}.
     */
    static byte[] classFile(InstructionTable table, boolean prebuilt) {
        List<Chunk> chunks = chunks(table);
        ObjIntConsumer<CodeBuilder> loadBody;
        if (prebuilt) {
            loadBody = (code, op) -> code.ldc(DynamicConstantDesc.ofNamed(BODY_BOOTSTRAP, "body", BodyCall.BODY, op));
        } else {
            // The class data holds the body objects in operation order (constants).
            int[] dataIndex = new int[table.operations()];
            for (int op = Op.ILLEGAL, n = 0; op < table.declaredOnlyFrom(); op++) {
                if (!(table.spec(op).body() instanceof BodyCall)) {
                    dataIndex[op] = n++;
                }
            }
            loadBody = (code, op) -> BodyCall.loadClassDataBody(code, dataIndex[op]);
        }
        long fingerprint = fingerprint(table);
        return ClassFile.of().build(GENERATED, cb -> {
            cb.withFlags(AccessFlag.FINAL, AccessFlag.SYNTHETIC);
            cb.withInterfaceSymbols(DISPATCHER);
            cb.withMethodBody(ConstantDescs.INIT_NAME, ConstantDescs.MTD_void, ClassFile.ACC_PUBLIC, code -> code
                    .aload(0).invokespecial(ConstantDescs.CD_Object, ConstantDescs.INIT_NAME, ConstantDescs.MTD_void).return_());
            cb.withMethodBody("execute", EXECUTE, ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL, code -> {
                // this, core, op, word
                Label rest = code.newLabel();
                code.iload(2).loadConstant(chunks.getFirst().end()).if_icmpge(rest);
                code.aload(1).iload(2).iload(3).invokestatic(GENERATED, "dispatch0", EXECUTE).ireturn();
                code.labelBinding(rest);
                code.aload(1).iload(2).iload(3).invokestatic(GENERATED, "dispatchRest", EXECUTE).ireturn();
            });
            cb.withMethodBody("table", MethodTypeDesc.of(CD_long), ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL,
                    code -> code.loadConstant(fingerprint).lreturn());
            cb.withMethodBody("dispatchRest", EXECUTE, ClassFile.ACC_PRIVATE | ClassFile.ACC_STATIC,
                    code -> dispatchRest(code, chunks));
            for (int k = 0; k < chunks.size(); k++) {
                Chunk chunk = chunks.get(k);
                cb.withMethodBody("dispatch" + k, EXECUTE, ClassFile.ACC_PRIVATE | ClassFile.ACC_STATIC,
                        code -> dispatch(code, table, chunk, loadBody));
            }
        });
    }

    /**
     * The operations past the first chunk (floating point, vector, VSX): a tableswitch from each
     * operation to its chunk's method. It is kept out of {@code execute}, which HotSpot inlines
     * into the core's loop: as a chain of range tests there, each first operation of a chunk the
     * loop had not met yet was an uncommon trap that threw the whole compiled loop away (5 of the
     * loop's recompilations in a Linux boot). The switch is too large to be inlined, so such a
     * trap now costs only this method.
     */
    private static void dispatchRest(CodeBuilder code, List<Chunk> chunks) {
        Label other = code.newLabel();
        if (chunks.size() > 1) {
            Label[] toChunk = new Label[chunks.size()];
            List<SwitchCase> cases = new ArrayList<>();
            for (int k = 1; k < chunks.size(); k++) {
                toChunk[k] = code.newLabel();
                for (int op = chunks.get(k).first(); op < chunks.get(k).end(); op++) {
                    cases.add(SwitchCase.of(op, toChunk[k]));
                }
            }
            code.iload(1).tableswitch(chunks.get(1).first(), chunks.getLast().end() - 1, other, cases);
            for (int k = 1; k < chunks.size(); k++) {
                code.labelBinding(toChunk[k]);
                code.aload(0).iload(1).iload(2).invokestatic(GENERATED, "dispatch" + k, EXECUTE).ireturn();
            }
        }
        code.labelBinding(other);
        code.aload(0).iload(1).iload(2).invokestatic(EXECUTOR, "declaredOnly", EXECUTE).ireturn();
    }

    /** Splits the operations with a body into ranges whose dispatch methods stay under {@link #CHUNK_BYTES}. */
    private static List<Chunk> chunks(InstructionTable table) {
        List<Chunk> chunks = new ArrayList<>();
        int first = 0, bytes = 0;
        for (int op = 0; op < table.declaredOnlyFrom(); op++) {
            int size = 4 + (op < Op.ILLEGAL ? 0 : caseBytes(table.spec(op)));
            if (bytes + size > CHUNK_BYTES - 64) {
                chunks.add(new Chunk(first, op));
                first = op;
                bytes = 0;
            }
            bytes += size;
        }
        chunks.add(new Chunk(first, table.declaredOnlyFrom()));
        return chunks;
    }

    /** An upper bound of the bytecode of one case. */
    private static int caseBytes(InstructionSpec s) {
        int facility = s.facility() == Facility.NONE ? 0 : 24;
        int call = s.body() instanceof BodyCall b ? 6 + 3 * b.constants().length : 12;
        return facility + call;
    }

    /** One dispatch method: (core, op, word) with a tableswitch over the chunk's operations. */
    private static void dispatch(CodeBuilder code, InstructionTable table, Chunk chunk, ObjIntConsumer<CodeBuilder> loadBody) {
        Label other = code.newLabel();
        List<SwitchCase> cases = new ArrayList<>();
        Label[] labels = new Label[chunk.end() - chunk.first()];
        for (int op = Math.max(chunk.first(), Op.ILLEGAL); op < chunk.end(); op++) {
            labels[op - chunk.first()] = code.newLabel();
            cases.add(SwitchCase.of(op, labels[op - chunk.first()]));
        }
        code.iload(1).tableswitch(chunk.first(), chunk.end() - 1, other, cases);
        for (int op = Math.max(chunk.first(), Op.ILLEGAL); op < chunk.end(); op++) {
            code.labelBinding(labels[op - chunk.first()]);
            body(code, table.spec(op), op, loadBody);
        }
        code.labelBinding(other);
        code.aload(0).iload(1).iload(2).invokestatic(EXECUTOR, "declaredOnly", EXECUTE).ireturn();
    }

    /**
     * The facility test, then the call of operation {@code op}'s body; returns its result. Locals:
     * core, op, word. A body object is loaded as a constant by {@code loadBody} (see {@link #classFile}).
     */
    private static void body(CodeBuilder code, InstructionSpec s, int op, ObjIntConsumer<CodeBuilder> loadBody) {
        Facility f = s.facility();
        if (f != Facility.NONE) {
            Label enabled = code.newLabel();
            BodyCall.ifFacilityEnabled(code, 0, f, enabled);
            code.aload(0).loadConstant(f.unavailableVector).invokestatic(EXECUTOR, "unavailable", UNAVAILABLE).ireturn();
            code.labelBinding(enabled);
        }
        if (s.body() instanceof BodyCall call) {
            code.aload(0).iload(2);
            for (Object k : call.constants()) {
                code.loadConstant(k instanceof Boolean b ? (b ? 1 : 0) : (Integer) k);
            }
            code.invokestatic(call.owner(), call.name(), call.type());
        } else {
            loadBody.accept(code, op);
            code.aload(0).iload(2).invokeinterface(BodyCall.BODY, "execute", BodyCall.BODY_EXECUTE);
        }
        code.ireturn();
    }
}
