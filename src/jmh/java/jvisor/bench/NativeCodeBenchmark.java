package jvisor.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a tier of guest code translated to host machine code would pay to be entered from the
 * core's run loop and to run, measured before such a tier exists: x86-64 code written here as
 * bytes into an anonymous executable mapping and called through the foreign-function API, the
 * way jvisor would call code it generated. (A quick region, the cheapest translation jvisor has,
 * costs some 2 ms of class writing and C1 compiling for 29 guest instructions; bytes like these
 * cost a few nanoseconds each to write.) The register file is eight longs, as a translated block
 * would see the GPRs it uses.
 *
 * <table>
 * <tr><th>benchmark</th><th>what it measures</th></tr>
 * <tr><td>callNative</td><td>a round trip into three instructions of generated code (r3 += r4 on a
 * register file in native memory) and back, as a call with {@code Linker.Option.critical}: the
 * transition a translated block would cost per entry (a region entry from the run loop costs
 * some 20 ns warm, CoreLoopBenchmark.farCallLoop)</td></tr>
 * <tr><td>callHeapArray</td><td>the same on a {@code long[]} register file (the core's
 * {@code gpr} array as it is) handed over as a heap segment: what leaving the registers on the
 * Java heap would add to each entry</td></tr>
 * <tr><td>block100</td><td>a generated straight-line block of 100 register-to-register adds over
 * the native register file, each a load, an add from memory and a store (template code with no
 * register allocation), the call included; scored per add</td></tr>
 * <tr><td>arrayRegisters, segmentRegisters</td><td>the other side of the question where the
 * registers live: ten register-to-register operations on constant register numbers, as translated
 * code does them, on the {@code long[]} and on a native segment, compiled by C2</td></tr>
 * <tr><td>arrayRegistersC1, segmentRegistersC1</td><td>the same in a JVM that compiles with C1
 * only, as quick regions are compiled</td></tr>
 * </table>
 * Runs on x86-64 Linux only (elsewhere the set-up fails with a message). Scores are nanoseconds.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class NativeCodeBenchmark {
    private static final long CODE_BYTES = 1 << 16;
    /** mmap's PROT_READ | PROT_WRITE | PROT_EXEC and MAP_PRIVATE | MAP_ANONYMOUS on Linux. */
    private static final int PROT_RWX = 7, MAP_ANONYMOUS_PRIVATE = 0x22;
    private static final int ADDS = 100;

    private final Linker linker = Linker.nativeLinker();
    private MemorySegment code;
    private MethodHandle add, addOnHeap, block;
    private MemorySegment registers;
    private final long[] heapRegisters = new long[32];

    @Setup
    public void setUp() throws Throwable {
        String arch = System.getProperty("os.arch"), os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        if (!(arch.equals("amd64") || arch.equals("x86_64")) || !os.contains("linux")) {
            throw new IllegalStateException("x86-64 Linux only, not " + arch + " " + os);
        }
        MethodHandle mmap = linker.downcallHandle(linker.defaultLookup().find("mmap").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
        MemorySegment m = (MemorySegment) mmap.invokeExact(MemorySegment.NULL, CODE_BYTES, PROT_RWX, MAP_ANONYMOUS_PRIVATE, -1, 0L);
        if (m.address() == -1L) {
            throw new IllegalStateException("no executable mapping (mmap refused PROT_EXEC)");
        }
        code = m.reinterpret(CODE_BYTES);
        // long add(long *r): r[3] += r[4]; return r[3]    (System V: r in rdi, result in rax)
        byte[] addBytes = concat(load(3 + 1), addFrom(3), store(3), new byte[] {(byte) 0xC3});
        MemorySegment.copy(MemorySegment.ofArray(addBytes), 0, code, 0, addBytes.length);
        // long block(long *r): 100 times r[d] += r[s] over r[3..10], then return r[3]
        byte[][] parts = new byte[ADDS * 3 + 2][];
        for (int i = 0; i < ADDS; i++) {
            int d = 3 + i % 8, s = 3 + (i + 1) % 8;
            parts[3 * i] = load(s);
            parts[3 * i + 1] = addFrom(d);
            parts[3 * i + 2] = store(d);
        }
        parts[ADDS * 3] = load(3);
        parts[ADDS * 3 + 1] = new byte[] {(byte) 0xC3};
        byte[] blockBytes = concat(parts);
        long blockAt = 256;
        MemorySegment.copy(MemorySegment.ofArray(blockBytes), 0, code, blockAt, blockBytes.length);
        FunctionDescriptor longOfPointer = FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS);
        add = linker.downcallHandle(code, longOfPointer, Linker.Option.critical(false));
        addOnHeap = linker.downcallHandle(code, longOfPointer, Linker.Option.critical(true));
        block = linker.downcallHandle(code.asSlice(blockAt), longOfPointer, Linker.Option.critical(false));
        registers = Arena.global().allocate(32 * Long.BYTES, Long.BYTES);
        registers.setAtIndex(ValueLayout.JAVA_LONG, 4, 1);
        heapRegisters[4] = 1;
        long before = registers.getAtIndex(ValueLayout.JAVA_LONG, 3);
        if ((long) add.invokeExact(registers) != before + 1) {
            throw new IllegalStateException("the generated add did not add");
        }
    }

    @TearDown
    public void tearDown() throws Throwable {
        MethodHandle munmap = linker.downcallHandle(linker.defaultLookup().find("munmap").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
        int unused = (int) munmap.invokeExact(code, CODE_BYTES);
    }

    /** mov rax, [rdi + 8n] */
    private static byte[] load(int n) {
        return new byte[] {0x48, (byte) 0x8B, 0x47, (byte) (8 * n)};
    }

    /** add rax, [rdi + 8n] */
    private static byte[] addFrom(int n) {
        return new byte[] {0x48, 0x03, 0x47, (byte) (8 * n)};
    }

    /** mov [rdi + 8n], rax */
    private static byte[] store(int n) {
        return new byte[] {0x48, (byte) 0x89, 0x47, (byte) (8 * n)};
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    @Benchmark
    public long callNative() throws Throwable {
        return (long) add.invokeExact(registers);
    }

    @Benchmark
    public long callHeapArray() throws Throwable {
        return (long) addOnHeap.invokeExact(MemorySegment.ofArray(heapRegisters));
    }

    @Benchmark
    @OperationsPerInvocation(ADDS)
    public long block100() throws Throwable {
        return (long) block.invokeExact(registers);
    }

    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;

    /** Ten operations of a translated block, the registers in the array. */
    private static long ten(long[] g) {
        g[3] = g[4] + g[5];
        g[6] = g[3] ^ g[7];
        g[8] = g[6] + 17;
        g[4] = g[8] - g[3];
        g[5] = g[4] | g[9];
        g[7] = g[5] + g[6];
        g[9] = g[7] >>> 3;
        g[10] = g[9] * 5;
        g[3] = g[10] + g[4];
        g[11] = g[3] & g[5];
        return g[11];
    }

    /** The same ten, the registers in a native segment. */
    private static long ten(MemorySegment g) {
        g.setAtIndex(LONG, 3, g.getAtIndex(LONG, 4) + g.getAtIndex(LONG, 5));
        g.setAtIndex(LONG, 6, g.getAtIndex(LONG, 3) ^ g.getAtIndex(LONG, 7));
        g.setAtIndex(LONG, 8, g.getAtIndex(LONG, 6) + 17);
        g.setAtIndex(LONG, 4, g.getAtIndex(LONG, 8) - g.getAtIndex(LONG, 3));
        g.setAtIndex(LONG, 5, g.getAtIndex(LONG, 4) | g.getAtIndex(LONG, 9));
        g.setAtIndex(LONG, 7, g.getAtIndex(LONG, 5) + g.getAtIndex(LONG, 6));
        g.setAtIndex(LONG, 9, g.getAtIndex(LONG, 7) >>> 3);
        g.setAtIndex(LONG, 10, g.getAtIndex(LONG, 9) * 5);
        g.setAtIndex(LONG, 3, g.getAtIndex(LONG, 10) + g.getAtIndex(LONG, 4));
        g.setAtIndex(LONG, 11, g.getAtIndex(LONG, 3) & g.getAtIndex(LONG, 5));
        return g.getAtIndex(LONG, 11);
    }

    @Benchmark
    @OperationsPerInvocation(10)
    public long arrayRegisters() {
        return ten(heapRegisters);
    }

    @Benchmark
    @OperationsPerInvocation(10)
    public long segmentRegisters() {
        return ten(registers);
    }

    @Benchmark
    @OperationsPerInvocation(10)
    @Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1"})
    public long arrayRegistersC1() {
        return ten(heapRegisters);
    }

    @Benchmark
    @OperationsPerInvocation(10)
    @Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1"})
    public long segmentRegistersC1() {
        return ten(registers);
    }
}
