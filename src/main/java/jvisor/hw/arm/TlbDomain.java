package jvisor.hw.arm;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * The inner-shareable domain: the TLBs a broadcast TLBI (the {@code ...IS} forms) reaches. Each
 * operation is applied to every TLB under that TLB's monitor before it returns, which is what
 * the DSB after a broadcast TLBI waits for.
 */
public final class TlbDomain {
    private final List<Tlb> tlbs = new CopyOnWriteArrayList<>();
    public final LongAdder all = new LongAdder(), byVmid = new LongAdder(), byIpa = new LongAdder(),
            stage1 = new LongAdder(), byAsid = new LongAdder(), byVa = new LongAdder();

    public void add(Tlb tlb) {
        tlbs.add(tlb);
    }

    public List<Tlb> tlbs() {
        return List.copyOf(tlbs);
    }

    /** TLBI ALLE1IS. */
    public void invalidateAll() {
        all.increment();
        for (Tlb t : tlbs) synchronized (t) { t.invalidateAll(); }
    }

    /** TLBI VMALLS12E1IS. */
    public void invalidateVmid(int vmid) {
        byVmid.increment();
        for (Tlb t : tlbs) synchronized (t) { t.invalidateVmid(vmid); }
    }

    /** TLBI IPAS2E1IS for {@code [ipa, ipa+size)}, with the stage-1 entries built on it. */
    public void invalidateIpa(int vmid, long ipa, long size) {
        byIpa.increment();
        for (Tlb t : tlbs) synchronized (t) { t.invalidateIpa(vmid, ipa, size); }
    }

    /** TLBI VMALLE1IS. */
    public void invalidateStage1(int vmid) {
        stage1.increment();
        for (Tlb t : tlbs) synchronized (t) { t.invalidateStage1(vmid); }
    }

    /** TLBI ASIDE1IS. */
    public void invalidateAsid(int vmid, int asid) {
        byAsid.increment();
        for (Tlb t : tlbs) synchronized (t) { t.invalidateAsid(vmid, asid); }
    }

    /** TLBI VAE1IS. */
    public void invalidateVa(int vmid, int asid, long va) {
        byVa.increment();
        for (Tlb t : tlbs) synchronized (t) { t.invalidateVa(vmid, asid, va); }
    }

    /** TLBI VAAE1IS. */
    public void invalidateVaAllAsids(int vmid, long va) {
        byVa.increment();
        for (Tlb t : tlbs) synchronized (t) { t.invalidateVaAllAsids(vmid, va); }
    }
}
