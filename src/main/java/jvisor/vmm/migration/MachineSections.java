package jvisor.vmm.migration;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import jvisor.kvm.power.PartitionState;
import jvisor.kvm.power.PowerVcpu;
import jvisor.kvm.power.PowerVmState;
import jvisor.kvm.power.VcpuState;
import jvisor.kvm.power.XicsSourcesState;
import jvisor.vmm.ConsoleState;
import jvisor.vmm.PseriesMachine;
import jvisor.vmm.RtasState;
import jvisor.vmm.UartState;

/**
 * Every piece of the machine's state beyond RAM, one section per component, each written and
 * read by the state class beside that component. The partition comes first: it holds the
 * timebase, which the vCPUs' decrementers are restored against.
 */
final class MachineSections {
    private MachineSections() {}

    /** With every vCPU paused and the timebase held. */
    static void save(PseriesMachine m, StreamWriter w) throws IOException {
        PowerVmState shared = PowerVmState.of(m.vm());
        PartitionState.save(shared, w.begin());
        w.finish(Section.PARTITION);
        XicsSourcesState.save(shared.interruptSources(), w.begin());
        w.finish(Section.XICS);
        for (PowerVcpu v : m.vcpus()) {
            VcpuState.save(v, w.begin());
            w.finish(Section.VCPU);
        }
        ConsoleState.save(m.console(), w.begin());
        w.finish(Section.CONSOLE);
        RtasState.save(m.rtas(), m.nvram(), w.begin());
        w.finish(Section.RTAS);
        UartState.save(m.uart(), w.begin());
        w.finish(Section.UART);
    }

    /** Restores the destination's side, section by section, and says which are still missing at the end. */
    static final class Restorer {
        private final PseriesMachine machine;
        private final EnumSet<Section> seen = EnumSet.noneOf(Section.class);
        private int vcpus;

        Restorer(PseriesMachine machine) {
            this.machine = machine;
        }

        void apply(StreamReader.Read r) throws StreamException {
            Section t = r.type();
            if (t != Section.VCPU && !seen.add(t)) throw StreamException.damaged("the stream has two " + t + " sections");
            if (t != Section.PARTITION && !seen.contains(Section.PARTITION)) {
                throw StreamException.damaged("the stream's " + t + " section comes before the partition's");
            }
            DataInputStream in = r.data();
            PowerVmState shared = PowerVmState.of(machine.vm());
            try {
                switch (t) {
                    case PARTITION -> PartitionState.restore(shared, in);
                    case XICS -> XicsSourcesState.restore(shared.interruptSources(), in);
                    case VCPU -> {
                        List<PowerVcpu> all = machine.vcpus();
                        if (vcpus >= all.size()) throw StreamException.damaged("the stream has more vCPUs than the machine");
                        VcpuState.restore(all.get(vcpus++), in);
                    }
                    case CONSOLE -> ConsoleState.restore(machine.console(), in);
                    case RTAS -> RtasState.restore(machine.rtas(), machine.nvram(), in);
                    case UART -> UartState.restore(machine.uart(), in);
                    default -> throw new IllegalArgumentException(t + " is not machine state");
                }
                if (in.available() != 0) throw StreamException.damaged("the " + t + " section has " + in.available() + " bytes too many");
            } catch (IOException e) {
                throw StreamException.damaged("the " + t + " section cannot be read: "
                        + (e instanceof java.io.EOFException ? "it is too short" : e.getMessage()));
            }
        }

        /** Null if everything came, else what is missing. */
        String missing() {
            for (Section s : List.of(Section.PARTITION, Section.XICS, Section.CONSOLE, Section.RTAS, Section.UART)) {
                if (!seen.contains(s)) return "the stream has no " + s + " section";
            }
            if (vcpus != machine.vcpus().size()) return "the stream has " + vcpus + " vCPU sections for " + machine.vcpus().size() + " vCPUs";
            return null;
        }
    }
}
