package jvisor.hw.power.cpu;

import jvisor.memory.RealMemory;

import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The decoded form of one 4 KiB page of real memory read in one byte order: per instruction slot,
 * the operation index in the high word and the instruction word in the low word of one long, so a
 * core always sees a matching pair even while another core re-decodes the slot. Zero means "not
 * decoded yet" (operation 0 is never used); the sign bit ({@link #ENTERED}) that a translation
 * can be entered at the slot.
 */
final class DecodePage {
    static final int SLOTS = 1024;

    final long realBase;
    final boolean littleEndian;
    final long[] entries = new long[SLOTS];
    private final DecodeCache owner;

    /**
     * Bumped by every invalidation. A translation remembers the generation it was made from and is
     * never entered, nor continued after one of its own stores, once the page has moved on.
     */
    volatile int generation;
    /**
     * The generation as a plain field, for compiled code checking after its own stores: the
     * invalidation it looks for happened on its own thread, so no volatile read is needed.
     */
    int stamp;
    /** Compiled regions by entry slot; null while nothing on the page is compiled. */
    CompiledRegion[] regions;
    /**
     * How often interpretation started at each slot (a branch target), unsigned 16-bit (up to
     * {@link #MAX_HEAT}); null until first counted.
     */
    private char[] heat;
    private int regionCount;
    /** Native blocks by slot ({@link NativeTier#want}): their code addresses, or NONE, WANTED, NO_BLOCK; null until one is wanted. */
    long[] nativeCode;
    /** Dropped from the cache for good (its bound was reached): empty, and never filled again. */
    volatile boolean retired;

    DecodePage(DecodeCache owner, long realBase, boolean littleEndian) {
        this.owner = owner;
        this.realBase = realBase;
        this.littleEndian = littleEndian;
    }

    /**
     * Set in a slot's entry where a translation can be entered (by {@link #install}; cleared with
     * the translations): the interpreter's straight-line run stops before such a slot so that the
     * run loop enters the translation, with the one test of the entry it makes anyway (negative or
     * zero: entered, or not decoded yet) instead of a look at the regions array at every
     * instruction. A hint: a slot decoded again after the install loses it, and the run loop
     * finds the translation there at the next branch.
     */
    static final long ENTERED = Long.MIN_VALUE;

    /** The decoded entry of the slot: the one kept, or decoded now ({@link #decode}). */
    long entry(int slot, RealMemory memory) {
        long e = kept(slot);
        return e != 0 ? e : decode(slot, memory);
    }

    /** The entry kept for the slot, without its {@link #ENTERED} mark; zero if it is not decoded yet. */
    long kept(int slot) {
        return entries[slot] & ~ENTERED;
    }

    /**
     * Decodes the slot from memory and returns its entry (to execute now). The entry stays in the
     * slot only if the page was not invalidated meanwhile: another core's store may land between
     * the read of the word and the write of the entry, and its invalidation, which both clears
     * the slots and unmarks the page, would otherwise be undone by this write, leaving the old
     * instruction in a page no later store or icbi looks at.
     */
    long decode(int slot, RealMemory memory) {
        int before = generation;
        // Mark before reading, so a store racing with this decode is seen as a store to code.
        owner.markDecoded(realBase >>> DecodeCache.PAGE_SHIFT);
        long ra = realBase + ((long) slot << 2);
        int word = littleEndian ? memory.readIntLE(ra) : memory.readIntBE(ra);
        long entry = ((long) Decoder.decode(word) << 32) | (word & 0xFFFF_FFFFL);
        if (!retired) {
            entries[slot] = entry;
            // An invalidation (or retirement, which also empties the page: nothing invalidates a
            // retired page, so nothing may stay in it) that raced with this decode empties the
            // slot again; one that comes later clears it itself, as it bumps the generation first.
            VarHandle.fullFence();
            if (retired || generation != before) {
                entries[slot] = 0;
            }
        }
        return entry;
    }

    /** Leaves the cache: emptied, its translations dropped, and never filled again. */
    void retire() {
        synchronized (this) {
            retired = true;
            invalidate();
        }
    }

    /** The page was written: every slot is decoded again from memory on its next execution. */
    void invalidate() {
        synchronized (this) {
            stamp = ++generation;
            Arrays.fill(entries, 0L);
            if (nativeCode != null) {
                nativeCode = null;
                NativeTier.unchain();
            }
            dropCompiled();
        }
    }

    static final int MAX_HEAT = Character.MAX_VALUE;

    /**
     * Adds {@code weight} to the heat of {@code slot} (an interpretation started there; the heat
     * stops at {@link #MAX_HEAT}) and returns the heat it had before.
     */
    int warm(int slot, int weight) {
        char[] h = heat;
        if (h == null) {
            heat = h = new char[SLOTS];
        }
        int before = h[slot];
        h[slot] = (char) Math.min(before + weight, MAX_HEAT);
        return before;
    }

    /**
     * The slot's translation was asked for before it got as hot as the threshold: it is not asked
     * for again. (Another core's store may have dropped the page's heat meanwhile: then the page
     * starts over.)
     */
    void translationAsked(int slot) {
        char[] h = heat;
        if (h != null) {
            h[slot] = MAX_HEAT;
        }
    }

    /** The translation entered at {@code slot} for the mode of {@code addrMask}, made from the page as it is; null if none. */
    CompiledRegion translationAt(int slot, long addrMask) {
        CompiledRegion[] r = regions;
        CompiledRegion there = r == null ? null : r[slot];
        return there != null && there.current(this, addrMask) ? there : null;
    }

    /**
     * Makes a translation reachable from its entry slots, unless the page changed while it was
     * made; it takes the place of {@code replacing} (or null) at the slots it shares with it, and
     * a replaced region no slot leads to any more is no longer counted. A whole region has fewer
     * entries than the quick one it replaces ({@link RegionCompiler.Region#discover}): the quick
     * one stays at the others, where the dispatcher comes after a miss in the data cache and the
     * like, and runs the code from there in C1's code, until it leaves at a branch or a loop head
     * at the end of its slice. (Emptied, such slots were interpreted, grew hot and got quick
     * regions of their own, a dozen instructions long: the smp-sieve guest's run loop entered
     * them 2.3-3.6 M times and it took 1.16 of the time.) A replacement for a
     * region the page no longer has (dropped, or replaced already by another core's request), and
     * a translation whose every entry already leads to another, are not installed.
     */
    synchronized boolean install(CompiledRegion region, int[] entrySlots, CompiledRegion replacing) {
        if (region.generation != generation || retired) {
            return false;
        }
        CompiledRegion[] r = regions;
        if (replacing != null && !leadsTo(r, replacing)) {
            return false;
        }
        if (r == null) {
            regions = r = new CompiledRegion[SLOTS];
        }
        boolean reachable = false;
        for (int s : entrySlots) {
            if (r[s] == null || (replacing != null && r[s] == replacing)) {
                r[s] = region;
                reachable = true;
                long e = entries[s];
                if (e != 0) {
                    entries[s] = e | ENTERED;
                }
            }
        }
        if (!reachable) {
            return false; // every entry already leads to another translation
        }
        regionCount++;
        owner.regionsAdded(1);
        if (nativeCode != null) {
            // Native blocks that jump here by address take the region from now on (via the run loop).
            NativeTier.unchain();
        }
        if (replacing != null && !leadsTo(r, replacing)) {
            regionCount--;
            owner.regionsAdded(-1);
        }
        return true;
    }

    /** Whether some slot of the regions array (null: none yet) still leads to {@code region}. */
    private static boolean leadsTo(CompiledRegion[] regions, CompiledRegion region) {
        return regions != null && Arrays.asList(regions).contains(region);
    }

    /** Forgets the page's translations (they become garbage, their classes unloadable) and its counts. */
    synchronized void dropCompiled() {
        if (regions != null) {
            for (int s = 0; s < SLOTS; s++) {
                if (regions[s] != null) {
                    entries[s] &= ~ENTERED;
                }
            }
        }
        regions = null;
        heat = null;
        if (regionCount != 0) {
            owner.regionsAdded(-regionCount);
            regionCount = 0;
        }
    }
}
