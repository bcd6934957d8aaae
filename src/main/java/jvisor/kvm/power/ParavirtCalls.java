package jvisor.kvm.power;

import jvisor.hw.power.InterruptVector;
import jvisor.hw.power.Msr;
import jvisor.hw.power.cpu.Core;
import jvisor.kvm.RunExit;

/**
 * What one vCPU's hypervisor does with the guest's {@code sc} (level 0), which the core hands it:
 * KVM's paravirtual hypercalls ({@link KvmParavirt}, r0 = "KVM!") from privileged state are
 * answered here; an OSI call goes to user space when the capability is enabled; anything else is
 * the guest's own system call and gets its interrupt, SRR0 past the sc.
 */
final class ParavirtCalls {
    private final PowerVcpu vcpu;
    private final Core core;
    /** Where a guest asked for the magic page (recorded, not provided). */
    private long magicPagePa, magicPageEa;

    ParavirtCalls(PowerVcpu vcpu) {
        this.vcpu = vcpu;
        this.core = vcpu.core();
    }

    /** Handles the {@code sc}: null to run on, or the OSI exit for user space. */
    RunExit systemCall(boolean osiEnabled) {
        long msr = core.msr();
        if (core.gpr(0) == KvmParavirt.SC_MAGIC_R0 && (msr & Msr.PR) == 0) {
            paravirt(msr);
            return null;
        }
        if (osiEnabled && core.gpr(3) == KvmParavirt.OSI_SC_MAGIC_R3 && core.gpr(4) == KvmParavirt.OSI_SC_MAGIC_R4) {
            long[] g = new long[32];
            for (int i = 0; i < 32; i++) g[i] = core.gpr(i);
            return new RunExit.Osi(g);
        }
        core.deliverInterrupt(InterruptVector.SYSTEM_CALL, 0);
        return null;
    }

    private void paravirt(long msr) {
        vcpu.statistics().paravirtualCall();
        long token = core.gpr(11) & 0xFFFF_FFFFL;
        long p1 = core.gpr(3), p2 = core.gpr(4);
        if ((msr & Msr.SF) == 0) {
            // A 32-bit guest's upper register halves are not part of its arguments.
            p1 &= 0xFFFF_FFFFL;
            p2 &= 0xFFFF_FFFFL;
        }
        long status, second = 0;
        switch ((int) token) {
            case KvmParavirt.KVM_HC_FEATURES -> {
                // No feature bits: jvisor's core keeps MSR and the SPRs itself, so it offers no
                // magic page through which a guest could read and write them without trapping.
                status = KvmParavirt.EV_SUCCESS;
            }
            case KvmParavirt.KVM_HC_PPC_MAP_MAGIC_PAGE -> {
                magicPagePa = p1 & ~0xFFFL;
                magicPageEa = p2 & ~0xFFFL;
                status = KvmParavirt.EV_UNIMPLEMENTED;
            }
            case KvmParavirt.EV_IDLE -> {
                vcpu.cede();
                status = KvmParavirt.EV_SUCCESS;
            }
            default -> status = KvmParavirt.EV_UNIMPLEMENTED;
        }
        core.setGpr(4, second);
        core.setGpr(3, status);
    }

    long magicPagePa() {
        return magicPagePa;
    }

    long magicPageEa() {
        return magicPageEa;
    }
}
