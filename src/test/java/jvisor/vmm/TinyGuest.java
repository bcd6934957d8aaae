package jvisor.vmm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Hand-assembled big-endian ppc64 guests for tests of the machine and the command line: an ELF
 * with one segment at 0x400000 that first switches to 64-bit mode (the boot CPU starts with
 * MSR[SF]=0), then runs the given words; data words go at {@link #DATA}.
 */
public final class TinyGuest {
    private TinyGuest() {}

    public static final long ENTRY = 0x400000, DATA = 0x400100;
    /** mfmsr r10; li r11,1; sldi r11,r11,63; or r10,r10,r11; mtmsrd r10; isync. */
    private static final int[] SET_SF = {0x7d4000a6, 0x39600001, 0x796bf806, 0x7d4a5b78, 0x7d400164, 0x4c00012c};
    /** The RTAS power-off block to place in the data: token, 2 args, 1 return. */
    public static final int[] POWER_OFF_BLOCK = {RtasService.POWER_OFF.token, 2, 1, -1, -1, 0};
    /** KVMPPC_H_RTAS with the block at {@link #DATA}: li r3,0; ori r3,r3,0xf000; lis r4,0x40; ori r4,r4,0x100; sc 1; b . */
    public static final int[] POWER_OFF = {0x38600000, 0x6063f000, 0x3c800040, 0x60840100, 0x44000022, 0x48000000};

    /** The ELF image: 64-bit mode, then {@code words} (at most 58 of them), {@code data} at {@link #DATA}. */
    public static byte[] elf(int[] words, int... data) {
        if (4 * (SET_SF.length + words.length) > DATA - ENTRY) throw new IllegalArgumentException("code too long");
        ByteBuffer b = ByteBuffer.allocate((int) (DATA - ENTRY) + 4 * data.length);
        for (int w : SET_SF) b.putInt(w);
        for (int w : words) b.putInt(w);
        b.position((int) (DATA - ENTRY));
        for (int w : data) b.putInt(w);
        return new SyntheticElf().load(ENTRY, b.array(), 0x10000).build();
    }

    /** Writes {@link #elf} to {@code dir/name} and returns its path. */
    public static Path write(Path dir, String name, int[] words, int... data) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, elf(words, data));
        return p;
    }

    /** Concatenates code fragments. */
    public static int[] code(int[]... parts) {
        int n = 0;
        for (int[] p : parts) n += p.length;
        int[] all = new int[n];
        int i = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, all, i, p.length);
            i += p.length;
        }
        return all;
    }
}
