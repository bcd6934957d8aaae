package jvisor.kvm.power;

import static jvisor.kvm.power.RadixVmFixture.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jvisor.hw.power.Dsisr;
import jvisor.hw.power.TranslationFault;
import org.junit.jupiter.api.Test;

/**
 * The hypervisor takes the MMU's partition-scoped fault record as it is (HDAR or the fetch
 * address, HDSISR or the HSRR1 cause, ASDR) and answers a reflection with the record of the
 * storage interrupt the guest gets.
 */
class PartitionScopedFaultRecordTest {
    private static final long EA = 0xC000_0000_0000_0124L;
    private final RadixVmFixture f = new RadixVmFixture();

    @Test
    void anHisiOutsideEveryMemslotIsAFetchFromNowhereAtTheFetchAddress() {
        f.addSlot(0, 0, 64 * MIB, 0, 0);
        PageFaultResult r = f.mmu.handlePageFault(
                new TranslationFault.HypervisorInstructionStorage(EA, Dsisr.NO_TRANSLATION, 0x3000_0000L));
        assertEquals(new PageFaultResult.FetchFromNowhere(0x3000_0124L, EA), r);
    }

    @Test
    void anHdsiOfAStoreOutsideEveryMemslotIsAnMmioWriteAtTheGuestRealAddress() {
        f.addSlot(0, 0, 64 * MIB, 0, 0);
        PageFaultResult r = f.mmu.handlePageFault(
                new TranslationFault.HypervisorDataStorage(EA, Dsisr.NO_TRANSLATION | Dsisr.STORE, 0x2000_0000L));
        assertEquals(new PageFaultResult.Mmio(0x2000_0124L, EA, true), r);
    }

    @Test
    void aGuestTableOutsideMemoryIsReflectedAsADsiWithTheSameCause() {
        f.addSlot(0, 0, 64 * MIB, 0, 0);
        long cause = Dsisr.NO_TRANSLATION | Dsisr.TABLE_WALK;
        PageFaultResult r = f.mmu.handlePageFault(new TranslationFault.HypervisorDataStorage(EA, cause, 0x4000_0008L));
        assertEquals(new PageFaultResult.Reflect(new TranslationFault.DataStorage(EA, cause)), r);
    }
}
