/**
 * lguest: a small x86 hypervisor for paravirtual 32-bit guests, and the shadow page tables it
 * builds. The guest keeps its own two-level tables in its memory and reports every change with a
 * hypercall; the hypervisor builds the tables the CPU really uses ("shadow" tables) lazily on
 * faults, from guest entries it validates and never trusts, with each shadow entry holding a
 * reference on the host page behind it. Guest memory is one linear range of the launcher's
 * address space. A guest that breaks the rules is killed with a message, never an exception.
 *
 * <p>{@link jvisor.kvm.lguest.Lguest} is the guest (lguest's struct lguest),
 * {@link jvisor.kvm.lguest.LguestCpu} its vCPU (a {@link jvisor.kvm.Vcpu}: a device-window
 * access is an MMIO exit, a killed guest a shutdown exit),
 * {@link jvisor.kvm.lguest.ShadowPageTables} the seven parts of the shadow-paging code, {@link jvisor.kvm.lguest.Switcher} the per-host-CPU
 * pages mapped at the top of every shadow directory. lguest is not KVM: there are no memslots and
 * no MMU notifiers; pages stay pinned while a shadow entry refers to them.
 * Depends on {@code jvisor.kvm} (the vCPU contract), {@code jvisor.memory} and {@code jvisor.hw.x86}.
 */
package jvisor.kvm.lguest;
