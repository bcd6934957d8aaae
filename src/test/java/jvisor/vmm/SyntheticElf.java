package jvisor.vmm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Builds small ELF64 files, correct or deliberately broken, for the loader's tests. */
public final class SyntheticElf {
    record Load(long vaddr, long paddr, byte[] bytes, long memsz) {}

    boolean bigEndian = true;
    int elfClass = 2, type = ElfLoader.ET_EXEC, machine = ElfLoader.EM_PPC64;
    long entry = 0x400000;
    final List<Load> loads = new ArrayList<>();

    public SyntheticElf load(long addr, byte[] bytes, long memsz) {
        loads.add(new Load(addr, addr, bytes, memsz));
        return this;
    }

    public byte[] build() {
        int phoff = ElfLoader.EHDR_SIZE;
        int dataOff = phoff + ElfLoader.PHDR_SIZE * loads.size();
        int total = dataOff;
        for (Load l : loads) total += l.bytes.length;
        ByteBuffer b = ByteBuffer.allocate(total).order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', (byte) elfClass, (byte) (bigEndian ? 2 : 1), 1, 0});
        b.position(16);
        b.putShort((short) type).putShort((short) machine).putInt(1).putLong(entry).putLong(phoff).putLong(0)
                .putInt(bigEndian ? 2 : 0).putShort((short) 64).putShort((short) ElfLoader.PHDR_SIZE)
                .putShort((short) loads.size()).putShort((short) 64).putShort((short) 0).putShort((short) 0);
        int off = dataOff;
        for (int i = 0; i < loads.size(); i++) {
            Load l = loads.get(i);
            b.position(phoff + i * ElfLoader.PHDR_SIZE);
            b.putInt(ElfLoader.PT_LOAD).putInt(7).putLong(off).putLong(l.vaddr).putLong(l.paddr)
                    .putLong(l.bytes.length).putLong(l.memsz).putLong(0x10000);
            off += l.bytes.length;
        }
        b.position(dataOff);
        for (Load l : loads) b.put(l.bytes);
        return b.array();
    }
}
