package jvisor.fuzz;

/**
 * Runs one engine's campaign and gathers its figures: the operations, what the tally counted, the
 * peak heap while it ran, the wall time.
 */
public final class Campaign {
    private Campaign() {
    }

    /** Runs {@code engine} for about {@code ops} operations from {@code seed}. */
    public static FuzzReport run(FuzzEngine engine, long ops, long seed) {
        if (!jvisor.memory.FrameGuard.ENABLED) {
            throw new IllegalStateException("the memory guard is off: run with -Djvisor.memory.guard=true");
        }
        Tally tally = new Tally();
        System.gc(); // the peak is this campaign's, not the garbage of the one before
        long t0 = System.nanoTime();
        long heap;
        try (HeapSampler sampler = new HeapSampler()) {
            try {
                engine.run(ops, seed, tally);
            } catch (Throwable t) {
                tally.hostException(engine.name() + " campaign", t);
            }
            heap = sampler.peakMb();
        }
        long wall = (System.nanoTime() - t0) / 1_000_000;
        return new FuzzReport(engine.name(), seed, tally.ops(), tally.hostExceptions(), tally.outsideAccesses(),
                tally.leakedFrames(), heap, wall, tally.figures(), tally.findings());
    }
}
