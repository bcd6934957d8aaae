package jvisor.kvm.power;

import jvisor.memory.GuestMemory;
import jvisor.memory.GuestMemoryFault;

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
        try {
            mem.writeIntBE(area + DISPATCH_COUNT, mem.readIntBE(area + DISPATCH_COUNT) + 1);
        } catch (GuestMemoryFault e) {
            vpa = 0;
        }
    }
}
