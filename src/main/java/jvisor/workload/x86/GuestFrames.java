package jvisor.workload.x86;

/**
 * The guest kernel's page allocator: page-table pages, directories and kernel stacks from the
 * first quarter of guest memory, process and vmalloc pages from the rest, each frame with a
 * count of the mappings sharing it (copy-on-write after fork). Frame 0 is never handed out.
 */
final class GuestFrames {
    static final long NONE = -1;

    private final long kernelEnd;
    private final long end;
    private final int[] refs;
    private final long[] freeKernel, freeUser;
    private int freeKernelTop, freeUserTop;
    private long nextKernel = 1, nextUser;

    GuestFrames(long frames) {
        this.end = frames;
        this.kernelEnd = frames / 4;
        this.nextUser = kernelEnd;
        this.refs = new int[(int) frames];
        this.freeKernel = new long[(int) kernelEnd];
        this.freeUser = new long[(int) (frames - kernelEnd)];
    }

    long kernelEnd() {
        return kernelEnd;
    }

    /** A frame for kernel use (tables, directories, stacks), or NONE. */
    long allocateKernel() {
        long f = freeKernelTop > 0 ? freeKernel[--freeKernelTop] : nextKernel < kernelEnd ? nextKernel++ : NONE;
        if (f != NONE) refs[(int) f] = 1;
        return f;
    }

    /** A frame for a process or vmalloc page, or NONE. */
    long allocateUser() {
        long f = freeUserTop > 0 ? freeUser[--freeUserTop] : nextUser < end ? nextUser++ : NONE;
        if (f != NONE) refs[(int) f] = 1;
        return f;
    }

    void get(long frame) {
        refs[(int) frame]++;
    }

    int refs(long frame) {
        return refs[(int) frame];
    }

    /** Drops a reference; true when the frame went back to the free lists. */
    boolean put(long frame) {
        if (--refs[(int) frame] > 0) return false;
        if (frame < kernelEnd) freeKernel[freeKernelTop++] = frame;
        else freeUser[freeUserTop++] = frame;
        return true;
    }

    /** Whether the frame belongs to this allocator (guest memory, not a device). */
    boolean owns(long frame) {
        return frame > 0 && frame < end;
    }
}
