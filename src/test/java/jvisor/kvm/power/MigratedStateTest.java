package jvisor.kvm.power;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import jvisor.hw.power.Lpcr;
import jvisor.kvm.Kvm;
import jvisor.kvm.Vm;
import jvisor.memory.HostAddressSpace;
import jvisor.memory.PhysicalMemory;
import org.junit.jupiter.api.Test;

/**
 * The partition's and a vCPU's state carried from one VM to another whose host clock is far
 * ahead: the guest's timebase goes on from the value it stood at (no jump back, no jump forward
 * by the time the move took), the decrementer with it; LPCR's guest bits, the process-table
 * registration, the XICS presenter, the VPA registrations and the stopped state come along.
 */
class MigratedStateTest {
    private final long[] hostA = {1_000_000L}, hostB = {9_000_000_000L};
    private final Kvm kvm;

    MigratedStateTest() {
        PhysicalMemory phys = new PhysicalMemory(1L << 30);
        kvm = new Kvm(phys, new HostAddressSpace(phys));
    }

    private static byte[] bytes(IoWriter w) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        w.write(new DataOutputStream(b));
        return b.toByteArray();
    }

    private interface IoWriter {
        void write(DataOutputStream out) throws IOException;
    }

    private static DataInputStream in(byte[] b) {
        return new DataInputStream(new ByteArrayInputStream(b));
    }

    @Test
    void theTimebaseAndTheRegistrationsGoOnWhereTheyStood() throws IOException {
        Vm<PartitionScopedMmu> a = kvm.createVm(PartitionScopedMmu.HV_RADIX), b = kvm.createVm(PartitionScopedMmu.HV_RADIX);
        PowerVmState sa = PowerVmState.of(a, () -> hostA[0]), sb = PowerVmState.of(b, () -> hostB[0]);
        PowerVcpu va = PowerVcpu.create(a, 0), va1 = PowerVcpu.create(a, 1);
        PowerVcpu vb = PowerVcpu.create(b, 0), vb1 = PowerVcpu.create(b, 1);
        sa.updateLpcr(Lpcr.AIL, 3L << Lpcr.AIL_SHIFT);
        // What H_REGISTER_PROCESS_TABLE with GTSE does: the registration, then LPCR[GTSE].
        a.arch().configureV3Mmu(PartitionScopedMmu.MMUV3_RADIX | PartitionScopedMmu.MMUV3_GTSE, 0x30000L | 4);
        sa.updateLpcr(Lpcr.GTSE, Lpcr.GTSE);
        va.start(0x4000, 0, 1L << 63);
        va.core().writeSpr(jvisor.hw.power.cpu.Spr.DEC, 10_000);
        va.xics().restore(false, 0xF0, XicsPresenter.IPI, 0x05, 0x05);
        va.vpa.vpa = 0x7000;
        va.vpa.dtl = 0x8000;
        hostA[0] += 2_500;

        sa.time().hold();
        long tb = sa.time().timebase();
        byte[] partition = bytes(out -> PartitionState.save(sa, out));
        byte[] cpu0 = bytes(out -> VcpuState.save(va, out)), cpu1 = bytes(out -> VcpuState.save(va1, out));
        PartitionState.restore(sb, in(partition));
        VcpuState.restore(vb, in(cpu0));
        VcpuState.restore(vb1, in(cpu1));
        hostB[0] += 123_456_789; // the downtime, and whatever else the move took
        sb.time().release();

        assertEquals(tb, sb.time().timebase(), "no jump back, none forward");
        assertEquals(7_500, vb.core().decrementerValue(), "the decrementer counts on from where it stood");
        hostB[0] += 40;
        assertEquals(tb + 40, sb.time().timebase());
        assertEquals(7_460, vb.core().decrementerValue());
        assertEquals(3L << Lpcr.AIL_SHIFT, sb.lpcr & Lpcr.AIL);
        assertEquals(Lpcr.GTSE, sb.lpcr & Lpcr.GTSE);
        assertEquals(0x30000L | 4, b.arch().processTable());
        assertTrue(b.arch().guestTranslationShootdownEnabled());
        assertEquals(0x4000, vb.core().pc());
        assertFalse(vb.isStopped());
        assertTrue(vb1.isStopped(), "a secondary never started stays stopped");
        int[] icp = vb.xics().presenterState();
        assertEquals(0xF0, icp[0], "CPPR");
        assertEquals(0x05, icp[3], "MFRR");
        assertEquals(XicsPresenter.IPI, icp[1], "the IPI is still presented");
        assertEquals(0x7000, vb.vpa.vpa);
        assertEquals(0x8000, vb.vpa.dtl);
        assertEquals(0, vb.vpa.slbShadow);
    }

    @Test
    void aVcpusStateIsNotTakenByAnotherVcpu() throws IOException {
        Vm<PartitionScopedMmu> a = kvm.createVm(PartitionScopedMmu.HV_RADIX), b = kvm.createVm(PartitionScopedMmu.HV_RADIX);
        PowerVmState.of(a, () -> hostA[0]);
        PowerVmState.of(b, () -> hostB[0]);
        PowerVcpu va = PowerVcpu.create(a, 0);
        PowerVcpu.create(b, 0);
        PowerVcpu vb1 = PowerVcpu.create(b, 1);
        byte[] cpu0 = bytes(out -> VcpuState.save(va, out));
        assertThrows(IOException.class, () -> VcpuState.restore(vb1, in(cpu0)));
    }
}
