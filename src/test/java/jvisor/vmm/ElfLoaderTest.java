package jvisor.vmm;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElfLoaderTest {
    static final long MIB = 1L << 20;
    @TempDir Path dir;

    private final GuestRam ram = new GuestRam(64 * MIB);

    private String refusal(byte[] image) {
        LaunchError e = assertThrows(LaunchError.class, () -> ElfLoader.load("k.elf", image, ram.memory, ram.size));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().startsWith("k.elf: "), e.getMessage());
        return e.getMessage();
    }

    @Test
    void theLittleEndianHelloGuestLoadsAtItsPhysicalAddress() throws Exception {
        Path elf = GuestImages.require("le", "hello");
        LoadedImage img = ElfLoader.load(elf, ram.memory, ram.size);
        assertFalse(img.bigEndian());
        assertEquals(0x400000, img.entry());
        assertEquals(0x400000, img.start());
        assertFalse(img.relocated());
        assertTrue(img.end() > img.start() + 64 * 1024, "the segment includes the 64 KiB stack");
        // crt0's first words are big-endian in both builds, so the first bytes match the file's text.
        byte[] file = Files.readAllBytes(elf);
        byte[] loaded = ram.read(0x400000, 44);
        assertTrue(indexOf(file, loaded) > 0, "the first 11 words of the image are in guest memory");
    }

    @Test
    void theBigEndianHelloGuestLoadsAndSaysSo() throws Exception {
        LoadedImage img = ElfLoader.load(GuestImages.require("be", "hello"), ram.memory, ram.size);
        assertTrue(img.bigEndian());
        assertEquals(0x400000, img.entry());
    }

    @Test
    void bytesBeyondTheFileSizeAreZeroed() throws Exception {
        byte[] dirt = new byte[8192];
        Arrays.fill(dirt, (byte) 0x5A);
        ram.memory.write(0x500000, dirt, 0, dirt.length);
        SyntheticElf e = new SyntheticElf();
        e.entry = 0x500000;
        e.load(0x500000, new byte[] {1, 2, 3, 4}, 0x2000);
        LoadedImage img = ElfLoader.load("k.elf", e.build(), ram.memory, ram.size);
        assertEquals(0x502000, img.end());
        byte[] got = ram.read(0x500000, 0x2000);
        assertArrayEquals(new byte[] {1, 2, 3, 4}, Arrays.copyOf(got, 4));
        for (int i = 4; i < got.length; i++) assertEquals(0, got[i], "byte " + i);
    }

    @Test
    void aRelocatableImageGoesAtFourMiBWithItsEntry() throws Exception {
        SyntheticElf e = new SyntheticElf();
        e.type = ElfLoader.ET_DYN;
        e.bigEndian = false;
        e.entry = 0x10;
        e.load(0, new byte[] {9, 8, 7, 6}, 0x100);
        LoadedImage img = ElfLoader.load("k.elf", e.build(), ram.memory, ram.size);
        assertTrue(img.relocated());
        assertEquals(0x400010, img.entry());
        assertEquals(0x400000, img.start());
        assertArrayEquals(new byte[] {9, 8, 7, 6}, ram.read(0x400000, 4));
    }

    @Test
    void aVirtualEntryPointIsFollowedIntoItsSegment() throws Exception {
        SyntheticElf e = new SyntheticElf();
        e.entry = 0xC000000000000100L;
        e.loads.add(new SyntheticElf.Load(0xC000000000000000L, 0, new byte[16], 0x1000));
        LoadedImage img = ElfLoader.load("k.elf", e.build(), ram.memory, ram.size);
        assertEquals(0x100, img.entry());
    }

    @Test
    void aMissingFileIsOneLine() {
        Path p = dir.resolve("missing.elf");
        LaunchError e = assertThrows(LaunchError.class, () -> ElfLoader.load(p, ram.memory, ram.size));
        assertEquals(p + ": no such file", e.getMessage());
    }

    @Test
    void foreignFilesAreRefused() throws Exception {
        assertEquals("k.elf: not an ELF file", refusal("#!/bin/sh\necho hi\n".getBytes()));
        assertEquals("k.elf: not an ELF file", refusal(new byte[0]));
        SyntheticElf e32 = new SyntheticElf();
        e32.elfClass = 1;
        e32.load(0x400000, new byte[4], 4);
        assertTrue(refusal(e32.build()).contains("not a 64-bit ELF file"));
        SyntheticElf x86 = new SyntheticElf();
        x86.machine = 62;
        x86.load(0x400000, new byte[4], 4);
        assertEquals("k.elf: not a PowerPC64 ELF file (machine 62)", refusal(x86.build()));
        SyntheticElf rel = new SyntheticElf();
        rel.type = 1;
        rel.load(0x400000, new byte[4], 4);
        assertTrue(refusal(rel.build()).contains("not an executable"));
    }

    @Test
    void hostElfFilesAreRefusedAsForeign() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(java));
        LaunchError e = assertThrows(LaunchError.class, () -> ElfLoader.load(java, ram.memory, ram.size));
        assertTrue(e.getMessage().contains("not a PowerPC64 ELF file"), e.getMessage());
    }

    @Test
    void truncatedFilesAreRefusedWhereverTheyEnd() throws Exception {
        byte[] good = new SyntheticElf().load(0x400000, new byte[256], 256).build();
        assertTrue(refusal(Arrays.copyOf(good, 10)).contains("truncated ELF header"));
        assertTrue(refusal(Arrays.copyOf(good, 40)).contains("truncated ELF header"));
        assertTrue(refusal(Arrays.copyOf(good, 80)).contains("program headers end beyond the file"));
        assertTrue(refusal(Arrays.copyOf(good, good.length - 1)).contains("segment 0 ends beyond the file"));
    }

    @Test
    void aTruncatedRealGuestIsRefused() throws Exception {
        byte[] whole = Files.readAllBytes(GuestImages.require("le", "hello"));
        Path cut = dir.resolve("cut.elf");
        Files.write(cut, Arrays.copyOf(whole, whole.length / 3));
        LaunchError e = assertThrows(LaunchError.class, () -> ElfLoader.load(cut, ram.memory, ram.size));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void segmentsOutsideRamAreRefusedBeforeAnythingIsWritten() {
        byte[] marker = {0x11};
        ram.memory.write(0x400000, marker, 0, 1);
        SyntheticElf e = new SyntheticElf();
        e.load(0x400000, new byte[] {0x22}, 1).load(ram.size - 8, new byte[16], 16);
        assertTrue(refusal(e.build()).contains("lies outside the 64 MiB of RAM"));
        assertEquals(0x11, ram.read(0x400000, 1)[0], "a refused image leaves RAM untouched");
        SyntheticElf huge = new SyntheticElf();
        huge.loads.add(new SyntheticElf.Load(0x400000, 0x400000, new byte[4], -1L));
        assertTrue(refusal(huge.build()).contains("file size"));
        SyntheticElf wrap = new SyntheticElf();
        wrap.loads.add(new SyntheticElf.Load(0x400000, 0x7FFFFFFFFFFFFFF0L, new byte[4], 0x100));
        assertTrue(refusal(wrap.build()).contains("outside"));
    }

    @Test
    void anEntryOutsideEverySegmentIsRefused() {
        SyntheticElf e = new SyntheticElf();
        e.entry = 0x900000;
        e.load(0x400000, new byte[4], 0x1000);
        assertTrue(refusal(e.build()).contains("entry point 0x900000"));
    }

    @Test
    void absurdProgramHeaderCountsAreRefused() {
        byte[] good = new SyntheticElf().load(0x400000, new byte[4], 4).build();
        good[56] = 0; // e_phnum high byte (big-endian)
        good[57] = 0;
        assertTrue(refusal(good).contains("no program headers"));
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
