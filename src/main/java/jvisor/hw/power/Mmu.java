package jvisor.hw.power;

/** What a POWER9 core asks of its memory management unit for every fetch, load and store. */
public interface Mmu {
    int FETCH = 0, LOAD = 1, STORE = 2;

    /**
     * Translates an effective address. Returns the host real address, or -1 when the access
     * faults, with the architected fault in {@link #fault()}. Never throws for anything a guest
     * can put in its tables or registers, and never allocates when it succeeds.
     *
     * @param msr the machine state register at the time of the access (HV, PR, IR, DR, ...)
     */
    long translate(long ea, int access, long msr);

    /** The fault of the last {@link #translate} that returned -1. */
    TranslationFault fault();

    /** PIDR, LPIDR or PTCR was written: drop what the new context must not see. */
    void contextChanged();

    /**
     * PIDR was written: drop what depends on the old process ID. By default everything goes, as
     * on any context change.
     */
    default void processIdChanged(long pid) {
        contextChanged();
    }

    /**
     * This core's view of the writes to the guest's tables its translations came from, or null
     * when it keeps none (then a tlbie of more than one page drops everything).
     */
    default ProcessTableWatch.View tables() {
        return null;
    }
}
