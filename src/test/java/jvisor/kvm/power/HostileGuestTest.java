package jvisor.kvm.power;

import static jvisor.kvm.power.RadixVmFixture.MIB;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import jvisor.hw.power.cpu.Msr;
import jvisor.kvm.RunExit;
import org.junit.jupiter.api.Test;

/**
 * Guests that do everything wrong: random instruction words sprinkled with hypercalls whose
 * numbers and arguments are random or hostile, loads and stores to wild addresses, translation
 * turned on over garbage tables. Whatever they do ends in an architected interrupt, a hypercall
 * status, an exit a VMM can answer, or a clean internal error; never a host exception.
 */
class HostileGuestTest {
    private static final long[] HCALLS = {Hcall.H_SET_SPRG0, Hcall.H_SET_DABR, Hcall.H_PAGE_INIT, Hcall.H_EOI, Hcall.H_CPPR,
            Hcall.H_IPI, Hcall.H_IPOLL, Hcall.H_XIRR, Hcall.H_REGISTER_VPA, Hcall.H_CEDE, Hcall.H_RANDOM, Hcall.H_SET_MODE,
            Hcall.H_REGISTER_PROCESS_TABLE, Hcall.KVMPPC_H_RTAS, 0x58, 0x54, 0x1234, -1};
    private static final long[] WILD = {0, -1, 0x8000_0000_0000_0000L, 0x7FFF_FFFF_FFFF_F000L, 0x1000, 0x3FFF_F000L,
            0x10_0000_0000L, 0xFFF, 0x400000, 1L << 52, 0x4000_0000_0000_0000L};

    @Test
    void randomCodeWithHostileHypercallsNeverEscapesAsAHostException() {
        int mmio = 0, hcalls = 0;
        for (int seed = 1; seed <= 15; seed++) {
            RadixVmFixture f = new RadixVmFixture(2 * RadixVmFixture.GIB);
            f.addSlot(0, 0, 64 * MIB, 0, 0);
            Random r = new Random(seed);
            for (long a = 0; a < 0x10000; a += 4) {
                int w = switch (r.nextInt(8)) {
                    case 0 -> 0x44000022;                       // sc 1
                    case 1 -> 0x44000002;                       // sc
                    case 2 -> 0x7c000124 | (r.nextInt(32) << 21) | (r.nextInt(2) << 16); // mtmsr(d)
                    default -> r.nextInt();
                };
                f.vm.guestMemory().writeIntBE(0x400000 + a, w);
            }
            for (long v = 0x100; v < 0x1000; v += 0x100) f.vm.guestMemory().writeIntBE(v, 0x48000000 | (int) (0x400000 - v) & 0x03FFFFFC);
            PowerVcpu v = PowerVcpu.create(f.vm, 0);
            v.start(0x400000, 0, Msr.SF | Msr.ME);
            for (int i = 3; i < 13; i++) {
                v.core().setGpr(i, r.nextBoolean() ? WILD[r.nextInt(WILD.length)] : r.nextLong());
            }
            int exits = 0;
            long deadline = System.nanoTime() + 2_000_000_000L;
            outer:
            while (exits < 150 && System.nanoTime() < deadline) {
                if (r.nextInt(4) == 0) v.core().setGpr(3, HCALLS[r.nextInt(HCALLS.length)]);
                RunExit e = runWithTimeout(v);
                exits++;
                switch (e) {
                    case RunExit.Mmio m -> {
                        mmio++;
                        if (r.nextBoolean()) v.failMmio(m.physAddr());
                        else for (int k = 0; k < m.data().length; k++) m.data()[k] = (byte) r.nextInt();
                    }
                    case RunExit.Hypercall h -> {
                        hcalls++;
                        h.ret()[0] = Hcall.H_FUNCTION;
                    }
                    case RunExit.Rtas rt -> rt.ret()[0] = -3;
                    case RunExit.Shutdown s -> {
                        break outer;
                    }
                    case RunExit.InternalError err -> {
                        assertNotNull(err.reason());
                        break outer;
                    }
                    default -> { }
                }
            }
            v.destroy();
            f.vm.destroy();
            f.mm.destroy();
            assertEquals(f.baselineFrames, f.phys.framesInUse(), "seed " + seed + ": frames leaked");
        }
        assertTrue(mmio > 0 && hcalls > 0, "the guests reached the MMIO and hypercall paths: " + mmio + " / " + hcalls);
    }

    /** A guest in H_CEDE with nothing to wake it, or a tight loop, must not hang the test. */
    private static RunExit runWithTimeout(PowerVcpu v) {
        Thread kicker = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(1);
                v.kick();
            } catch (InterruptedException ignored) {
                // the run finished first
            }
        });
        RunExit e = v.run();
        kicker.interrupt();
        return e;
    }
}
