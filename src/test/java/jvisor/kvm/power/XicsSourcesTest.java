package jvisor.kvm.power;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Message-signalled sources: masked triggers wait for int-on, rejected ones for a resend. */
class XicsSourcesTest {
    final XicsSources ics = new XicsSources();
    final List<String> offers = new ArrayList<>();
    boolean accept = true;

    XicsSourcesTest() {
        ics.connect((server, source, priority) -> {
            offers.add(server + ":" + Integer.toHexString(source) + "@" + priority);
            return accept;
        });
    }

    @Test
    void aTriggerOnAMaskedSourceFiresWhenItIsSwitchedOn() {
        int src = 0x1100;
        ics.trigger(src);
        assertTrue(offers.isEmpty(), "masked at reset");
        ics.setXive(src, 1, 5);
        assertEquals(List.of("1:1100@5"), offers, "set-xive unmasks and the waiting trigger fires");
        ics.intOff(src);
        ics.trigger(src);
        ics.trigger(src);
        ics.intOn(src);
        assertEquals(List.of("1:1100@5", "1:1100@5"), offers, "two triggers while off are one interrupt");
    }

    @Test
    void aRejectedSourceIsSentAgainOnlyToItsOwnServer() {
        ics.setXive(0x1100, 0, 5);
        ics.setXive(0x1101, 1, 5);
        accept = false;
        ics.trigger(0x1100);
        ics.trigger(0x1101);
        offers.clear();
        accept = true;
        ics.resend(1);
        assertEquals(List.of("1:1101@5"), offers);
        ics.resend(1);
        assertEquals(List.of("1:1101@5"), offers, "sent once: no longer rejected");
        ics.resend(0);
        assertEquals(List.of("1:1101@5", "0:1100@5"), offers);
    }

    @Test
    void aDisplacedSourceWaitsForAResend() {
        ics.setXive(0x1105, 0, 4);
        ics.rejected(0x1105);
        ics.rejected(0x1105);
        ics.resend(0);
        assertEquals(List.of("0:1105@4"), offers);
        ics.trigger(0x42);
        ics.rejected(0x42);
        assertEquals(1, offers.size(), "numbers outside the controller are ignored");
    }
}
