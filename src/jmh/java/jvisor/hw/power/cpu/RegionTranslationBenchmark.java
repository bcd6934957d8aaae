package jvisor.hw.power.cpu;

import java.util.concurrent.TimeUnit;
import jvisor.memory.RealMemory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one translation costs the translator thread before HotSpot compiles it: the walk of the
 * guest code, the bytecode (written twice: once to find the guest state the code uses, then for
 * good) and the definition of the hidden class. The code is a 25-instruction region of the size
 * a Linux boot's quick regions have on average (31): a loop of loads, stores, ALU work, a compare
 * and a forward branch, then straight-line code to a blr. Scores are microseconds a translation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RegionTranslationBenchmark {
    private RealMemory memory;
    private DecodePage page;

    @Setup
    public void setUp() {
        Core core = CoreLoopBenchmark.core(
            0x80640000, // lwz r3,0(r4)
            0x38630001, // addi r3,r3,1
            0x90640000, // stw r3,0(r4)
            0xe9240000, // ld r9,0(r4)
            0x2c270000, // cmpdi r7,0
            0x40820008, // bne +8
            0x38a50001, // addi r5,r5,1
            0x54a61838, // rlwinm r6,r5,3,0,28
            0x7ce73214, // add r7,r7,r6
            0x7ce82a78, // xor r8,r7,r5
            0x7d4949d2, // mulld r10,r9,r9
            0x7d6b5014, // addc r11,r11,r10
            0xf9640008, // std r11,8(r4)
            0x4200ffcc, // bdnz to the start
            0x38a50001, 0x54a61838, 0x7ce73214, 0x7ce82a78, 0x80640000, 0x38630001,
            0x90640000, 0x7d4949d2, 0x7d6b5014, 0xf9640008,
            0x4e800020); // blr
        memory = core.memory;
        page = core.decodeCache.page(CoreLoopBenchmark.CODE >>> 12, false);
    }

    @Benchmark
    public RegionCompiler.Translation quickRegion() {
        return RegionCompiler.translate(page, 0, memory, -1L, null);
    }
}
