package jvisor.hw.power.cpu;

import java.util.concurrent.TimeUnit;
import jvisor.hw.power.MmuRegisters;
import jvisor.hw.power.Msr;
import jvisor.hw.power.TlbControl;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of the POWER9 core, interpreted ({@code jit=false}) and with hot code translated to
 * JVM bytecode ({@code jit=true}).
 *
 * <table>
 * <tr><th>benchmark</th><th>what it measures</th></tr>
 * <tr><td>aluLoop</td><td>decoded-instruction dispatch on register-only code (add, rotate, compare, bdnz)</td></tr>
 * <tr><td>loadStoreLoop</td><td>the per-core data translation fast path: a load, a store and ALU work per iteration</td></tr>
 * <tr><td>carryLoop</td><td>a multi-precision inner loop (as the kernel's RSA code): a load, a multiply, the carrying
 * adds and subtracts (addc, adde, subfc, subfe, addze) and a store per iteration</td></tr>
 * <tr><td>mpiLoop</td><td>the inner loop of Debian's kernel's multi-precision multiply-and-subtract
 * ({@code mpihelp_submul_1}, as built by its compiler): 31 instructions a limb, two loads and a store, four
 * mulld on 32-bit halves, carries through subfc and subfe, a compare and a branch inside; the loop that runs
 * most of the kernel's instructions in a boot (its crypto self-tests and certificate checks)</td></tr>
 * <tr><td>callLoop</td><td>a loop that calls a two-instruction function on the next page: every
 * iteration leaves translated code twice (bl, blr), as the kernel's calls across its text do, unless the
 * translation takes in the neighbouring page (a whole region does)</td></tr>
 * <tr><td>zeroLoop</td><td>dcbz round a 4 KiB page, a 128-byte block an iteration (the kernel clears its pages
 * so): the instruction's body through the data cache, interpreted or called from translated code</td></tr>
 * <tr><td>vectorLoop</td><td>lvx and stvx copying a 4 KiB page 16 bytes an iteration (the kernel's memcpy_power7
 * for large copies): the body of an instruction of a facility (VMX) called from translated code</td></tr>
 * <tr><td>farCallLoop</td><td>the same loop calling a function five pages away, beyond any region's reach:
 * every iteration goes through the run loop twice (region exit, lookup, entry), the cost of each of
 * the some 17 M entries to translations in a Linux boot</td></tr>
 * </table>
 * Scores are instructions per microsecond (MIPS).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CoreLoopBenchmark {
    static final int N = 1_000_000;
    static final long CODE = 0x10000, DATA = 0x20000;

    @Param({"false", "true"})
    public boolean jit;

    private Core alu, loadStore, carry, mpi, call, farCall, zero, vector;

    /**
     * A core in 64-bit real mode over 1 MiB of memory holding {@code words} at {@link #CODE}, with
     * r4 pointing at {@link #DATA}; its own decode cache (also {@link RegionTranslationBenchmark}'s).
     */
    static Core core(int... words) {
        return core(false, words);
    }

    /** The same, big- or little-endian (MSR[LE], and the byte order the words are stored in). */
    static Core core(boolean littleEndian, int... words) {
        ByteMemory memory = new ByteMemory(1 << 20);
        for (int i = 0; i < words.length; i++) {
            if (littleEndian) {
                memory.writeIntLE(CODE + 4L * i, words[i]);
            } else {
                memory.writeIntBE(CODE + 4L * i, words[i]);
            }
        }
        Core c = new Core(memory, new IdentityMmu(memory), new MmuRegisters(), TlbControl.NONE, () -> 0,
                new ReservationMonitor(1), new DecodeCache(memory.size()), 0);
        c.setMsr(Msr.SF | Msr.ME | (littleEndian ? Msr.LE : 0));
        c.setGpr(4, DATA);
        return c;
    }

    /** A core at {@link #MPI_LOOP} with its registers and 256 KiB of limbs set up (also {@link NativeTierBenchmark}'s). */
    static Core mpiCore(boolean littleEndian) {
        Core mpi = core(littleEndian, MPI_LOOP);
        mpi.setGpr(3, DATA + 0x40000);
        mpi.setGpr(12, 0x9E37_79B9L);
        mpi.setGpr(31, 0x7F4A_7C15L);
        mpi.setGpr(29, 1L << 32);
        for (int i = 0; i < 0x40000; i += 8) {
            if (littleEndian) {
                mpi.memory.writeLongLE(DATA + i, 0x0123_4567_89AB_CDEFL * (i + 1));
            } else {
                mpi.memory.writeLongBE(DATA + i, 0x0123_4567_89AB_CDEFL * (i + 1));
            }
        }
        return mpi;
    }

    /**
     * The inner loop of the kernel's mpihelp_submul_1 as its compiler built it (see mpiLoop): r4
     * the source limbs, r3 the result limbs, r6 the offset (r28 - r30) * 8, r12 and r31 the
     * multiplier's halves, r29 2^32, r8 the borrow.
     */
    static final int[] MPI_LOOP = {0x7cdee050, 0x38a50001, 0x78c61f24, 0x7cbc07b4, 0x7d24302a, 0x79270022, 0x792a0020,
                0x7c0761d2, 0x7d2a61d2, 0x7d5f51d2, 0x7cff39d2, 0x792b0022, 0x7d4a0214, 0x7d4b5214, 0x7949000e,
                0x7c2a0040, 0x795b0022, 0x7d294214, 0x7d084810, 0x40800008, 0x7ce7ea14, 0x7d43302a, 0x7d6b5910,
                0x7d6bd850, 0x7d295050, 0x7d495010, 0x7d23312a, 0x7d084110, 0x7d085850, 0x7d083a14, 0x4200ff88};

    @Setup
    public void setUp() {
        // addi r5,r5,1; rlwinm r6,r5,3,0,28; add r7,r7,r6; cmpdi r7,0; xor r8,r7,r5; bdnz .-20
        alu = core(0x38a50001, 0x54a61838, 0x7ce73214, 0x2c270000, 0x7ce82a78, 0x4200ffec);
        // lwz r3,0(r4); addi r3,r3,1; stw r3,0(r4); addi r5,r5,1; rlwinm r6,r5,3,0,28; add r7,r7,r6; cmpdi r7,0; bdnz .-28
        loadStore = core(0x80640000, 0x38630001, 0x90640000, 0x38a50001, 0x54a61838, 0x7ce73214, 0x2c270000,
                0x4200ffe4);
        // ld r9,0(r4); mulld r10,r9,r9; addc r11,r11,r10; adde r12,r12,r9; subfc r8,r10,r11;
        // subfe r7,r7,r7; addze r6,r6; std r11,8(r4); bdnz .-32
        carry = core(0xe9240000, 0x7d4949d2, 0x7d6b5014, 0x7d8c4914, 0x7d0a5810, 0x7ce73910, 0x7cc60194,
                0xf9640008, 0x4200ffe0);
        // mpihelp_submul_1's loop: r4 the source limbs, r3 the result limbs (0x40000 on), r6 the
        // offset (r28 - r30) * 8, r12 and r31 the multiplier's halves, r29 2^32, r8 the borrow.
        mpi = mpiCore(false);
        mpi.setJit(jit);
        // A loop calling a function on the next page: addi r5,r5,1; bl F; add r7,r7,r6; bdnz .-12,
        // and F: rlwinm r6,r5,3,0,28; blr. Two branches out of a page each iteration.
        call = core(0x38a50001, 0x48000ffd, 0x7ce73214, 0x4200fff4);
        call.setJit(jit);
        writeCode(call, CODE + 0x1000, 0x54a61838, 0x4e800020);
        // The same with bl F five pages on (0x48004ffd: bl .+0x4ffc).
        farCall = core(0x38a50001, 0x48004ffd, 0x7ce73214, 0x4200fff4);
        farCall.setJit(jit);
        writeCode(farCall, CODE + 0x5000, 0x54a61838, 0x4e800020);
        // dcbz r4,r9; addi r9,r9,128; andi. r9,r9,0xf80; bdnz .-12
        zero = core(0x7c044fec, 0x39290080, 0x71290f80, 0x4200fff4);
        zero.setJit(jit);
        // lvx v0,r4,r9; stvx v0,r5,r9; addi r9,r9,16; andi. r9,r9,0xff0; bdnz .-16, with MSR[VEC] on
        vector = core(0x7c0448ce, 0x7c0549ce, 0x39290010, 0x71290ff0, 0x4200fff0);
        vector.setMsr(Msr.SF | Msr.ME | Msr.VEC);
        vector.setGpr(5, DATA + 0x1000);
        vector.setJit(jit);
        alu.setJit(jit);
        loadStore.setJit(jit);
        carry.setJit(jit);
    }

    private static void writeCode(Core c, long at, int... words) {
        for (int i = 0; i < words.length; i++) {
            c.memory.writeIntBE(at + 4L * i, words[i]);
        }
    }

    /** Runs {@code c}'s loop at CODE for N instructions. */
    static int loop(Core c) {
        c.setPc(CODE);
        c.setCtr(Long.MAX_VALUE);
        return c.run(N);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int aluLoop() {
        return loop(alu);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int loadStoreLoop() {
        return loop(loadStore);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int carryLoop() {
        return loop(carry);
    }

    /** N instructions of the limb loop from its first limb (some 32 K limbs, 256 KiB of each vector). */
    @Benchmark
    @OperationsPerInvocation(N)
    public int mpiLoop() {
        mpi.setGpr(5, 0);
        mpi.setGpr(28, 0);
        mpi.setGpr(30, 0);
        return loop(mpi);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int callLoop() {
        return loop(call);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int farCallLoop() {
        return loop(farCall);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int zeroLoop() {
        return loop(zero);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int vectorLoop() {
        return loop(vector);
    }
}
