package jvisor.kvm.power;

import jvisor.memory.GuestMemory;

/**
 * What a processor registered with H_REGISTER_VPA: the guest real addresses of its virtual
 * processor area, SLB shadow buffer and dispatch trace log (0: none). Written by any vCPU's
 * hypercall (a processor may register another's), read by the owner when it cedes.
 */
final class VpaRegistration {
    /** The VPA's dispatch counter: odd while the processor is ceded, even while it runs. */
    private static final int DISPATCH_COUNT = 0x100;

    volatile long vpa, slbShadow, dtl;

    /** Bumps the dispatch counter of a registered VPA; a VPA the guest took away is forgotten. */
    void bumpDispatchCount(GuestMemory mem) {
        long area = vpa;
        if (area == 0) return;
        long count = mem.readU32BE(area + DISPATCH_COUNT);
        if (count == GuestMemory.NOT_BACKED || !mem.writeU32BE(area + DISPATCH_COUNT, (int) count + 1)) vpa = 0;
    }
}
