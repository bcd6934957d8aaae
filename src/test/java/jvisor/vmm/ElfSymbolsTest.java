package jvisor.vmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The function names a guest profile gives addresses, from ELF images written here and from a built guest. */
class ElfSymbolsTest {
    private static final int FUNC = 0x12, LABEL = 0x10; // global binding, type FUNC or NOTYPE
    private static final int TEXT = 1, DATA = 2, OPD = 3;

    /** A symbol to write: name, st_info, section index, value, size. */
    private record Sym(String name, int info, int section, long value, long size) {
    }

    /**
     * An ELF64 image with .text at 0x1000 (0x200 bytes), .data at 0x2000, .opd at 0x3000 (one
     * descriptor pointing at {@code descriptorTarget}), .symtab, .strtab and .shstrtab.
     */
    private static byte[] elf(ByteOrder order, long descriptorTarget, Sym... syms) {
        ByteArrayOutputStream strtab = new ByteArrayOutputStream();
        strtab.write(0);
        ByteBuffer symtab = ByteBuffer.allocate(24 * (syms.length + 1)).order(order);
        symtab.position(24); // the null symbol
        for (Sym s : syms) {
            symtab.putInt(strtab.size());
            strtab.writeBytes((s.name() + "\0").getBytes(StandardCharsets.ISO_8859_1));
            symtab.put((byte) s.info()).put((byte) 0).putShort((short) s.section()).putLong(s.value()).putLong(s.size());
        }
        String[] names = {"", ".text", ".data", ".opd", ".symtab", ".strtab", ".shstrtab"};
        ByteArrayOutputStream shstr = new ByteArrayOutputStream();
        int[] nameAt = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            nameAt[i] = shstr.size();
            shstr.writeBytes((names[i] + "\0").getBytes(StandardCharsets.ISO_8859_1));
        }
        ByteBuffer opd = ByteBuffer.allocate(24).order(order).putLong(0, descriptorTarget);
        byte[][] bodies = {new byte[0], new byte[0x200], new byte[0x40], opd.array(), symtab.array(), strtab.toByteArray(),
                shstr.toByteArray()};
        int[] types = {0, 1, 1, 1, 2, 3, 3};
        long[] flags = {0, 6, 3, 3, 0, 0, 0}, addrs = {0, 0x1000, 0x2000, 0x3000, 0, 0, 0};
        long offset = 64;
        long[] offsets = new long[names.length];
        for (int i = 1; i < names.length; i++) {
            offsets[i] = offset;
            offset += bodies[i].length;
        }
        long shoff = offset;
        ByteBuffer b = ByteBuffer.allocate((int) (shoff + 64L * names.length)).order(order);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, (byte) (order == ByteOrder.BIG_ENDIAN ? 2 : 1), 1});
        b.putShort(16, (short) 2).putShort(18, (short) 21).putInt(20, 1).putLong(24, 0x1000).putLong(40, shoff)
                .putShort(52, (short) 64).putShort(58, (short) 64).putShort(60, (short) names.length).putShort(62, (short) 6);
        for (int i = 1; i < names.length; i++) {
            b.put((int) offsets[i], bodies[i]);
            int h = (int) shoff + 64 * i;
            b.putInt(h, nameAt[i]).putInt(h + 4, types[i]).putLong(h + 8, flags[i]).putLong(h + 16, addrs[i])
                    .putLong(h + 24, offsets[i]).putLong(h + 32, bodies[i].length).putInt(h + 40, i == 4 ? 5 : 0)
                    .putLong(h + 56, i == 4 ? 24 : 0);
        }
        return b.array();
    }

    private static final Sym[] SYMS = {
            new Sym("label_alias", LABEL, TEXT, 0x1000, 0), new Sym("alpha", FUNC, TEXT, 0x1000, 0x10),
            new Sym("beta", FUNC, TEXT, 0x1010, 0), new Sym("inner", LABEL, TEXT, 0x1040, 0),
            new Sym("gamma", FUNC, TEXT, 0x1080, 8), new Sym("gamma2", LABEL, TEXT, 0x1080, 0),
            new Sym("table", LABEL, DATA, 0x2000, 0), new Sym("delta", FUNC, OPD, 0x3000, 0),
            new Sym("epsilon", FUNC, TEXT, 0x1100, 0x20)};

    @Test
    void namesFunctionsAndCodeLabelsUpToTheirSizeOrTheNextInEitherByteOrder() {
        for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            ElfSymbols s = ElfSymbols.of(elf(order, 0x10c0, SYMS));
            String o = order.toString();
            assertEquals("alpha", s.at(0x1000), o + ": a function goes before a label at its address");
            assertEquals("alpha", s.at(0x100c), o);
            assertEquals("beta", s.at(0x1010), o);
            assertEquals("beta", s.at(0x103c), o + ": no size: up to the next symbol");
            assertEquals("inner", s.at(0x1040), o + ": a label of code");
            assertEquals("inner", s.at(0x107c), o);
            assertEquals("gamma", s.at(0x1084), o);
            assertNull(s.at(0x1088), o + ": past gamma's 8 bytes");
            assertEquals("delta", s.at(0x10c0), o + ": the ELFv1 descriptor's code");
            assertEquals("delta", s.at(0x10fc), o);
            assertEquals("epsilon", s.at(0x111c), o);
            assertNull(s.at(0x1120), o);
            assertNull(s.at(0xffc), o + ": before the first");
            assertNull(s.at(0x2000), o + ": a label of data names no code");
            assertEquals(6, s.size(), o + ": alpha, beta, inner, gamma, delta, epsilon (aliases once)");
        }
    }

    @Test
    void aKernelLinkedInTheFourthQuadrantIsNamedAtItsRealAddresses() {
        long k = 0xc000_0000_0000_0000L;
        ElfSymbols s = ElfSymbols.of(elf(ByteOrder.LITTLE_ENDIAN, 0, new Sym("relocate", FUNC, TEXT, k + 0x1000, 0x40),
                new Sym("low", FUNC, TEXT, 0x1040, 0x10)));
        assertEquals("relocate", s.at(k + 0x1010));
        assertEquals("relocate", s.at(0x1010), "the MMU off, the same offset");
        assertEquals("low", s.at(0x1040), "a symbol of its own comes first");
        assertNull(s.at(0x1080));
    }

    @Test
    void aMalformedOrStrippedImageNamesNothingAndNeverThrows() {
        byte[] good = elf(ByteOrder.BIG_ENDIAN, 0x10c0, SYMS);
        assertSame(ElfSymbols.NONE, ElfSymbols.of(new byte[0]));
        assertSame(ElfSymbols.NONE, ElfSymbols.of(Arrays.copyOf(good, 63)));
        assertSame(ElfSymbols.NONE, ElfSymbols.of(Arrays.copyOf(good, good.length - 1)), "the section table cut short");
        byte[] farTable = good.clone();
        ByteBuffer.wrap(farTable).order(ByteOrder.BIG_ENDIAN).putLong(40, Long.MAX_VALUE - 8);
        assertSame(ElfSymbols.NONE, ElfSymbols.of(farTable));
        byte[] elf32 = good.clone();
        elf32[4] = 1;
        assertSame(ElfSymbols.NONE, ElfSymbols.of(elf32));
        Random random = new Random(7);
        int named = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] bad = good.clone();
            for (int k = 0, n = 1 + random.nextInt(4); k < n; k++) {
                bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
            }
            if (random.nextInt(8) == 0) bad = Arrays.copyOf(bad, random.nextInt(bad.length));
            ElfSymbols s = ElfSymbols.of(bad); // never throws
            for (long a = 0x1000; a < 0x1140; a += 4) {
                if (s.at(a) != null) named++;
            }
        }
        assertTrue(named > 0, "most damaged copies still name something");
    }

    @Test
    void aBuiltGuestNamesItsEntryAndItsFunctions(@TempDir Path dir) throws Exception {
        Path elf = GuestImages.require("le", "sieve");
        ElfSymbols s = ElfSymbols.of(elf);
        assertTrue(s.size() > 20, "a guest of the project has its runtime's functions: " + s.size());
        long entry = ByteBuffer.wrap(Files.readAllBytes(elf)).order(ByteOrder.LITTLE_ENDIAN).getLong(24);
        assertNotNull(s.at(entry), "the entry point's code is named");
        List<String> names = new ArrayList<>();
        for (long a = entry; a < entry + 0x10000; a += 4) {
            String f = s.at(a);
            if (f != null && !names.contains(f)) names.add(f);
        }
        assertTrue(names.containsAll(List.of("main", "memset", "printf")), names.toString());
        Path missing = dir.resolve("none.elf");
        assertSame(ElfSymbols.NONE, ElfSymbols.of(missing));
        Path stripped = dir.resolve("stripped.elf");
        Files.write(stripped, Arrays.copyOf(Files.readAllBytes(elf), 64));
        assertSame(ElfSymbols.NONE, ElfSymbols.of(stripped));
    }
}
