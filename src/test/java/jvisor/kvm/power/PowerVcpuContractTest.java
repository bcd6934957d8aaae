package jvisor.kvm.power;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static jvisor.kvm.power.RadixVmFixture.MIB;

import jvisor.hw.power.Msr;
import jvisor.kvm.Vcpu;
import jvisor.kvm.VcpuContractTest;

/** {@link VcpuContractTest} for a POWER vCPU running big-endian guest code on its core. */
class PowerVcpuContractTest extends VcpuContractTest {
    private static final long DEVICE = 0x2000_0000L, CODE = 0x400000;
    /** lis r9,0x2000; lwz r5,0(r9); b . */
    private static final int[] LOAD = {0x3d202000, 0x80a90000, 0x48000000};
    /** lis r9,0x2000; lis r3,hi; ori r3,r3,lo; stw r3,0(r9); b . */
    private static final int LIS_R3 = 0x3c600000, ORI_R3 = 0x60630000;

    private final RadixVmFixture f = new RadixVmFixture();

    private Vcpu boot(int... code) {
        f.addSlot(0, 0, 64 * MIB, 0, 0);
        for (int i = 0; i < code.length; i++) assertTrue(f.vm.guestMemory().writeU32BE(CODE + 4L * i, code[i]));
        PowerVcpu v = PowerVcpu.create(f.vm, 0);
        v.start(CODE, 0, Msr.SF | Msr.ME);
        // After the access the guest spins: a budget ends each run there, as the contract's
        // "nothing after it needs the VMM" wants.
        v.setRunLimit(1000);
        return v;
    }

    @Override
    protected Vcpu guestLoadingFromDevice() {
        return boot(LOAD);
    }

    @Override
    protected Vcpu guestStoringToDevice(int value) {
        return boot(0x3d202000, LIS_R3 | (value >>> 16), ORI_R3 | (value & 0xFFFF), 0x90690000, 0x48000000);
    }

    @Override
    protected long device() {
        return DEVICE;
    }

    @Override
    protected boolean littleEndian() {
        return false;
    }

    @Override
    protected int loadedRegister(Vcpu v) {
        return (int) ((PowerVcpu) v).core().gpr(5);
    }
}
