package jvisor.kvm.lguest;

import static jvisor.kvm.lguest.LguestFixture.USER_VA;

import jvisor.hw.x86.X86Pte;
import jvisor.kvm.Vcpu;
import jvisor.kvm.VcpuContractTest;

/** {@link VcpuContractTest} for an lguest vCPU, the guest model handing it one user access to a device-window page. */
class LguestCpuContractTest extends VcpuContractTest {
    private static final int USER_RW = X86Pte.PRESENT | X86Pte.RW | X86Pte.USER;
    private static final long DEVICE_PAGE = (LguestFixture.MEM >>> 12) + 1;

    private final LguestFixture f = new LguestFixture(1, 1);

    private LguestCpu cpu() {
        f.userPage(USER_VA, DEVICE_PAGE, USER_RW);
        return f.cpu();
    }

    @Override
    protected Vcpu guestLoadingFromDevice() {
        LguestCpu c = cpu();
        c.setNextAccess(USER_VA + 0x10, false, true, 0);
        return c;
    }

    @Override
    protected Vcpu guestStoringToDevice(int value) {
        LguestCpu c = cpu();
        c.setNextAccess(USER_VA + 0x10, true, true, value);
        return c;
    }

    @Override
    protected long device() {
        return (DEVICE_PAGE << 12) + 0x10;
    }

    @Override
    protected boolean littleEndian() {
        return true;
    }

    @Override
    protected int loadedRegister(Vcpu v) {
        return ((LguestCpu) v).loaded();
    }
}
