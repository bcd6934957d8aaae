package jvisor.kvm.power;

import jvisor.hw.power.cpu.TimeSource;

/**
 * The timebase a VM's cores read: the host's timebase plus the VM's offset (POWER's timebase
 * offset, KVM's per-vcore {@code tb_offset}). The VMM can hold it still while the whole machine
 * is stopped — a debugger's stop, as QEMU's virtual clock stops with the VM — and then the
 * guest's timebase and decrementers do not advance: when the machine goes on, the offset takes
 * away the time it stood still.
 *
 * <p>{@link #hold()} and {@link #release()} come from one controlling thread, and {@link #hold()}
 * only while no vCPU runs (else a core could read a later value before the held one).
 */
public final class GuestTimebase implements TimeSource {
    private final TimeSource host;
    private volatile long offset;
    private volatile long heldValue;
    /** Read first by {@link #timebase}: the writes of offset and heldValue come before its change. */
    private volatile boolean held;

    public GuestTimebase(TimeSource host) {
        this.host = host;
    }

    @Override
    public long timebase() {
        return held ? heldValue : host.timebase() + offset;
    }

    /** Stops the timebase at its current value (nothing if already held). */
    public synchronized void hold() {
        if (held) return;
        heldValue = host.timebase() + offset;
        held = true;
    }

    /** Lets the timebase run on from the value it was held at. */
    public synchronized void release() {
        if (!held) return;
        offset = heldValue - host.timebase();
        held = false;
    }

    /**
     * Holds the timebase at {@code value}, a value it had on another host (a migrated or restored
     * machine): when released it runs on from there, so the guest sees neither a jump back nor
     * the time the machine spent moving. Only while no vCPU runs.
     */
    public synchronized void holdAt(long value) {
        heldValue = value;
        held = true;
    }

    public boolean isHeld() {
        return held;
    }
}
