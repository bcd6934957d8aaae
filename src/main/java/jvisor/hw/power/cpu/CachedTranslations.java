package jvisor.hw.power.cpu;

import jvisor.hw.power.Mmu;
import jvisor.hw.power.ProcessTableWatch;
import jvisor.hw.power.RadixMmu;
import jvisor.hw.power.Tlbie;

/**
 * What a {@link Core} does when translations change: which of the translations its caches hold
 * (the data cache of its {@link LoadStoreUnit}, its {@link FetchCache}, the jump caches of its
 * {@link NativeCore}) go, on a tlbie, a context change or a request from another core.
 *
 * <p>A tlbie of one process-scoped page drops that page; a process-scoped tlbie of more (a PID,
 * an LPID, everything) drops only what was written in the guest's tables since this core's last
 * full flush ({@link ProcessTableWatch}), the rest staying what a walk would find again; any
 * other change drops everything.
 */
final class CachedTranslations {
    private final Core core;
    private final Mmu mmu;
    /** What this core knows of the guest tables its translations came from (null: nothing). */
    private final ProcessTableWatch.View tables;
    private final long[] written = new long[64];

    CachedTranslations(Core core, Mmu mmu, DecodeCache decodeCache) {
        this.core = core;
        this.mmu = mmu;
        if (mmu instanceof RadixMmu r && r.tables() == null && decodeCache != null) {
            r.watchTables(decodeCache.tables());
        }
        this.tables = mmu == null ? null : mmu.tables();
    }

    /** Drops every cached translation of this core (fetch and data). */
    void flushAll() {
        if (tables != null) {
            tables.flushedAll();
        }
        NativeTier.unchain();
        core.lsu.flush();
        core.fetch.flush();
    }

    /**
     * This core's tlbie or tlbiel took effect (fields as the instruction gives them): a
     * process-scoped one for one address drops just that page's entries from this core's caches,
     * as the hardware's TLB keeps every other page's (also with RIC=1 or 2, which add the
     * page-walk cache: this core caches only final translations). The kernel invalidates single
     * pages constantly, a Linux boot some 100,000 times. A process-scoped one of more drops what
     * was written in the guest's tables ({@link #dropWritten}), some 68,000 times a boot; any
     * other form everything.
     */
    void invalidated(boolean processScoped, int is, long epn, int pageShift) {
        if (is == Tlbie.IS_ADDRESS && processScoped) {
            drop(epn, pageShift);
        } else if (!processScoped || !dropWritten()) {
            flushAll();
        }
    }

    private void drop(long ea, int shift) {
        core.lsu.invalidatePage(ea, shift);
        core.fetch.invalidatePage(ea, shift);
        core.natives.forgetJumps(ea, shift);
    }

    /**
     * Drops the translations of what was written in the guest's process-scoped tables since this
     * core's last full flush, and keeps the others; false when everything must go instead.
     */
    boolean dropWritten() {
        int n = tables == null ? -1 : tables.drain(written);
        for (int k = 0; k < n; k++) {
            drop(ProcessTableWatch.address(written[k]), ProcessTableWatch.shift(written[k]));
        }
        return n >= 0;
    }

    /** A translation SPR changed: the MMU and this core's caches must forget. */
    void contextChanged() {
        mmu.contextChanged();
        flushAll();
    }

    /**
     * PIDR changed: the MMU drops the old process's translations; this core's data cache all of
     * them, its fetch cache those outside quadrant 3 (the kernel's code stays cached across a
     * context switch).
     */
    void processIdChanged(long pid) {
        NativeTier.unchain(); // quadrant 0's addresses now lead to the new process's code
        mmu.processIdChanged(pid);
        core.lsu.flush();
        core.fetch.processChanged();
    }
}
