package jvisor.hw.power.cpu;

/**
 * What the region compiler needs to know about an instruction: whether translated code may run
 * on after it, and what it may touch.
 */
public enum Flow {
    /** Never faults and reads neither its own address nor the next one; goes on to the next instruction. */
    PURE,
    /** May fault (a load, a trap, a privileged move ...); goes on to the next instruction. */
    PLAIN,
    /** May write storage, and so the page being executed; goes on to the next instruction. */
    STORE,
    /**
     * Reads and writes FPRs, the FPSCR and at most CR, never a GPR or storage; may interrupt
     * (facility unavailable, enabled exceptions); goes on to the next instruction. Translated code
     * keeps the GPRs in locals across it.
     */
    FLOATING,
    /** Does nothing a program can see (cache hints, wait): translated code omits it. */
    NOTHING,
    /** A direct branch (b, bc): the translator follows it inside the page. */
    BRANCH,
    /**
     * Changes what the dispatcher must look at (an indirect branch, the MSR, translations, an
     * interrupt) or is not translated: the region returns to the dispatcher after it.
     */
    ENDS,
    /** mtspr: LR, CTR and XER are plain registers; any other SPR ends the region like {@link #ENDS}. */
    SPR_CONTEXT;

    /** Whether the region returns to the dispatcher after word {@code w} of an instruction with this flow. */
    boolean endsRegion(int w) {
        return switch (this) {
            case BRANCH, ENDS -> true;
            case SPR_CONTEXT -> {
                int n = ((w >>> 16) & 31) | (((w >>> 11) & 31) << 5);
                yield n != Spr.XER && n != Spr.LR && n != Spr.CTR;
            }
            default -> false;
        };
    }
}
