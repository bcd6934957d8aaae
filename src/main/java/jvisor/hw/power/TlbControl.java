package jvisor.hw.power;

/**
 * The translation-cache maintenance a core hands to its MMU: tlbie/tlbiel and slbia.
 * The radix MMU implements it; the core decodes the instruction fields, checks privilege and
 * calls here. A result other than {@link #OK} means the operand combination is an invalid form
 * and the core raises an illegal-instruction program interrupt.
 */
public interface TlbControl {
    int OK = 0, INVALID_FORM = 1;

    /**
     * Invalidates cached translations as tlbie (global) or tlbiel (local) with the given operands.
     *
     * @param rb    RB: EPN, IS and AP fields
     * @param rs    RS: PID (high word) and LPID (low word)
     * @param ric   radix invalidation control, 0..3
     * @param prs   1 process-scoped, 0 partition-scoped
     * @param r     1 radix
     * @param local true for tlbiel (this core only)
     */
    int tlbie(long rb, long rs, int ric, int prs, int r, boolean local);

    /** slbia with the IH field: on a radix machine it drops cached lookaside state. */
    void slbia(int ih);

    /** A TlbControl for machines without translation caches: every form is accepted. */
    TlbControl NONE = new TlbControl() {
        @Override
        public int tlbie(long rb, long rs, int ric, int prs, int r, boolean local) {
            return ric == 3 ? INVALID_FORM : OK;
        }

        @Override
        public void slbia(int ih) {
        }
    };
}
