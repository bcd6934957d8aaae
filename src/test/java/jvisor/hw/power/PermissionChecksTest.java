package jvisor.hw.power;

import static jvisor.hw.power.RadixMachine.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** EAA, privilege, attribute and AMR/IAMR key-0 rules, process- and partition-scoped. */
class PermissionChecksTest {
    static final long RC = RadixEntry.REFERENCE | RadixEntry.CHANGE;
    static final long PROTECTION = 0x08000000L, STORE = 0x02000000L, NOEXEC = 0x10000000L;
    static final long AMR_NO_WRITE = 0x8000000000000000L, AMR_NO_READ = 0x4000000000000000L,
            IAMR_NO_EXEC = 0x4000000000000000L;
    RadixMachine m;

    @BeforeEach
    void setUp() {
        m = new RadixMachine().identityPartition(12);
    }

    /** Maps guest EA page {@code page} of PID 0 (quadrant 3) to gRA 0x300000 with the given bits. */
    private long kernelPage(long bits) {
        m.mapGuest(0, 0xC000000000010000L, 0x300000, 12, bits);
        return 0xC000000000010010L;
    }

    /** Maps EA 0x10000 of PID 5 to gRA 0x300000 with the given bits. */
    private long userPage(long bits) {
        m.regs.pidr = 5;
        m.mapGuest(5, 0x10000, 0x300000, 12, bits);
        return 0x10010;
    }

    @Test
    void problemStateCannotTouchAPrivilegedPage() {
        long ea = userPage(RadixEntry.PRIVILEGED | RadixEntry.READ_WRITE | RadixEntry.EXECUTE | RC);
        assertEquals(-1, m.translate(ea, Mmu.LOAD, GUEST_USER));
        assertEquals(0x300, m.fault.vector);
        assertEquals(PROTECTION, m.fault.dsisr);
        assertEquals(ea, m.fault.dar);
        assertEquals(-1, m.translate(ea, Mmu.FETCH, GUEST_USER));
        assertEquals(0x400, m.fault.vector);
        assertEquals(NOEXEC, m.fault.dsisr);
        // Privileged state may.
        assertEquals(0x2300010L, m.translate(ea, Mmu.LOAD, GUEST_OS));
    }

    @Test
    void loadsNeedReadOrReadWrite() {
        long ea = kernelPage(RadixEntry.PRIVILEGED | RadixEntry.READ | RC);
        assertEquals(0x2300010L, m.translate(ea, Mmu.LOAD, GUEST_OS));
        ea = userPage(RadixEntry.READ_WRITE | RC);
        assertEquals(0x2300010L, m.translate(ea, Mmu.LOAD, GUEST_USER));
        m.mapGuest(5, 0x10000, 0x300000, 12, RadixEntry.EXECUTE | RC);
        m.mmu.contextChanged();
        assertEquals(-1, m.translate(ea, Mmu.LOAD, GUEST_USER));
        assertEquals(PROTECTION, m.fault.dsisr);
    }

    @Test
    void storesNeedReadWrite() {
        long ea = kernelPage(RadixEntry.PRIVILEGED | RadixEntry.READ | RC);
        assertEquals(-1, m.translate(ea, Mmu.STORE, GUEST_OS));
        assertEquals(0x300, m.fault.vector);
        assertEquals(PROTECTION | STORE, m.fault.dsisr);
    }

    @Test
    void fetchesNeedExecute() {
        long ea = kernelPage(RadixEntry.PRIVILEGED | RadixEntry.READ_WRITE | RC);
        assertEquals(-1, m.translate(ea, Mmu.FETCH, GUEST_OS));
        assertEquals(0x400, m.fault.vector);
        assertEquals(NOEXEC, m.fault.dsisr);
        assertEquals(0, m.fault.dar);
    }

    @Test
    void noFetchFromNonIdempotentIoEvenWithExecute() {
        long ea = kernelPage(RadixEntry.PRIVILEGED | RadixEntry.READ_WRITE | RadixEntry.EXECUTE
                | RadixEntry.ATT_NON_IDEMPOTENT_IO | RC);
        assertEquals(-1, m.translate(ea, Mmu.FETCH, GUEST_OS));
        assertEquals(0x400, m.fault.vector);
        assertEquals(NOEXEC, m.fault.dsisr);
        assertEquals(0x2300010L, m.translate(ea, Mmu.LOAD, GUEST_OS));
        // Tolerant I/O (ATT=11) may be executed.
        kernelPage(RadixEntry.PRIVILEGED | RadixEntry.EXECUTE | RadixEntry.ATT_TOLERANT_IO | RC);
        m.mmu.contextChanged();
        assertEquals(0x2300010L, m.translate(ea, Mmu.FETCH, GUEST_OS));
    }

    @Test
    void amrKey0BitMsb1StopsPrivilegedLoadsFromNonPrivilegedPages() {
        long ea = userPage(RadixEntry.READ_WRITE | RC);
        long os = GUEST_OS;
        assertEquals(0x2300010L, m.translate(ea, Mmu.LOAD, os));
        m.regs.amr = AMR_NO_READ;
        // No flush: the AMR is consulted on every access, including TLB hits.
        assertEquals(-1, m.translate(ea, Mmu.LOAD, os));
        assertEquals(0x300, m.fault.vector);
        assertEquals(PROTECTION, m.fault.dsisr);
        assertEquals(0x2300010L, m.translate(ea, Mmu.STORE, os), "MSB 1 does not stop stores");
        m.regs.amr = 0;
        assertEquals(0x2300010L, m.translate(ea, Mmu.LOAD, os));
    }

    @Test
    void amrKey0BitMsb0StopsPrivilegedStoresToNonPrivilegedPages() {
        long ea = userPage(RadixEntry.READ_WRITE | RC);
        m.regs.amr = AMR_NO_WRITE;
        assertEquals(0x2300010L, m.translate(ea, Mmu.LOAD, GUEST_OS));
        assertEquals(-1, m.translate(ea, Mmu.STORE, GUEST_OS));
        assertEquals(PROTECTION | STORE, m.fault.dsisr);
    }

    @Test
    void iamrKey0BitMsb1StopsPrivilegedFetchesFromNonPrivilegedPages() {
        long ea = userPage(RadixEntry.READ | RadixEntry.EXECUTE | RC);
        m.regs.iamr = IAMR_NO_EXEC;
        assertEquals(-1, m.translate(ea, Mmu.FETCH, GUEST_OS));
        assertEquals(0x400, m.fault.vector);
        assertEquals(NOEXEC, m.fault.dsisr);
        assertEquals(0x2300010L, m.translate(ea, Mmu.FETCH, GUEST_USER), "problem state is not filtered");
    }

    @Test
    void amrDoesNotApplyToPrivilegedPagesOrToProblemState() {
        m.regs.amr = AMR_NO_READ | AMR_NO_WRITE;
        m.regs.iamr = IAMR_NO_EXEC;
        long k = kernelPage(RadixEntry.PRIVILEGED | RadixEntry.READ_WRITE | RadixEntry.EXECUTE | RC);
        assertEquals(0x2300010L, m.translate(k, Mmu.STORE, GUEST_OS));
        assertEquals(0x2300010L, m.translate(k, Mmu.FETCH, GUEST_OS));
        long u = userPage(RadixEntry.READ_WRITE | RC);
        assertEquals(0x2300010L, m.translate(u, Mmu.STORE, GUEST_USER));
    }

    @Test
    void partitionScopedLeavesIgnoreThePrivilegedBitAndTheAmr() {
        m.mapPartition(LPID, 0x300000, 0x2300000, 12, RadixEntry.PRIVILEGED | PART_RWX);
        long ea = userPage(RadixEntry.READ_WRITE | RC);
        m.regs.amr = AMR_NO_READ;
        assertEquals(0x2300010L, m.translate(ea, Mmu.LOAD, GUEST_USER));
    }

    @Test
    void aReadOnlyPartitionScopedPageMakesStoresAnHdsiWithTheGuestRealAddress() {
        // gRA 0x300000 is backed by host 0x2300000 read-only (R and C set).
        m.mapPartition(LPID, 0x300000, 0x2300000, 12, RadixEntry.READ | RadixEntry.EXECUTE | RC);
        long ea = kernelPage(RadixEntry.PRIVILEGED | RadixEntry.READ_WRITE | RC);
        assertEquals(0x2300010L, m.translate(ea, Mmu.LOAD, GUEST_OS));
        assertEquals(-1, m.translate(ea, Mmu.STORE, GUEST_OS));
        assertEquals(0xE00, m.fault.vector);
        assertEquals(PROTECTION | STORE, m.fault.hdsisr);
        assertEquals(ea, m.fault.hdar);
        assertEquals(0x300010L, m.fault.asdr);
    }

    @Test
    void aNoExecutePartitionScopedPageMakesFetchesAnHisi() {
        m.mapPartition(LPID, 0x300000, 0x2300000, 12, RadixEntry.READ_WRITE | RC);
        long ea = kernelPage(RadixEntry.PRIVILEGED | RadixEntry.READ | RadixEntry.EXECUTE | RC);
        assertEquals(-1, m.translate(ea, Mmu.FETCH, GUEST_OS));
        assertEquals(0xE20, m.fault.vector);
        assertEquals(NOEXEC, m.fault.hdsisr);
        assertEquals(0x300010L, m.fault.asdr);
    }

    @Test
    void aPermissionUpgradeIsHonouredWithoutTlbie() {
        long ea = kernelPage(RadixEntry.PRIVILEGED | RadixEntry.READ | RC);
        assertEquals(0x2300010L, m.translate(ea, Mmu.LOAD, GUEST_OS));
        assertTrue(m.mmu.tlbEntries() > 0);
        // The OS makes the page writable and does not flush.
        kernelPage(RadixEntry.PRIVILEGED | RadixEntry.READ_WRITE | RC);
        assertEquals(0x2300010L, m.translate(ea, Mmu.STORE, GUEST_OS));
    }
}
