package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which stores make a reservation lost, whichever reservations the storing core holds itself. */
class ReservationMonitorTest {
    private final ReservationMonitor monitor = new ReservationMonitor(4);
    private final int a = monitor.register(), b = monitor.register();

    /** Core a reserves at {@code reserved}, core {@code storer} stores len bytes at {@code at}: is a's reservation still held? */
    private boolean kept(long reserved, int storer, long at, int len) {
        monitor.reserve(a, reserved);
        monitor.storeSeen(storer, at, len);
        return monitor.holds(a, reserved);
    }

    @Test
    void aCoresOwnStoreLeavesItsReservation() {
        assertTrue(kept(0x1000, a, 0x1008, 8));
    }

    @Test
    void anotherCoresStoreToTheGranuleLosesIt() {
        assertFalse(kept(0x1000, b, 0x107F, 1));
    }

    @Test
    void aStoreOutsideTheGranuleKeepsIt() {
        assertTrue(kept(0x1000, b, 0x1080, 8));
        assertTrue(kept(0x1000, b, 0x0FF8, 8));
    }

    @Test
    void aStoreStraddlingTwoGranulesReachesBoth() {
        assertFalse(kept(0x1080, b, 0x107C, 8));
    }

    @Test
    void aStoringCoreThatHoldsOneItselfStillClearsTheOthers() {
        monitor.reserve(b, 0x2000);
        assertFalse(kept(0x1000, b, 0x1010, 4));
        assertTrue(monitor.holds(b, 0x2000));
        // Only b's own is left: its stores leave it, a store by a clears it.
        monitor.storeSeen(b, 0x2000, 8);
        assertTrue(monitor.holds(b, 0x2000));
        monitor.storeSeen(a, 0x2000, 8);
        assertFalse(monitor.holds(b, 0x2000));
    }
}
