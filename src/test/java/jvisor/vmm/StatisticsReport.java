package jvisor.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** One of the project's little-endian guests run to power-off on a fresh machine, and what {@code --stats} prints for it. */
final class StatisticsReport {
    private StatisticsReport() {
    }

    static String of(String guest, int cpus) throws Exception {
        return run(guest, cpus)[0];
    }

    /** The report, and the guest's console output. */
    static String[] run(String guest, int cpus) throws Exception {
        Path elf = GuestImages.require("le", guest);
        ByteArrayOutputStream out = new ByteArrayOutputStream(), report = new ByteArrayOutputStream();
        MachineConfig config = MachineConfig.validated(512L << 20, cpus, elf, null, "");
        PseriesMachine machine = new PseriesMachine(config, out, new ByteArrayInputStream(new byte[0]), System.err);
        try {
            machine.measureHostCpu();
            machine.load();
            assertEquals(0, machine.run(120_000), out.toString(StandardCharsets.ISO_8859_1));
            machine.printStatistics(new PrintStream(report, true, StandardCharsets.UTF_8));
        } finally {
            machine.destroy();
        }
        return new String[] {report.toString(StandardCharsets.UTF_8), out.toString(StandardCharsets.ISO_8859_1)};
    }
}
