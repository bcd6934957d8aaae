package jvisor.hw.power.cpu;

import jvisor.memory.RealMemory;

import java.util.Arrays;

/**
 * The decoded form of one 4 KiB page of real memory read in one byte order: per instruction slot,
 * the operation index in the high word and the instruction word in the low word of one long, so a
 * core always sees a matching pair even while another core re-decodes the slot. Zero means "not
 * decoded yet" (operation 0 is never used).
 */
final class DecodePage {
    static final int SLOTS = 1024;

    final long realBase;
    final boolean littleEndian;
    final long[] entries = new long[SLOTS];
    private final DecodeCache owner;

    DecodePage(DecodeCache owner, long realBase, boolean littleEndian) {
        this.owner = owner;
        this.realBase = realBase;
        this.littleEndian = littleEndian;
    }

    /** Decodes the slot from memory and returns its entry. */
    long decode(int slot, RealMemory memory) {
        // Mark before reading, so a store racing with this decode is seen as a store to code.
        owner.markDecoded(realBase >>> DecodeCache.PAGE_SHIFT);
        long ra = realBase + ((long) slot << 2);
        int word = littleEndian ? memory.readIntLE(ra) : memory.readIntBE(ra);
        long entry = ((long) Decoder.decode(word) << 32) | (word & 0xFFFF_FFFFL);
        entries[slot] = entry;
        return entry;
    }

    /** The page was written: every slot is decoded again from memory on its next execution. */
    void invalidate() {
        Arrays.fill(entries, 0L);
    }
}
