package jvisor.cli;

import static jvisor.cli.CliRun.assertRefused;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The options of {@code jvisor walk} at their extremes. */
class WalkCommandOptionsTest {

    @Test
    void theAddressMustBeANumberInTheGuestsOwnQuadrant() {
        for (String ea : new String[] {"-1", "zz", "", "0x", "0xFFFFFFFFFFFFFFFFF", "1e6"}) {
            assertRefused("address", "walk", "--ea", ea);
        }
        for (String ea : new String[] {"0x10000000000000", "0xc000000000000000", "0xffffffffffffffff"}) {
            assertRefused("quadrant", "walk", "--ea", ea);
        }
    }

    @Test
    void theLowestAndHighestAddressesOfTheQuadrantAreWalked() {
        for (String ea : new String[] {"0", "0x000fffffffffffff"}) {
            for (String page : new String[] {"4K", "64K", "2M", "1G"}) {
                CliRun.Result r = CliRun.run("walk", "--ea", ea, "--guest-page", page, "--host-page", "2M", "--access", "fetch");
                assertEquals(0, r.status(), ea + " " + page + ": " + r.err() + r.out());
                assertTrue(r.out().contains("references: "), r.out());
            }
        }
    }

    @Test
    void pageSizesAndAccessesAreFromTheirLists() {
        assertRefused("--guest-page", "walk", "--guest-page", "3K");
        assertRefused("--guest-page", "walk", "--guest-page", "");
        assertRefused("--host-page", "walk", "--host-page", "64K");
        assertRefused("--host-page", "walk", "--host-page", "16G");
        assertRefused("--access", "walk", "--access", "exec");
    }
}
