package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which stores make a reservation lost, whichever reservations the storing core holds itself. */
class ReservationMonitorTest {
    private final ReservationMonitor monitor = new ReservationMonitor(4);
    private final int a = monitor.register(), b = monitor.register();

    @Test
    void aCoresOwnStoreLeavesItsReservation() {
        monitor.reserve(a, 0x1000);
        monitor.storeSeen(a, 0x1008, 8);
        assertTrue(monitor.holds(a, 0x1000));
    }

    @Test
    void anotherCoresStoreToTheGranuleLosesIt() {
        monitor.reserve(a, 0x1000);
        monitor.storeSeen(b, 0x107F, 1);
        assertFalse(monitor.holds(a, 0x1000));
    }

    @Test
    void aStoreOutsideTheGranuleKeepsIt() {
        monitor.reserve(a, 0x1000);
        monitor.storeSeen(b, 0x1080, 8);
        monitor.storeSeen(b, 0x0FF8, 8);
        assertTrue(monitor.holds(a, 0x1000));
    }

    @Test
    void aStoringCoreThatHoldsOneItselfStillClearsTheOthers() {
        monitor.reserve(a, 0x1000);
        monitor.reserve(b, 0x2000);
        monitor.storeSeen(b, 0x1010, 4);
        assertFalse(monitor.holds(a, 0x1000));
        assertTrue(monitor.holds(b, 0x2000));
        // Only b's own is left: its stores leave it, a store by a clears it.
        monitor.storeSeen(b, 0x2000, 8);
        assertTrue(monitor.holds(b, 0x2000));
        monitor.storeSeen(a, 0x2000, 8);
        assertFalse(monitor.holds(b, 0x2000));
    }

    @Test
    void aStoreStraddlingTwoGranulesReachesBoth() {
        monitor.reserve(a, 0x1080);
        monitor.storeSeen(b, 0x107C, 8);
        assertFalse(monitor.holds(a, 0x1080));
    }
}
