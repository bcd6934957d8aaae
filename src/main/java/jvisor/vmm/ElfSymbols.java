package jvisor.vmm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The functions of a guest's ELF file by address, from its symbol table (.symtab): what a guest
 * profile ({@link GuestProfiler}) names the addresses it sampled by. Only 64-bit files, either
 * byte order. Function symbols, and the untyped labels of code sections (assembly's entry code,
 * whose loops are functions in all but name), each up to its size or, without one, to the next;
 * where two share an address, a function's name goes before a label's. A symbol of ELFv1 names
 * a function descriptor in .opd; its code is where the descriptor's first doubleword points. A file without a symbol table (stripped) names nothing,
 * and so does one whose headers or table do not fit in it: symbols are read for a report, never
 * to run the guest, so a malformed table is simply not used.
 */
public final class ElfSymbols {
    /** No function known: every address is unnamed. */
    public static final ElfSymbols NONE = new ElfSymbols(new long[0], new long[0], new String[0]);

    private static final int SHT_SYMTAB = 2, STT_NOTYPE = 0, STT_FUNC = 2, SYM_SIZE = 24, SHDR_SIZE = 64;
    private static final long SHF_EXECINSTR = 4;
    /** Bounds on what is read: the symbol and string tables of a distribution's kernel are a few MB. */
    private static final long MAX_TABLE = 64L << 20;
    private static final int MAX_NAME = 512;

    private final long[] starts, ends;
    private final String[] names;

    private ElfSymbols(long[] starts, long[] ends, String[] names) {
        this.starts = starts;
        this.ends = ends;
        this.names = names;
    }

    /** The functions of the ELF file at {@code file}; {@link #NONE} if it has none or cannot be read. */
    public static ElfSymbols of(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(new Source() {
                public long length() throws IOException {
                    return ch.size();
                }

                public ByteBuffer read(long offset, int length) throws IOException {
                    return ByteBuffer.wrap(ElfLoader.readAt(ch, offset, length));
                }
            });
        } catch (IOException | RuntimeException e) {
            return NONE;
        }
    }

    /** The functions of an ELF image held in memory; {@link #NONE} if it has none or they do not fit in it. */
    public static ElfSymbols of(byte[] image) {
        try {
            return read(new Source() {
                public long length() {
                    return image.length;
                }

                public ByteBuffer read(long offset, int length) {
                    return ByteBuffer.wrap(image, (int) offset, length).slice();
                }
            });
        } catch (IOException | RuntimeException e) {
            return NONE;
        }
    }

    /** Functions named. */
    public int size() {
        return names.length;
    }

    /**
     * The function {@code address} lies in, or null: past a function's size, or before the first.
     * A kernel linked in the fourth quadrant (Linux's 0xc000000000000000) runs its early code and
     * its real-mode interrupt entry at the same offsets with the MMU off: an address below that
     * quadrant that names nothing is looked up there too.
     */
    public String at(long address) {
        String f = lookup(address);
        return f != null || (address >>> 60) != 0 ? f : lookup(address | KERNEL_QUADRANT);
    }

    private static final long KERNEL_QUADRANT = 0xc000_0000_0000_0000L;

    private String lookup(long address) {
        int lo = 0, hi = starts.length - 1, found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(starts[mid], address) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found >= 0 && Long.compareUnsigned(address, ends[found]) < 0 ? names[found] : null;
    }

    /** Reads byte ranges of the file; every range is checked against the file's length first. */
    private interface Source {
        long length() throws IOException;

        ByteBuffer read(long offset, int length) throws IOException;
    }

    private record Section(String name, int type, long flags, long address, long offset, long size, int link) {
        boolean holds(long a) {
            return Long.compareUnsigned(a - address, size) < 0;
        }
    }

    /** A function or, {@code label} true, an untyped label of code. */
    private record Function(long start, long size, String name, boolean label) {
    }

    private static ByteBuffer range(Source in, long offset, long length, ByteOrder order) throws IOException {
        long fileLength = in.length();
        if (offset < 0 || length < 0 || length > MAX_TABLE || offset > fileLength - length) {
            throw new IOException("outside the file");
        }
        return in.read(offset, (int) length).order(order);
    }

    private static ElfSymbols read(Source in) throws IOException {
        ByteBuffer ident = range(in, 0, 64, ByteOrder.LITTLE_ENDIAN);
        if (ident.getInt(0) != 0x464c457f || ident.get(4) != 2 || (ident.get(5) != 1 && ident.get(5) != 2)) {
            return NONE; // not ELF64
        }
        ByteOrder order = ident.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        ByteBuffer h = ident.order(order);
        long shoff = h.getLong(0x28);
        int shentsize = h.getShort(0x3A) & 0xFFFF, shnum = h.getShort(0x3C) & 0xFFFF, shstrndx = h.getShort(0x3E) & 0xFFFF;
        if (shoff == 0 || shnum == 0 || shentsize != SHDR_SIZE || shstrndx >= shnum) {
            return NONE;
        }
        ByteBuffer table = range(in, shoff, (long) shnum * SHDR_SIZE, order);
        long[][] raw = new long[shnum][];
        for (int i = 0; i < shnum; i++) {
            int at = i * SHDR_SIZE;
            raw[i] = new long[] {table.getInt(at) & 0xFFFFFFFFL, table.getInt(at + 4) & 0xFFFFFFFFL, table.getLong(at + 8),
                    table.getLong(at + 16), table.getLong(at + 24), table.getLong(at + 32), table.getInt(at + 40) & 0xFFFFFFFFL};
        }
        ByteBuffer shstr = range(in, raw[shstrndx][4], raw[shstrndx][5], order);
        List<Section> sections = new ArrayList<>();
        for (long[] s : raw) {
            sections.add(new Section(string(shstr, s[0]), (int) s[1], s[2], s[3], s[4], s[5], (int) s[6]));
        }
        Section symtab = sections.stream().filter(s -> s.type() == SHT_SYMTAB).findFirst().orElse(null);
        if (symtab == null || symtab.link() >= shnum) {
            return NONE;
        }
        ByteBuffer syms = range(in, symtab.offset(), symtab.size() - symtab.size() % SYM_SIZE, order);
        ByteBuffer strs = range(in, sections.get(symtab.link()).offset(), sections.get(symtab.link()).size(), order);
        Section opd = sections.stream().filter(s -> s.name().equals(".opd")).findFirst().orElse(null);
        ByteBuffer descriptors = opd == null ? null : range(in, opd.offset(), opd.size(), order);
        List<Function> functions = new ArrayList<>();
        for (int at = 0; at + SYM_SIZE <= syms.limit(); at += SYM_SIZE) {
            int info = syms.get(at + 4), shndx = syms.getShort(at + 6) & 0xFFFF;
            long value = syms.getLong(at + 8), size = syms.getLong(at + 16);
            boolean label = (info & 0xF) == STT_NOTYPE;
            if (!(label || (info & 0xF) == STT_FUNC) || shndx == 0 || shndx >= shnum || value == 0
                    || (label && (sections.get(shndx).flags() & SHF_EXECINSTR) == 0)) {
                continue;
            }
            if (descriptors != null && opd.holds(value)) {
                // ELFv1: the symbol names the descriptor; its first doubleword is the code's address.
                long at8 = value - opd.address();
                if (at8 > descriptors.limit() - 8) {
                    continue;
                }
                value = descriptors.getLong((int) at8);
            }
            String name = string(strs, syms.getInt(at) & 0xFFFFFFFFL);
            if (!name.isEmpty()) {
                functions.add(new Function(value, size, name, label));
            }
        }
        return of(functions);
    }

    /** Sorted by address; a function without a size ends where the next begins (or after one word). */
    private static ElfSymbols of(List<Function> functions) {
        functions.sort(Comparator.comparing(Function::start, Long::compareUnsigned).thenComparing(Function::label));
        int n = functions.size();
        long[] starts = new long[n], ends = new long[n];
        String[] names = new String[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            Function f = functions.get(i);
            if (k > 0 && starts[k - 1] == f.start()) {
                continue; // another name for the one before
            }
            long next = f.start() + 4;
            for (int j = i + 1; j < n; j++) {
                if (functions.get(j).start() != f.start()) {
                    next = functions.get(j).start();
                    break;
                }
            }
            starts[k] = f.start();
            ends[k] = f.size() != 0 ? f.start() + f.size() : next;
            names[k] = f.name();
            k++;
        }
        return new ElfSymbols(Arrays.copyOf(starts, k), Arrays.copyOf(ends, k), Arrays.copyOf(names, k));
    }

    /** The NUL-terminated string at {@code offset} of a string table ("" if it is not there). */
    private static String string(ByteBuffer table, long offset) {
        if (offset < 0 || offset >= table.limit()) {
            return "";
        }
        int start = (int) offset, end = start;
        while (end < table.limit() && end - start < MAX_NAME && table.get(end) != 0) {
            end++;
        }
        byte[] b = new byte[end - start];
        table.get(start, b);
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
