package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jvisor.hw.power.Lpcr;
import jvisor.hw.power.Mmu;
import jvisor.hw.power.MmuRegisters;
import jvisor.hw.power.Msr;
import jvisor.hw.power.TlbControl;
import jvisor.hw.power.TranslationFault;
import org.junit.jupiter.api.Test;

/** The core asks the MMU only on a fast-path miss, and forgets cached translations when it must. */
class TranslationFastPathTest {
    static final long C = 0x10000, DATA = 0x20000;

    /** Data pages are shifted by 64 KiB per unit of PIDR; code is identity-mapped. */
    static final class ShiftingMmu implements Mmu {
        final MmuRegisters regs;
        int dataTranslations;
        long extraShift;
        /** The data page at this address lies 256 KiB further on, away from its neighbours. */
        long movedPage = -1;

        ShiftingMmu(MmuRegisters regs) {
            this.regs = regs;
        }

        @Override
        public long translate(long ea, int access, long msr) {
            if (access == FETCH) {
                return ea;
            }
            dataTranslations++;
            long moved = (ea & ~0xFFFL) == movedPage ? 0x40000 : 0;
            return ea + regs.pidr * 0x10000 + extraShift + moved;
        }

        @Override
        public TranslationFault fault() {
            return null; // never faults
        }

        @Override
        public void contextChanged() {
        }
    }

    private final ByteMemory memory = new ByteMemory(1 << 20);
    private final MmuRegisters regs = new MmuRegisters();
    private final ShiftingMmu mmu = new ShiftingMmu(regs);
    private final DecodeCache cache = new DecodeCache(memory.size());
    private final Core core = new Core(memory, mmu, regs, TlbControl.NONE, () -> 0, new ReservationMonitor(1),
            cache, 0);

    private void run(int... words) {
        for (int i = 0; i < words.length; i++) {
            memory.writeIntBE(C + 4L * i, words[i]);
        }
        cache.invalidate(C >>> 12);
        core.setPc(C);
        core.run(words.length);
    }

    TranslationFastPathTest() {
        core.setMsr(Msr.SF | Msr.ME);
        core.setGpr(4, DATA);
        memory.writeIntBE(DATA, 1);
        memory.writeIntBE(DATA + 0x10000, 2);
        memory.writeIntBE(DATA + 0x20000, 3);
    }

    @Test
    void repeatedAccessesToAPageTranslateOnce() {
        run(0x80640000, 0x80a40004, 0x80c40008); // lwz r3,0(r4); lwz r5,4(r4); lwz r6,8(r4)
        assertEquals(1, mmu.dataTranslations);
    }

    @Test
    void writingPidrDropsCachedTranslations() {
        core.setGpr(7, 1);
        run(0x80640000, 0x7cf00ba6, 0x80a40000); // lwz r3; mtpidr r7; lwz r5
        assertEquals(1, core.gpr(3));
        assertEquals(2, core.gpr(5));
    }

    @Test
    void tlbielDropsCachedTranslations() {
        regs.lpcr = Lpcr.GTSE;
        run(0x80640000);
        mmu.extraShift = 0x20000; // the guest changed its page table...
        run(0x7ca32224, 0x80a40000); // ...and invalidated: tlbiel; lwz r5
        assertEquals(3, core.gpr(5));
    }

    @Test
    void aRemoteFlushRequestIsHonouredAtTheNextInstruction() {
        run(0x80640000);
        mmu.extraShift = 0x20000;
        core.requestTranslationFlush();
        run(0x80a40000);
        assertEquals(3, core.gpr(5));
    }

    @Test
    void msrModeIsPartOfTheTag() {
        run(0x80640000);
        core.setMsr(Msr.SF | Msr.ME | Msr.DR);
        run(0x80a40000);
        assertEquals(2, mmu.dataTranslations); // DR changed: a different translation regime
    }

    /**
     * A doubleword that straddles two pages whose translations are not adjacent takes its bytes
     * from both, even with both pages cached: the cached page of its first byte must not serve
     * the bytes past its end (reading on in host memory would give the next real page's).
     */
    @Test
    void anAccessCrossingIntoTheNextPageTakesThatPagesBytes() {
        mmu.movedPage = DATA + 0x1000;
        memory.writeLongBE(DATA + 0xFF8, 0x1111_2222_3333_4444L);
        memory.writeLongBE(DATA + 0x1000, 0x5555_6666_7777_8888L); // what adjacency would read
        memory.writeLongBE(DATA + 0x41000, 0x9999_AAAA_BBBB_CCCCL); // the page really there
        // ld r3,0xFF8(r4); ld r5,0x1000(r4): both pages cached; then ld r6,0xFFC(r4) across them,
        // and std r6,0xFFC(r4) back, which must write the moved page.
        run(0xE8640FF8, 0xE8A41000, 0xE8C40FFC, 0xF8C40FFC);
        assertEquals(0x3333_4444_9999_AAAAL, core.gpr(6));
        assertEquals(0x5555_6666_7777_8888L, memory.readLongBE(DATA + 0x1000));
        assertEquals(0x9999_AAAA_BBBB_CCCCL, memory.readLongBE(DATA + 0x41000));
    }
}
