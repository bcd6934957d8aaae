package jvisor.kvm.power;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The XICS presentation rules a pseries guest relies on (the smp guest checks the same under QEMU). */
class XicsPresenterTest {
    private final XicsPresenter icp = new XicsPresenter();

    @Test
    void theIpiIsALevelPresentedAgainAfterEoiUntilMfrrIsCleared() {
        icp.setCppr(0xFF);
        icp.setMfrr(5);
        assertEquals(0xFF00_0002, icp.xirr());
        assertEquals(0xFF00_0002, icp.accept(), "H_XIRR returns the old CPPR and the source");
        assertEquals(0x0500_0000, icp.xirr(), "CPPR is now the IPI's priority");
        assertFalse(icp.presenting());
        icp.eoi(0xFF00_0002L);
        assertTrue(icp.presenting(), "MFRR 5 < CPPR 0xFF: presented again");
        assertEquals(0xFF00_0002, icp.accept());
        icp.setMfrr(0xFF);
        icp.eoi(0xFF00_0002L);
        assertFalse(icp.presenting());
        assertEquals(0xFF00_0000, icp.xirr());
    }

    @Test
    void aMoreFavouredCpprHoldsTheIpiBackUntilItDrops() {
        assertEquals(0, icp.cppr(), "a server starts with CPPR 0: everything masked");
        icp.setMfrr(5);
        assertFalse(icp.presenting());
        icp.setCppr(3);
        assertFalse(icp.presenting());
        icp.setCppr(0xFF);
        assertTrue(icp.presenting());
        icp.setCppr(4);
        assertFalse(icp.presenting(), "raising CPPR above the presented priority withdraws it");
        icp.setCppr(6);
        assertTrue(icp.presenting());
    }

    @Test
    void aLessFavouredIpiRequestDoesNotReplaceAPresentedOne() {
        icp.setCppr(0xFF);
        icp.setMfrr(5);
        icp.setMfrr(9);
        assertEquals(0xFF00_0002, icp.accept());
        assertEquals(0x0500_0000, icp.xirr(), "accepted at the priority it was presented with");
    }

    @Test
    void aDeviceSourceIsPresentedOnlyWhenMoreFavouredThanCpprAndWhatIsPresented() {
        assertFalse(icp.deliver(0x1100, 5), "CPPR 0 masks everything");
        icp.setCppr(0xFF);
        assertTrue(icp.deliver(0x1100, 5));
        assertEquals(0xFF00_1100, icp.xirr());
        assertFalse(icp.deliver(0x1101, 5), "as favoured as what is presented: rejected");
        assertFalse(icp.deliver(0x1101, 7));
        assertEquals(0, icp.takeDisplaced(), "a rejected offer displaces nothing");
        assertTrue(icp.deliver(0x1102, 3), "more favoured: takes the place");
        assertEquals(0x1100, icp.takeDisplaced(), "the displaced source goes back to its controller");
        assertEquals(0, icp.takeDisplaced());
        assertEquals(0xFF00_1102, icp.accept());
        assertEquals(3, icp.cppr());
    }

    @Test
    void raisingCpprWithdrawsADeviceSourceAndAMoreFavouredIpiDisplacesIt() {
        icp.setCppr(0xFF);
        icp.deliver(0x1100, 5);
        icp.setCppr(5);
        assertFalse(icp.presenting());
        assertEquals(0x1100, icp.takeDisplaced());
        icp.setCppr(0xFF);
        icp.deliver(0x1100, 5);
        icp.setMfrr(2);
        assertEquals(0xFF00_0002, icp.xirr());
        assertEquals(0x1100, icp.takeDisplaced());
    }
}
