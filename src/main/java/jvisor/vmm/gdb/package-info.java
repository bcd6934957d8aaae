/**
 * A GDB remote-protocol stub for the pseries machine (QEMU's gdbstub, {@code -s -S}): gdb
 * connects over TCP on 127.0.0.1, one client at a time, and sees the vCPUs as threads of one
 * 64-bit POWER process.
 *
 * <ul>
 * <li>{@code PacketFraming}, {@code PacketDecoder}: the wire format ({@code $payload#checksum},
 *     acknowledgements, escapes, the 0x03 interrupt byte), free of any I/O.</li>
 * <li>{@code PowerRegisters}: the target description gdb reads ({@code target.xml}: the power64
 *     core, fpu, altivec and vsx features) and the encoding of a core's registers in the guest's
 *     byte order.</li>
 * <li>{@code DebugMemory}: memory by effective address through the guest's own translation.</li>
 * <li>{@code AllStop}: all-stop run control in the machine's run loop: holding and releasing
 *     vCPUs between runs, single steps, the breakpoints and watchpoints they run with, and the
 *     guest's timebase held while everything stands still.</li>
 * <li>{@code GdbSession}: the packets of one connection; {@code GdbServer}: the listening socket.</li>
 * </ul>
 *
 * <p>Nothing gdb sends may end in a host exception: a bad packet gets an error reply (or is
 * ignored), an address the guest cannot reach answers {@code E01}.
 *
 * <p>Depends on {@code jvisor.vmm} (the machine's run-loop hook), {@code jvisor.kvm} and
 * {@code jvisor.kvm.power} (vCPUs, their guest-debug setting and translation, the VM's
 * timebase), {@code jvisor.hw.power.cpu} (the core's registers, {@code DebugPoints}) and
 * {@code jvisor.memory}. Only the command line depends on it.
 */
package jvisor.vmm.gdb;
