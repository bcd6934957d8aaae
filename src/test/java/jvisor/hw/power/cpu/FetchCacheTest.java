package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import jvisor.hw.power.Msr;
import org.junit.jupiter.api.Test;

class FetchCacheTest {
    private final DecodeCache decodeCache = new DecodeCache(1 << 24);
    private final DecodePage codePage = new DecodePage(decodeCache, 0x5000, true);
    private final DecodePage otherPage = new DecodePage(decodeCache, 0x9000, true);
    private static final long MODE = Msr.IR | Msr.DR | Msr.LE;

    /** How often the cache said it changed (the core stops its straight-line run then). */
    private int changes;

    private FetchCache cache() {
        FetchCache c = new FetchCache(() -> changes++);
        c.setMode(MODE);
        return c;
    }

    @Test
    void everyChangeAFetchDependsOnIsTold() {
        FetchCache c = cache();
        c.fill(0x10000, codePage);
        int before = changes;
        c.flush();
        assertEquals(before + 1, changes, "a flush");
        c.processChanged();
        assertEquals(before + 2, changes, "a process switch");
        c.setMode(MODE & ~Msr.LE);
        assertEquals(before + 3, changes, "another byte order");
        c.setMode((MODE & ~Msr.LE) | Msr.PR);
        assertEquals(before + 4, changes, "problem state");
        c.forget(0x10000);
        assertEquals(before + 5, changes, "a page let go");
        c.invalidatePage(0x20000, 12);
        assertEquals(before + 6, changes, "a page invalidated");
    }

    @Test
    void anMsrWriteThatKeepsTheFetchModeChangesNothing() {
        FetchCache c = cache();
        c.fill(0x10000, codePage);
        int before = changes;
        c.setMode(MODE | Msr.EE);
        c.setMode(MODE | Msr.DR | Msr.FP);
        c.setMode(MODE);
        assertEquals(before, changes, "EE, DR and FP are not part of a fetch");
        assertSame(codePage, c.lookup(0x10000));
    }

    @Test
    void aFilledPageIsFoundForEveryAddressOnIt() {
        FetchCache c = cache();
        c.fill(0xC000_0000_0001_2344L, codePage);
        assertSame(codePage, c.lookup(0xC000_0000_0001_2000L));
        assertSame(codePage, c.lookup(0xC000_0000_0001_2FFCL));
        assertNull(c.lookup(0xC000_0000_0001_3000L));
    }

    @Test
    void aKernelSizedWorkingSetStaysCached() {
        // 512 pages of code (2 MiB) called round-robin, as a kernel's text is.
        FetchCache c = cache();
        for (int i = 0; i < 512; i++) c.fill(0xC000_0000_0000_0000L + ((long) i << 12), codePage);
        for (int i = 0; i < 512; i++) assertSame(codePage, c.lookup(0xC000_0000_0000_0000L + ((long) i << 12)), "page " + i);
    }

    @Test
    void aFlushForgetsEveryPage() {
        FetchCache c = cache();
        c.fill(0x10000, codePage);
        c.flush();
        assertNull(c.lookup(0x10000));
        c.fill(0x10000, otherPage);
        assertSame(otherPage, c.lookup(0x10000));
    }

    @Test
    void anEntryFromBeforeTheEpochWrappedStillMisses() {
        FetchCache c = cache();
        c.fill(0x10000, codePage);
        // Enough flushes to bring the epoch round to the one the entry was made in.
        for (int i = 0; i < 256; i++) {
            c.flush();
            assertNull(c.lookup(0x10000), "after flush " + (i + 1));
        }
        for (int i = 0; i < 1024; i++) {
            c.flush();
            assertNull(c.lookup(0x10000));
        }
    }

    @Test
    void theFetchModeIsPartOfTheTag() {
        FetchCache c = cache();
        c.fill(0x10000, codePage);
        c.setMode(MODE & ~Msr.LE);
        assertNull(c.lookup(0x10000), "the other byte order decodes differently");
        c.setMode(MODE & ~Msr.IR);
        assertNull(c.lookup(0x10000), "real mode fetches another page");
        c.setMode(MODE | Msr.PR);
        assertNull(c.lookup(0x10000));
        c.setMode(MODE);
        assertSame(codePage, c.lookup(0x10000), "a mode change alone needs no refill");
    }

    @Test
    void aModeChangeAfterAFlushKeepsTheNewEpoch() {
        FetchCache c = cache();
        c.fill(0x10000, codePage);
        c.flush();
        c.setMode(MODE & ~Msr.LE);
        c.setMode(MODE);
        assertNull(c.lookup(0x10000));
    }

    @Test
    void aProcessSwitchKeepsTheKernelsCodeAndDropsTheProcesss() {
        FetchCache c = cache();
        long kernel = 0xC000_0000_0001_0000L, user = 0x0000_7FFF_0002_0000L; // different slots
        c.fill(kernel, codePage);
        c.fill(user, otherPage);
        c.processChanged();
        assertSame(codePage, c.lookup(kernel), "quadrant 3 does not depend on PIDR");
        assertNull(c.lookup(user));
        c.fill(user, otherPage);
        c.flush();
        assertNull(c.lookup(kernel), "a flush drops everything");
        assertNull(c.lookup(user));
    }

    @Test
    void processSwitchesPastTheEpochCounterStillDropTheProcesssEntries() {
        FetchCache c = cache();
        long kernel = 0xC000_0000_0001_0000L, user = 0x0000_7FFF_0002_0000L; // different slots
        c.fill(kernel, codePage);
        for (int i = 0; i < 1000; i++) {
            c.fill(user, otherPage);
            c.processChanged();
            assertNull(c.lookup(user), "after switch " + (i + 1));
        }
    }

    @Test
    void aPageInvalidationDropsTheGranulesOfItsSizeOnly() {
        FetchCache c = cache();
        long big = 0xC000_0000_0020_0000L; // a 2M page
        c.fill(big + 0x1000, codePage);
        c.fill(big + 0x1F_F000, codePage);
        c.fill(big + 0x20_0000, otherPage); // the next 2M page
        c.invalidatePage(big, 21);
        assertNull(c.lookup(big + 0x1000));
        assertNull(c.lookup(big + 0x1F_F000));
        assertSame(otherPage, c.lookup(big + 0x20_0000));
        c.invalidatePage(0, 30); // a 1G page: more than the cache holds, so everything goes
        assertNull(c.lookup(big + 0x20_0000));
    }

    @Test
    void aForgottenPageMisses() {
        FetchCache c = cache();
        c.fill(0x10000, codePage);
        c.fill(0x11000, otherPage);
        c.forget(0x10000);
        assertNull(c.lookup(0x10000));
        assertSame(otherPage, c.lookup(0x11000));
    }
}
