package jvisor.kvm;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/**
 * What every {@link Vcpu} does for the VMM, driven only through the contract: an MMIO load exits
 * with an empty buffer and the next run completes it with the VMM's bytes; a store exits with its
 * bytes and needs no answer; a kick ends the next run before the guest goes on. Each engine
 * runs these through a subclass beside it that builds a guest whose next instruction loads from
 * or stores to a device address.
 */
public abstract class VcpuContractTest {
    /** The word the device returns, in memory order. */
    private static final byte[] DEVICE_BYTES = {0x11, 0x22, 0x33, 0x44};

    /** A vCPU whose guest's next access is a 4-byte load from {@link #device()}, and nothing after it needs the VMM. */
    protected abstract Vcpu guestLoadingFromDevice();

    /** A vCPU whose guest's next access is a 4-byte store of {@code value} to {@link #device()}. */
    protected abstract Vcpu guestStoringToDevice(int value);

    /** The guest physical address of the device. */
    protected abstract long device();

    /** Whether the guest runs with little-endian data (a register's low byte at the lowest address). */
    protected abstract boolean littleEndian();

    /** The low 32 bits of the register the guest's load targets. */
    protected abstract int loadedRegister(Vcpu v);

    private int word(byte[] b) {
        int be = (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
        return littleEndian() ? Integer.reverseBytes(be) : be;
    }

    @Test
    public void anMmioLoadExitsAndTheNextRunCompletesItWithTheBytesTheVmmPutInTheExit() {
        Vcpu v = guestLoadingFromDevice();
        RunExit.Mmio m = assertInstanceOf(RunExit.Mmio.class, v.run());
        assertEquals(device(), m.physAddr());
        assertEquals(4, m.length());
        assertFalse(m.isWrite());
        System.arraycopy(DEVICE_BYTES, 0, m.data(), 0, 4);
        assertEquals(RunExit.Interrupted.INSTANCE, v.run(), "the completed load needs nothing more of the VMM");
        assertEquals(word(DEVICE_BYTES), loadedRegister(v), "the device's bytes, in the guest's byte order");
    }

    @Test
    public void anMmioStoreExitsWithItsBytesInMemoryOrderAndNeedsNoAnswer() {
        Vcpu v = guestStoringToDevice(0x1122_3344);
        RunExit.Mmio m = assertInstanceOf(RunExit.Mmio.class, v.run());
        assertEquals(device(), m.physAddr());
        assertEquals(4, m.length());
        assertTrue(m.isWrite());
        assertEquals(0x1122_3344, word(m.data()));
        assertEquals(RunExit.Interrupted.INSTANCE, v.run(), "the store is not made again");
    }

    @Test
    public void aKickEndsTheNextRunBeforeTheGuestGoesOnAndTheRunAfterContinues() {
        Vcpu v = guestLoadingFromDevice();
        v.kick();
        assertEquals(RunExit.Interrupted.INSTANCE, v.run());
        assertInstanceOf(RunExit.Mmio.class, v.run(), "the load the kick held back runs now");
    }

    @Test
    public void aKickFromAnotherThreadIsSeenByTheRunThatFollows() throws InterruptedException {
        Vcpu v = guestLoadingFromDevice();
        Thread t = Thread.ofPlatform().start(v::kick);
        t.join();
        assertEquals(RunExit.Interrupted.INSTANCE, v.run());
        assertInstanceOf(RunExit.Mmio.class, v.run());
    }
}
