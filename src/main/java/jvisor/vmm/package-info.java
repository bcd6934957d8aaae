/**
 * The user-space VMM (QEMU's or kvmtool's part): machine configuration, ELF loading, the device
 * tree, console, RTAS and devices, and the run loop that handles a vCPU's exits.
 * Depends on {@code jvisor.kvm} and {@code jvisor.memory}.
 */
package jvisor.vmm;
