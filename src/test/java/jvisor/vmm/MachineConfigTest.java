package jvisor.vmm;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineConfigTest {
    static final long MIB = 1L << 20;
    @TempDir Path dir;

    private Path file(String name, int size) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, new byte[size]);
        return p;
    }

    private static String refusal(MachineConfig c) {
        LaunchError e = assertThrows(LaunchError.class, c::validate);
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void theGuestsMachineIsAccepted() throws Exception {
        MachineConfig c = MachineConfig.validated(512 * MIB, 2, file("k.elf", 100), file("initrd", 100), "console=hvc0");
        assertEquals(512 * MIB, c.memoryBytes());
        assertEquals("console=hvc0", c.commandLine());
    }

    @Test
    void aMissingCommandLineIsEmpty() {
        assertEquals("", new MachineConfig(512 * MIB, 1, null, null, null).commandLine());
    }

    @Test
    void memoryOutsideTheLimitsOrUnalignedIsRefused() {
        assertTrue(refusal(new MachineConfig(16 * MIB, 1, null, null, "")).contains("too small"));
        assertTrue(refusal(new MachineConfig(MachineConfig.MAX_MEMORY + 16 * MIB, 1, null, null, "")).contains("too large"));
        assertTrue(refusal(new MachineConfig(100 * MIB + 4096, 1, null, null, "")).contains("multiple of 16 MiB"));
    }

    @Test
    void cpuCountsOutOfRangeAreRefused() {
        assertTrue(refusal(new MachineConfig(512 * MIB, 0, null, null, "")).contains("cpu count 0"));
        assertTrue(refusal(new MachineConfig(512 * MIB, 100000, null, null, "")).contains("out of range"));
    }

    @Test
    void missingKernelOrInitrdFilesAreNamed() throws Exception {
        Path missing = dir.resolve("nope.elf");
        assertEquals("kernel " + missing + ": no such file", refusal(new MachineConfig(512 * MIB, 1, missing, null, "")));
        assertTrue(refusal(new MachineConfig(512 * MIB, 1, null, dir, "")).contains("not a regular file"));
    }

    @Test
    void anInitrdLargerThanHalfOfRamIsRefused() throws Exception {
        Path big = file("big", (int) (40 * MIB));
        assertTrue(refusal(new MachineConfig(64 * MIB, 1, null, big, "")).contains("does not fit"));
    }

    @Test
    void commandLinesTheTreeCannotCarryAreRefused() {
        assertTrue(refusal(new MachineConfig(512 * MIB, 1, null, null, "a\0b")).contains("U+0000"));
        assertTrue(refusal(new MachineConfig(512 * MIB, 1, null, null, "x".repeat(5000))).contains("at most"));
    }
}
