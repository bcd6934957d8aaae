package jvisor.hw.power;

/**
 * Connects a core's tlbie/tlbiel/slbia to its {@link RadixMmu}: the core has decoded the operands
 * and checked privilege; the MMU checks the form and invalidates, broadcasting tlbie to the domain.
 * A partition-scoped form from a guest, which hardware hands to the hypervisor, is refused here
 * like an invalid form (the guest gets an illegal-instruction interrupt).
 */
public final class RadixTlbControl implements TlbControl {
    private final RadixMmu mmu;

    public RadixTlbControl(RadixMmu mmu) {
        this.mmu = mmu;
    }

    @Override
    public int tlbie(long rb, long rs, int ric, int prs, int r, boolean local) {
        int insn = Tlbie.instruction(local, 0, ric, prs != 0, r != 0, 0);
        int status = local ? mmu.tlbiel(insn, rs, rb, 0) : mmu.tlbie(insn, rs, rb, 0);
        return status == Tlbie.OK ? OK : INVALID_FORM;
    }

    @Override
    public void slbia(int ih) {
        mmu.contextChanged();
    }
}
