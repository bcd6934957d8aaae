package jvisor.kvm.arm;

import jvisor.hw.arm.AccessInfo;
import jvisor.hw.arm.Mmu;
import jvisor.kvm.Vcpu;
import jvisor.kvm.VcpuContractTest;

/** {@link VcpuContractTest} for an ARM vCPU, the guest model handing it one access (MMU off, no memslot at the device). */
class ArmVcpuContractTest extends VcpuContractTest {
    private static final long DEVICE = 0x1_0000_0010L;
    /** LDR w5 / STR w7: 4 bytes, 32-bit registers. */
    private static final int LDR_W5 = AccessInfo.single(2, 5, false, false), STR_W7 = AccessInfo.single(2, 7, false, false);

    private final ArmVmFixture f = new ArmVmFixture(1, 16);

    @Override
    protected Vcpu guestLoadingFromDevice() {
        ArmVcpu v = f.vm().arch().createVcpu(0, 0);
        v.setNextAccess(DEVICE, Mmu.LOAD, false, LDR_W5, 0);
        return v;
    }

    @Override
    protected Vcpu guestStoringToDevice(int value) {
        ArmVcpu v = f.vm().arch().createVcpu(0, 0);
        v.setNextAccess(DEVICE, Mmu.STORE, false, STR_W7, value);
        return v;
    }

    @Override
    protected long device() {
        return DEVICE;
    }

    @Override
    protected boolean littleEndian() {
        return true;
    }

    @Override
    protected int loadedRegister(Vcpu v) {
        return (int) ((ArmVcpu) v).x[5];
    }
}
