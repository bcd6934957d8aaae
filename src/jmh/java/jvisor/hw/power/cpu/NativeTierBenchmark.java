package jvisor.hw.power.cpu;

import java.util.concurrent.TimeUnit;
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
    private static final int N = CoreLoopBenchmark.N;
    static final long CODE = CoreLoopBenchmark.CODE;

    @Param({"interpreter", "blocks", "regions", "default"})
    public String tier;

    private Core mpi, farCall, writer;
    private DecodePage page;

    /** CoreLoopBenchmark's little-endian core, with this benchmark's tiers. */
    private Core core(int... words) {
        return tiered(CoreLoopBenchmark.core(true, words));
    }

    private Core tiered(Core c) {
        switch (tier) {
            case "interpreter" -> c.setJit(false);
            case "blocks" -> {
                c.natives().setEnabled(true);
                c.tiering().setRegions(false);
            }
            case "regions" -> {
                c.natives().setEnabled(false);
                c.tiering().setThreshold(64);
            }
            default -> c.natives().setEnabled(true);
        }
        return c;
    }

    @Setup
    public void setUp() {
        mpi = tiered(CoreLoopBenchmark.mpiCore(true));
        // addi r5,r5,1; bl .+0x4ffc; add r7,r7,r6; bdnz .-12, and there rlwinm r6,r5,3,0,28; blr
        farCall = core(0x38a50001, 0x48004ffd, 0x7ce73214, 0x4200fff4);
        farCall.memory.writeIntLE(CODE + 0x5000, 0x54a61838);
        farCall.memory.writeIntLE(CODE + 0x5004, 0x4e800020);
        writer = core(CoreLoopBenchmark.MPI_LOOP);
        page = writer.decodeCache.page(CODE >>> 12, true);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int mpiLoop() {
        // The limb index from 0 again: 1M instructions walk 256 KiB of limbs.
        mpi.setGpr(5, 0);
        mpi.setGpr(30, 0);
        return CoreLoopBenchmark.loop(mpi);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int farCallLoop() {
        return CoreLoopBenchmark.loop(farCall);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public byte[] writeBlock() {
        return NativeBlockWriter.write(page, (int) (CODE & 0xFFF) >>> 2, writer.memory, 0x1000, null);
    }
}
