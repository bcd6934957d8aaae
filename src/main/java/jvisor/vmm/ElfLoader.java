package jvisor.vmm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import jvisor.memory.GuestMemory;

/**
 * Loads a 64-bit PowerPC ELF kernel into guest RAM the way QEMU's pseries {@code -kernel} does
 * for the images the project builds: each PT_LOAD of an ET_EXEC image at its p_paddr, of an
 * ET_DYN image at {@link MachineLayout#KERNEL_BASE} + p_paddr; bytes past p_filesz up to
 * p_memsz are zeroed. Either byte order is accepted (ELFv1 or ELFv2 alike: the entry point is an
 * address of code in both cases for a kernel).
 *
 * <p>The whole file is checked before a byte reaches guest memory, so a refused image leaves RAM
 * untouched. Every refusal is a one-line {@link LaunchError} naming the file.
 */
public final class ElfLoader {
    private ElfLoader() {}

    static final int EHDR_SIZE = 64, PHDR_SIZE = 56;
    static final int ET_EXEC = 2, ET_DYN = 3;
    static final int EM_PPC64 = 21;
    static final int PT_LOAD = 1;
    /** More program headers than any kernel has; bounds the work a hostile file can ask for. */
    static final int MAX_PHDRS = 1024;

    /**
     * Reads and loads {@code file}; see the class comment. Only the headers are read whole; each
     * segment goes from the file to guest memory a piece at a time, so a kernel of tens of
     * megabytes is never held in the JVM at once (a 46 MB vmlinux read whole used to stay
     * resident twice over: in the heap and in the direct buffer the JDK reads files through).
     */
    public static LoadedImage load(Path file, GuestMemory memory, long ramSize) throws LaunchError {
        String name = file.toString();
        if (!Files.exists(file)) throw new LaunchError(name + ": no such file");
        if (!Files.isRegularFile(file)) throw new LaunchError(name + ": not a regular file");
        long size = MachineConfig.sizeOf("kernel", file);
        if (size > ramSize || size > Integer.MAX_VALUE - 16) {
            throw new LaunchError(name + ": " + SizeText.of(size) + " is larger than the machine's memory");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            byte[] head = readAt(ch, 0, (int) Math.min(size, HEAD_BYTES));
            long tableEnd = headersEnd(head);
            if (tableEnd > head.length && tableEnd <= size) {
                head = readAt(ch, 0, (int) tableEnd); // program headers far into the file
            }
            Plan plan = plan(name, head, size, ramSize);
            byte[] piece = new byte[(int) Math.min(size, PIECE_BYTES)];
            for (Segment s : plan.segments) {
                for (long done = 0; done < s.fileSize; ) {
                    int n = (int) Math.min(piece.length, s.fileSize - done);
                    readFully(ch, s.offset + done, piece, n);
                    if (!memory.write(s.address + done, piece, 0, n)) throw unusable(name, s);
                    done += n;
                }
                if (!zero(memory, s.address + s.fileSize, s.memSize - s.fileSize)) throw unusable(name, s);
            }
            return plan.image;
        } catch (IOException e) {
            throw new LaunchError(name + ": " + MachineConfig.oneLine(e));
        }
    }

    /** The first bytes of a file read to check it: the ELF header and, usually, the program headers. */
    private static final int HEAD_BYTES = 64 * 1024;
    /** A segment is copied from the file in pieces of this size. */
    private static final int PIECE_BYTES = 1 << 20;

    /** Where the program header table ends by the ELF header in {@code head}, or 0 if it cannot tell. */
    private static long headersEnd(byte[] head) {
        if (head.length < EHDR_SIZE || (head[5] != 1 && head[5] != 2)) return 0;
        ByteBuffer h = ByteBuffer.wrap(head).order(head[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        long phoff = h.getLong(32);
        long tableBytes = (long) (h.getShort(54) & 0xFFFF) * (h.getShort(56) & 0xFFFF);
        return phoff < 0 || phoff > Integer.MAX_VALUE ? 0 : phoff + tableBytes;
    }

    /** {@code length} bytes of the file at {@code position} (an IOException if the file ends first). */
    static byte[] readAt(FileChannel ch, long position, int length) throws IOException {
        byte[] b = new byte[length];
        readFully(ch, position, b, length);
        return b;
    }

    private static void readFully(FileChannel ch, long position, byte[] into, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(into, 0, length);
        while (buf.hasRemaining()) {
            if (ch.read(buf, position + buf.position()) < 0) throw new IOException("the file shrank while it was read");
        }
    }

    private static LaunchError unusable(String name, Segment s) {
        return new LaunchError(String.format("%s: guest memory in [0x%x, 0x%x) is not usable RAM", name,
                s.address, s.address + s.memSize));
    }

    /** Loads an image held in memory (an embedded guest); {@code name} is used in messages. */
    public static LoadedImage load(String name, byte[] image, GuestMemory memory, long ramSize) throws LaunchError {
        Plan plan = plan(name, image, image.length, ramSize);
        for (Segment s : plan.segments) {
            if (!memory.write(s.address, image, (int) s.offset, (int) s.fileSize)
                    || !zero(memory, s.address + s.fileSize, s.memSize - s.fileSize)) {
                throw unusable(name, s);
            }
        }
        return plan.image;
    }

    /** Checks an image without loading it: what {@link #load} would place, or why it refuses. */
    public static LoadedImage inspect(String name, byte[] image, long ramSize) throws LaunchError {
        return plan(name, image, image.length, ramSize).image;
    }

    private record Segment(long address, long offset, long fileSize, long memSize) {}

    private record Plan(LoadedImage image, java.util.List<Segment> segments) {}

    /**
     * Checks the image whose first bytes are {@code b} ({@code fileLength} in all: the program
     * headers must lie in {@code b}, the segments' bytes only in the file).
     */
    private static Plan plan(String name, byte[] b, long fileLength, long ramSize) throws LaunchError {
        if (b.length < 4 || b[0] != 0x7f || b[1] != 'E' || b[2] != 'L' || b[3] != 'F') {
            throw new LaunchError(name + ": not an ELF file");
        }
        if (b.length < 16) throw new LaunchError(name + ": truncated ELF header");
        if (b[4] != 2) throw new LaunchError(name + ": not a 64-bit ELF file (class " + b[4] + ")");
        boolean bigEndian;
        if (b[5] == 2) bigEndian = true;
        else if (b[5] == 1) bigEndian = false;
        else throw new LaunchError(name + ": unknown ELF byte order " + b[5]);
        if (b[6] != 1) throw new LaunchError(name + ": unknown ELF version " + b[6]);
        if (b.length < EHDR_SIZE) throw new LaunchError(name + ": truncated ELF header");
        ByteBuffer h = ByteBuffer.wrap(b).order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);

        int type = h.getShort(16) & 0xFFFF;
        int machine = h.getShort(18) & 0xFFFF;
        if (machine != EM_PPC64) {
            throw new LaunchError(name + ": not a PowerPC64 ELF file (machine " + machine + ")");
        }
        if (type != ET_EXEC && type != ET_DYN) {
            throw new LaunchError(name + ": not an executable ELF file (type " + type + ")");
        }
        long entry = h.getLong(24);
        long phoff = h.getLong(32);
        int phentsize = h.getShort(54) & 0xFFFF;
        int phnum = h.getShort(56) & 0xFFFF;
        if (phnum == 0) throw new LaunchError(name + ": no program headers");
        if (phnum > MAX_PHDRS) throw new LaunchError(name + ": " + phnum + " program headers is too many");
        if (phentsize < PHDR_SIZE) throw new LaunchError(name + ": program header size " + phentsize + " is too small");
        if (phoff < 0 || phoff > b.length || (long) phnum * phentsize > b.length - phoff) {
            throw new LaunchError(name + ": truncated (program headers end beyond the file)");
        }

        long base = type == ET_DYN ? MachineLayout.KERNEL_BASE : 0;
        java.util.List<Segment> segs = new java.util.ArrayList<>();
        long lo = Long.MAX_VALUE, hi = 0, realEntry = -1;
        for (int i = 0; i < phnum; i++) {
            int p = (int) (phoff + (long) i * phentsize);
            if (h.getInt(p) != PT_LOAD) continue;
            long offset = h.getLong(p + 8);
            long vaddr = h.getLong(p + 16);
            long paddr = h.getLong(p + 24);
            long filesz = h.getLong(p + 32);
            long memsz = h.getLong(p + 40);
            String seg = "segment " + i;
            if (filesz < 0 || memsz < 0 || filesz > memsz) {
                throw new LaunchError(name + ": " + seg + " has file size 0x" + Long.toHexString(filesz)
                        + " above its memory size 0x" + Long.toHexString(memsz));
            }
            if (offset < 0 || offset > fileLength || filesz > fileLength - offset) {
                throw new LaunchError(name + ": truncated (" + seg + " ends beyond the file)");
            }
            long addr = base + paddr;
            if (paddr < 0 || addr < 0 || memsz > ramSize || addr > ramSize - memsz) {
                throw new LaunchError(String.format("%s: %s at 0x%x..0x%x lies outside the %s of RAM",
                        name, seg, addr, addr + memsz, SizeText.of(ramSize)));
            }
            if (memsz == 0) continue;
            segs.add(new Segment(addr, offset, filesz, memsz));
            lo = Math.min(lo, addr);
            hi = Math.max(hi, addr + memsz);
            // The entry is a link-time (virtual) address; follow it into the segment that holds it.
            if (realEntry < 0 && Long.compareUnsigned(entry - vaddr, memsz) < 0) {
                realEntry = addr + (entry - vaddr);
            }
        }
        if (segs.isEmpty()) throw new LaunchError(name + ": no loadable segment");
        if (realEntry < 0) {
            throw new LaunchError(String.format("%s: entry point 0x%x is not inside a loadable segment", name, entry));
        }
        return new Plan(new LoadedImage(realEntry, bigEndian, lo, hi, type == ET_DYN), segs);
    }

    private static boolean zero(GuestMemory memory, long address, long length) {
        byte[] zeros = new byte[(int) Math.min(length, 64 * 1024)];
        for (long done = 0; done < length; ) {
            int n = (int) Math.min(zeros.length, length - done);
            if (!memory.write(address + done, zeros, 0, n)) return false;
            done += n;
        }
        return true;
    }
}
