package jvisor.hw.power;

/**
 * The special-purpose registers that steer translation. They belong to the core; the core writes
 * them (mtspr) and then calls {@link Mmu#contextChanged()} so cached translations are dropped where
 * the architecture (or QEMU, the reference) does.
 */
public final class MmuRegisters {
    public long lpidr;
    public long pidr;
    public long ptcr;
    public long lpcr;
    public long amr;
    public long iamr;
}
