package jvisor.kvm.power;

/**
 * What a processor registered with H_REGISTER_VPA: the guest real addresses of its virtual
 * processor area, SLB shadow buffer and dispatch trace log (0: none). Written by any vCPU's
 * hypercall (a processor may register another's), read by the owner when it cedes.
 */
final class VpaRegistration {
    volatile long vpa, slbShadow, dtl;
}
