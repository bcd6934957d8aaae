package jvisor.vmm;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The host processor time of a machine's run, for its timeline ({@code run --stats}): what the
 * vCPU threads used, what the whole process used (the vCPUs, jvisor's translator, HotSpot's
 * compilers and collector, devices), and how long HotSpot's compilers were compiling. On a host
 * with as many processors as busy threads, the three show whether the guest waited for a
 * processor while jvisor's own code and its translations were being compiled: a cold boot of
 * Debian's kernel on two processors keeps both busy for its first two seconds (the process 1.7-1.9
 * processors, compilations under way 0.7-1.3 on average), the vCPU thread getting 0.78-0.87 of one,
 * and 0.98 in its last second.
 *
 * <p>A vCPU thread's time is read while it runs, and recorded by the thread itself as it ends
 * ({@link #ended}), after which the JVM no longer tells it. A figure the JVM does not offer is -1.
 */
public final class HostCpu {
    /** Nanoseconds of processor time, summed over the vCPU threads and for the process, and nanoseconds compiling. */
    record Reading(long vcpus, long process, long compiling) {
        static final Reading UNKNOWN = new Reading(-1, -1, -1);
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean THREAD_TIME = THREADS.isThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();

    private final long[] threadIds;
    private final AtomicLongArray endedAt;

    HostCpu(int vcpus) {
        threadIds = new long[vcpus];
        Arrays.fill(threadIds, -1);
        endedAt = new AtomicLongArray(vcpus);
    }

    /** vCPU {@code index} runs on the thread {@code t} from now on. */
    synchronized void started(int index, Thread t) {
        threadIds[index] = t.threadId();
    }

    /** Called by vCPU {@code index}'s thread as its last act: its processor time is kept. */
    void ended(int index) {
        if (THREAD_TIME) endedAt.set(index, THREADS.getCurrentThreadCpuTime());
    }

    /** The figures now: the vCPU threads read before the process, so the process's is never the smaller. */
    Reading read() {
        long vcpus = -1;
        if (THREAD_TIME) {
            vcpus = 0;
            synchronized (this) {
                for (int i = 0; i < threadIds.length; i++) {
                    long t = threadIds[i] < 0 ? -1 : THREADS.getThreadCpuTime(threadIds[i]);
                    // A thread that has ended is no longer known to the JVM: its own last reading.
                    vcpus += t >= 0 ? t : endedAt.get(i);
                }
            }
        }
        return new Reading(vcpus, processTime(), compileTime());
    }

    /**
     * Nanoseconds of processor time this JVM has used so far on all its threads (the guest's,
     * HotSpot's compilers, the collector), or -1 if the platform does not tell.
     */
    public static long processTime() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            long t = sun.getProcessCpuTime();
            return t >= 0 ? t : -1;
        }
        return -1;
    }

    private static long compileTime() {
        CompilationMXBean c = ManagementFactory.getCompilationMXBean();
        return c != null && c.isCompilationTimeMonitoringSupported() ? c.getTotalCompilationTime() * 1_000_000 : -1;
    }
}
