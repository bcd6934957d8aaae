package jvisor.fuzz;

import java.util.SplittableRandom;
import jvisor.kvm.Kvm;

/**
 * The POWER campaign: VM after VM ({@link PowerFuzzRound}), each with one to three vCPUs running
 * generated hostile code on the real core and hypervisor, the VMM's real handlers answering its
 * exits, and the host's notifier events and table changes meanwhile. An operation is a guest
 * instruction executed, an exit handled, a notifier event, or a write to the guest's tables or
 * vectors by the host. After the last VM the host's address space goes too, and every frame but
 * the host's partition table must be free.
 */
public final class PowerFuzzer implements FuzzEngine {
    /** Operations per VM, on average: enough to get deep, few enough to see many VMs. */
    private static final long ROUND_OPS = 400_000;

    @Override
    public String name() {
        return "power";
    }

    @Override
    public long defaultOps() {
        return 10_000_000;
    }

    @Override
    public void run(long ops, long seed, Tally tally) {
        PowerFuzzHost host = new PowerFuzzHost(tally);
        Kvm kvm = host.kvm;
        SplittableRandom seeds = new SplittableRandom(seed);
        int round = 0;
        while (tally.ops() < ops) {
            long roundSeed = seeds.nextLong();
            SplittableRandom r = new SplittableRandom(roundSeed);
            long budget = Math.min(ops - tally.ops(), ROUND_OPS / 2 + r.nextLong(ROUND_OPS));
            String where = String.format("power round %d (round seed %d)", round, roundSeed);
            try {
                new PowerFuzzRound(kvm, r, tally, where).run(budget);
            } catch (Throwable t) {
                tally.hostException(where, t);
            }
            round++;
        }
        tally.count("vms", round);
        host.close();
    }
}
