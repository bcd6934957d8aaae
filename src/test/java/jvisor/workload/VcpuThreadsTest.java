package jvisor.workload;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A simulation's vCPU threads: whatever one throws fails the run, after every thread ended. */
class VcpuThreadsTest {

    @Test
    void anErrorOnOneVcpuThreadFailsTheRunAfterTheOthersFinished() {
        AtomicInteger finished = new AtomicInteger();
        Runnable fine = () -> {
            for (int i = 0; i < 1000; i++) Thread.onSpinWait();
            finished.incrementAndGet();
        };
        Runnable failing = () -> {
            throw new OutOfMemoryError("Java heap space");
        };
        VcpuThreads.VcpuFailure f = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> assertThrows(VcpuThreads.VcpuFailure.class, () -> VcpuThreads.runAll(List.of(fine, failing, fine))));
        assertEquals(2, finished.get(), "the other vCPUs ran to their end");
        assertInstanceOf(OutOfMemoryError.class, f.getCause());
        assertTrue(f.getMessage().startsWith("vcpu-1 failed: java.lang.OutOfMemoryError"), f.getMessage());
    }

    @Test
    void threadsThatEndNormallyEndTheRunNormally() {
        AtomicInteger ran = new AtomicInteger();
        VcpuThreads.runAll(List.of(ran::incrementAndGet, ran::incrementAndGet));
        assertEquals(2, ran.get());
    }
}
