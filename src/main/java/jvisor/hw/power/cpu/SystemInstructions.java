package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.Encoding.of;
import static jvisor.hw.power.cpu.Encoding.x;
import static jvisor.hw.power.cpu.Flow.ENDS;
import static jvisor.hw.power.cpu.Flow.NOTHING;
import static jvisor.hw.power.cpu.Flow.PLAIN;
import static jvisor.hw.power.cpu.Flow.SPR_CONTEXT;
import static jvisor.hw.power.cpu.InstructionSpec.of;
import static jvisor.hw.power.cpu.Privilege.HYPERVISOR;
import static jvisor.hw.power.cpu.Privilege.PRIVILEGED;

import java.util.List;

/**
 * The system instructions: system calls and returns, MSR and SPR moves, the barriers, storage
 * control (icbi, tlbie, tlbiel, tlbsync, the SLB instructions of a radix partition), the
 * hypervisor-only instructions, transactional memory, and the privileged instructions a radix
 * partition of single-thread cores has nothing to do for (Power ISA v3.0B Books II and III).
 *
 * <p>Reserved bit 31 follows QEMU's POWER9 as elsewhere: fixed to 0 where QEMU rejects it set.
 */
final class SystemInstructions {
    private SystemInstructions() {
    }

    private static BodyCall sys(String name, Object... constants) {
        return new BodyCall(BodyCall.SYSTEM_OPS, name, constants);
    }

    private static Encoding x0(int primary, int xo) {
        return x(primary, xo).bit(31, 0);
    }

    /** Needs the hypervisor: privileged in problem state, hypervisor emulation assistance otherwise. */
    private static InstructionSpec hypervisor(String mnemonic, Encoding e) {
        return of(mnemonic, e, ENDS, sys("hypervisorOnly")).with(HYPERVISOR);
    }

    private static InstructionSpec transactional(String mnemonic, int xo) {
        return of(mnemonic, x(31, xo), ENDS, sys("transactional"));
    }

    private static InstructionSpec privilegedNop(String mnemonic, Encoding e) {
        return of(mnemonic, e, ENDS, sys("privilegedNop")).with(PRIVILEGED);
    }

    static final List<InstructionSpec> ALL = List.of(
            // sc has bit 30 set and 31 clear; scv (bit 30 clear) is taken with bit 31 either way, as QEMU does.
            of("sc", of(17).bits(30, 31, 2), ENDS, sys("sc")),
            of("scv", of(17).bit(30, 0), ENDS, sys("scv")),
            of("rfid", x0(19, 18), ENDS, sys("rfid")).with(PRIVILEGED),
            of("rfscv", x0(19, 82), ENDS, sys("rfscv")).with(PRIVILEGED),
            of("rfebb", x(19, 146), ENDS, sys("rfebb")),
            hypervisor("hrfid", x0(19, 274)),
            hypervisor("stop", x0(19, 370)),

            of("mfmsr", x0(31, 83), PLAIN, sys("mfmsr")).with(PRIVILEGED),
            of("mtmsr", x0(31, 146), ENDS, sys("mtmsr", false)).with(PRIVILEGED),
            of("mtmsrd", x0(31, 178), ENDS, sys("mtmsr", true)).with(PRIVILEGED),
            of("mfspr", x0(31, 339), PLAIN, new BodyCall(BodyCall.SPR, "mfspr")),
            of("mtspr", x(31, 467), SPR_CONTEXT, new BodyCall(BodyCall.SPR, "mtspr")),
            of("mftb", x0(31, 371), PLAIN, new BodyCall(BodyCall.SPR, "mftb")),

            of("sync", x(31, 598), PLAIN, new BodyCall(BodyCall.MEMORY_BARRIER, "sync")),
            of("eieio", x(31, 854), PLAIN, new BodyCall(BodyCall.MEMORY_BARRIER, "eieio")),
            of("isync", x0(19, 150), ENDS, new BodyCall(BodyCall.MEMORY_BARRIER, "isync")),
            // wait (ISA 3.0) and its ISA 2.06 encoding: the core has nothing to wait for but interrupts
            of("wait", x(31, 30), NOTHING, sys("hint")),
            of("wait", x(31, 62), NOTHING, sys("hint")),

            of("icbi", x0(31, 982), ENDS, sys("icbi")),
            of("tlbie", x(31, 306), ENDS, sys("tlbie", false)).with(PRIVILEGED),
            of("tlbiel", x(31, 274), ENDS, sys("tlbie", true)).with(PRIVILEGED),
            of("tlbsync", x0(31, 566), ENDS, sys("tlbsync")).with(PRIVILEGED),
            of("slbia", x(31, 498), ENDS, sys("slbia")).with(PRIVILEGED),
            of("slbmte", x(31, 402), ENDS, sys("slbOther")).with(PRIVILEGED),
            of("slbie", x(31, 434), ENDS, sys("slbOther")).with(PRIVILEGED),
            of("slbmfev", x(31, 851), ENDS, sys("slbOther")).with(PRIVILEGED),
            of("slbmfee", x(31, 915), ENDS, sys("slbOther")).with(PRIVILEGED),
            // slbfee. has only the record form
            of("slbfee.", x(31, 979).bit(31, 1), ENDS, sys("slbOther")).with(PRIVILEGED),
            privilegedNop("msgsndp", x(31, 142)),
            privilegedNop("msgclrp", x(31, 174)),
            privilegedNop("mtsr", x0(31, 210)),
            privilegedNop("mtsrin", x0(31, 242)),
            privilegedNop("slbsync", x(31, 338)),
            privilegedNop("slbieg", x(31, 466)),
            privilegedNop("dcbi", x0(31, 470)),
            privilegedNop("slbiag", x(31, 850)),
            of("mfsr", x0(31, 595), ENDS, sys("mfsr")).with(PRIVILEGED),
            of("mfsrin", x0(31, 659), ENDS, sys("mfsr")).with(PRIVILEGED),
            of("mfbhrbe", x(31, 302), ENDS, sys("bhrb")),
            of("clrbhrb", x(31, 430), ENDS, sys("bhrb")),

            hypervisor("msgsnd", x(31, 206)),
            hypervisor("msgclr", x(31, 238)),
            hypervisor("msgsync", x(31, 886)),
            hypervisor("lwzcix", x0(31, 789)),
            hypervisor("lhzcix", x0(31, 821)),
            hypervisor("lbzcix", x0(31, 853)),
            hypervisor("ldcix", x0(31, 885)),
            hypervisor("stwcix", x(31, 917)),
            hypervisor("sthcix", x(31, 949)),
            hypervisor("stbcix", x(31, 981)),
            hypervisor("stdcix", x(31, 1013)),

            // transactional memory: MSR[TM] is never set, so these raise facility unavailable (TM)
            transactional("tbegin.", 654),
            transactional("tend.", 686),
            transactional("tcheck", 718),
            transactional("tsr.", 750),
            transactional("tabortwc.", 782),
            transactional("tabortdc.", 814),
            transactional("tabortwci.", 846),
            transactional("tabortdci.", 878),
            transactional("tabort.", 910),
            transactional("treclaim.", 942),
            transactional("trechkpt.", 1006));
}
