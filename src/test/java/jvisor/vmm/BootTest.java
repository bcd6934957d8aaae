package jvisor.vmm;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootTest {
    static final long MIB = 1L << 20;
    @TempDir Path dir;

    @Test
    void theHelloGuestTheInitrdAndTheTreeLandWhereTheBootCpuFindsThem() throws Exception {
        Path kernel = GuestImages.require("le", "hello");
        Path initrd = dir.resolve("initrd");
        Files.write(initrd, "INITRD".getBytes());
        GuestRam ram = new GuestRam(512 * MIB);
        MachineConfig config = MachineConfig.validated(512 * MIB, 1, kernel, initrd, "x=1");
        Boot boot = Boot.prepare(config, ram.memory);
        assertEquals(0x400000, boot.entry());
        assertEquals(512 * MIB - 2 * MIB, boot.fdtAddress());
        FdtReader tree = new FdtReader(ram.read(boot.fdtAddress(), boot.fdtSize()));
        long start = tree.cell("/chosen", "linux,initrd-start") & 0xFFFF_FFFFL; // one cell below 4 GiB, as QEMU
        assertEquals(0, start % 0x10000);
        assertTrue(start >= boot.image().end());
        assertEquals("INITRD", new String(ram.read(start, 6)));
        assertEquals(java.util.List.of("x=1"), tree.strings("/chosen", "bootargs"));
        long rtas = tree.cell("/rtas", "linux,rtas-base") & 0xFFFF_FFFFL;
        byte[] code = ram.read(rtas, RtasBlob.SIZE);
        // Big-endian, whatever the kernel's byte order: RTAS is entered with MSR[LE] = 0.
        assertEquals(0x7C641B78, java.nio.ByteBuffer.wrap(code).getInt(), "mr r4,r3");
        assertEquals(0x44000022, java.nio.ByteBuffer.wrap(code).getInt(12), "sc 1");
    }

    @Test
    void aKernelAndInitrdReachingTheRtasCodeAreRefused() throws Exception {
        // Above 1 GiB of RAM the RTAS code stays below 1 GiB while the tree moves up with the top.
        GuestRam ram = new GuestRam(1100 * MIB);
        SyntheticElf e = new SyntheticElf();
        e.load(0x400000, new byte[4], 1024 * MIB - 0x400000);
        MachineConfig config = new MachineConfig(1100 * MIB, 1, null, null, "");
        LaunchError err = assertThrows(LaunchError.class, () -> Boot.prepare(config, ram.memory, "k.elf", e.build()));
        assertTrue(err.getMessage().contains("RTAS"), err.getMessage());
    }

    @Test
    void anImageReachingTheDeviceTreeIsRefused() {
        GuestRam ram = new GuestRam(64 * MIB);
        SyntheticElf e = new SyntheticElf();
        e.load(0x400000, new byte[4], 63 * MIB - 0x400000);
        MachineConfig config = new MachineConfig(64 * MIB, 1, null, null, "");
        LaunchError err = assertThrows(LaunchError.class, () -> Boot.prepare(config, ram.memory, "big.elf", e.build()));
        assertTrue(err.getMessage().contains("above the device tree"), err.getMessage());
    }
}
