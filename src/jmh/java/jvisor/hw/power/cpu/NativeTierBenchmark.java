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
 * The native tier's two costs: writing a block, and running guest code as blocks, against the
 * interpreter and the region tiers (x86-64 Linux only; elsewhere the set-up fails).
 *
 * <table>
 * <tr><th>benchmark</th><th>what it measures</th></tr>
 * <tr><td>writeBlock</td><td>microseconds to write one block of the mpi loop's 31 instructions
 * (templates, exits, the assembler), the price of a branch target getting a block</td></tr>
 * <tr><td>mpiLoop</td><td>the kernel's multi-precision inner loop ({@link CoreLoopBenchmark}'s, in
 * little-endian): {@code tier} interpreter (translation off), blocks (blocks only, no regions),
 * regions (no blocks: the region tiers after 64 runs), default (both, as a machine runs)</td></tr>
 * <tr><td>farCallLoop</td><td>a loop calling a function five pages away: each iteration two blocks'
 * exits through the jump cache, where the region tiers go through the run loop twice</td></tr>
 * </table>
 * The loops' scores are instructions per microsecond (MIPS).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NativeTierBenchmark {
    private static final int N = 1_000_000;
    static final long CODE = 0x10000, DATA = 0x20000;

    @Param({"interpreter", "blocks", "regions", "default"})
    public String tier;

    private Core mpi, farCall, writer;
    private DecodePage page;

    private static final int[] MPI_LOOP = {0x7cdee050, 0x38a50001, 0x78c61f24, 0x7cbc07b4, 0x7d24302a, 0x79270022,
        0x792a0020, 0x7c0761d2, 0x7d2a61d2, 0x7d5f51d2, 0x7cff39d2, 0x792b0022, 0x7d4a0214, 0x7d4b5214, 0x7949000e,
        0x7c2a0040, 0x795b0022, 0x7d294214, 0x7d084810, 0x40800008, 0x7ce7ea14, 0x7d43302a, 0x7d6b5910, 0x7d6bd850,
        0x7d295050, 0x7d495010, 0x7d23312a, 0x7d084110, 0x7d085850, 0x7d083a14, 0x4200ff88};

    private Core core(int... words) {
        ByteMemory memory = new ByteMemory(1 << 20);
        for (int i = 0; i < words.length; i++) {
            memory.writeIntLE(CODE + 4L * i, words[i]);
        }
        Core c = new Core(memory, new IdentityMmu(memory), new MmuRegisters(), TlbControl.NONE, () -> 0,
                new ReservationMonitor(1), new DecodeCache(memory.size()), 0);
        c.setMsr(Msr.SF | Msr.ME | Msr.LE);
        c.setGpr(4, DATA);
        switch (tier) {
            case "interpreter" -> c.setJit(false);
            case "blocks" -> {
                c.setNativeBlocks(true);
                c.tiering().setRegions(false);
            }
            case "regions" -> {
                c.setNativeBlocks(false);
                c.tiering().setThreshold(64);
            }
            default -> c.setNativeBlocks(true);
        }
        return c;
    }

    @Setup
    public void setUp() {
        mpi = core(MPI_LOOP);
        mpi.setGpr(3, DATA + 0x40000);
        mpi.setGpr(12, 0x9E37_79B9L);
        mpi.setGpr(31, 0x7F4A_7C15L);
        mpi.setGpr(29, 1L << 32);
        for (int i = 0; i < 0x40000; i += 8) {
            mpi.memory.writeLongLE(DATA + i, 0x0123_4567_89AB_CDEFL * (i + 1));
        }
        // addi r5,r5,1; bl .+0x4ffc; add r7,r7,r6; bdnz .-12, and there rlwinm r6,r5,3,0,28; blr
        farCall = core(0x38a50001, 0x48004ffd, 0x7ce73214, 0x4200fff4);
        farCall.memory.writeIntLE(CODE + 0x5000, 0x54a61838);
        farCall.memory.writeIntLE(CODE + 0x5004, 0x4e800020);
        writer = core(MPI_LOOP);
        page = writer.decodeCache.page(CODE >>> 12, true);
    }

    private static int loop(Core c) {
        c.setPc(CODE);
        c.setCtr(Long.MAX_VALUE);
        return c.run(N);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int mpiLoop() {
        // The limb index from 0 again: 1M instructions walk 256 KiB of limbs.
        mpi.setGpr(5, 0);
        mpi.setGpr(30, 0);
        return loop(mpi);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int farCallLoop() {
        return loop(farCall);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public byte[] writeBlock() {
        return NativeBlockWriter.write(page, (int) (CODE & 0xFFF) >>> 2, writer.memory, 0x1000, null);
    }
}
