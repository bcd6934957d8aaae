/**
 * The user-space VMM (QEMU's or kvmtool's part) of the pseries machine: the machine
 * configuration ({@code MachineConfig}), loading the kernel and initrd ({@code ElfLoader},
 * {@code Boot}), the flattened device tree ({@code FdtWriter}, {@code DeviceTreeBuilder}), the
 * console, RTAS and the hypercalls the hypervisor leaves to user space ({@code Console},
 * {@code Rtas}, {@code Hypercalls}), and MMIO devices on a bus ({@code MmioBus},
 * {@code Uart16550}). A run loop hands each {@code RunExit} to the matching piece; the pieces
 * reach back into the machine only through small interfaces it implements ({@code CpuControl},
 * {@code ShutdownListener}). A debugger may attach to the run loop ({@code RunLoopDebugger}) and
 * hold vCPUs between two runs: the gdb stub of {@code jvisor.vmm.gdb} does. A migration stops
 * them all the same way ({@code VcpuPause}) and saves each device through the state class beside
 * it ({@code ConsoleState}, {@code RtasState}, {@code UartState}); {@code jvisor.vmm.migration}
 * drives it.
 *
 * <p>Guest values (addresses, lengths, tokens, counts) are untrusted: they become PAPR or RTAS
 * error statuses, or a {@code NoDevice} result the run loop turns into a machine check, never a
 * host exception. User mistakes are one-line {@code LaunchError}s.
 *
 * <p>Depends on {@code jvisor.kvm} and {@code jvisor.memory}; nothing below depends on it.
 */
package jvisor.vmm;
