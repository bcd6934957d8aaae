/**
 * Live migration and snapshots of a pseries machine (QEMU's migration/ and savevm): the stream
 * format (a versioned header, then sections that each carry a type, a length and a CRC-32C), the
 * pre-copy driver that sends guest RAM over the dirty log while the vCPUs run and stops them for
 * the last pages and the device and vCPU state, and the receiving side that checks the stream
 * and rebuilds the machine from it.
 *
 * <p>Depends on {@code vmm} (the machine), {@code kvm} (the dirty log) and the state classes
 * that sit beside each component: {@code hw.power.cpu.CoreState}, {@code kvm.power.VcpuState},
 * {@code kvm.power.XicsSourcesState}, {@code kvm.power.PartitionState}, {@code vmm.ConsoleState},
 * {@code vmm.RtasState}, {@code vmm.UartState}.
 */
package jvisor.vmm.migration;
