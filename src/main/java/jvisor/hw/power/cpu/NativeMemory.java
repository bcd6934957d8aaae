package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.X86Assembler.NE;
import static jvisor.hw.power.cpu.X86Assembler.R10;
import static jvisor.hw.power.cpu.X86Assembler.R11;
import static jvisor.hw.power.cpu.X86Assembler.R8;
import static jvisor.hw.power.cpu.X86Assembler.R9;
import static jvisor.hw.power.cpu.X86Assembler.RAX;

import java.util.HashMap;
import java.util.Map;
import jvisor.hw.power.cpu.X86Assembler.Alu;

/**
 * The native tier's loads and stores: the effective address, a probe of the core's data cache
 * (the entries {@link LoadStoreUnit} fills, one array of read entries and one of write entries),
 * and the access to the page's host memory. Anything the probe does not find (a miss, a page
 * crossed, a store to a page that holds decoded code, any store while a reservation may be lost)
 * bails to the interpreter, which performs the access the slow way.
 */
final class NativeMemory {
    private NativeMemory() {
    }

    /** One access form: its size, direction, and how its address and value are formed. */
    private record Form(int size, boolean store, boolean signed, boolean indexed, boolean update, boolean reversed,
                        boolean ds) {
    }

    private static final Map<String, Form> FORMS = new HashMap<>();

    private static void form(String m, int size, boolean store, boolean signed, boolean ds) {
        FORMS.put(m, new Form(size, store, signed, false, false, false, ds));
        FORMS.put(m + "x", new Form(size, store, signed, true, false, false, false));
        if (!m.equals("lwa")) {
            FORMS.put(m + "u", new Form(size, store, signed, false, true, false, ds));
            FORMS.put(m + "ux", new Form(size, store, signed, true, true, false, false));
        }
    }

    static {
        form("lbz", 1, false, false, false);
        form("lhz", 2, false, false, false);
        form("lha", 2, false, true, false);
        form("lwz", 4, false, false, false);
        form("lwa", 4, false, true, true);
        form("ld", 8, false, false, true);
        form("stb", 1, true, false, false);
        form("sth", 2, true, false, false);
        form("stw", 4, true, false, false);
        form("std", 8, true, false, true);
        // dcbz: a store of zeros to the 128-byte block holding the address
        FORMS.put("dcbz", new Form(128, true, false, true, false, false, false));
        FORMS.put("lhbrx", new Form(2, false, false, true, false, true, false));
        FORMS.put("lwbrx", new Form(4, false, false, true, false, true, false));
        FORMS.put("ldbrx", new Form(8, false, false, true, false, true, false));
        FORMS.put("sthbrx", new Form(2, true, false, true, false, true, false));
        FORMS.put("stwbrx", new Form(4, true, false, true, false, true, false));
        FORMS.put("stdbrx", new Form(8, true, false, true, false, true, false));
    }

    static boolean isAccess(String mnemonic) {
        return FORMS.containsKey(mnemonic);
    }

    /** Emits the access; false if this instance has no template (an invalid update form). */
    static boolean emit(NativeBlockWriter wr, String m, int w, int k) {
        Form f = FORMS.get(m);
        int rt = (w >>> 21) & 31, ra = (w >>> 16) & 31, rb = (w >>> 11) & 31;
        if (f.update() && (ra == 0 || (!f.store() && ra == rt))) {
            return false;
        }
        X86Assembler a = wr.asm();
        int state = NativeBlockWriter.STATE;
        // One array: the write entries follow the read entries.
        int table = NativeBlockWriter.READS;
        long entries = f.store() ? 8L * LoadStoreUnit.WR : 0;
        // The effective address, in RAX.
        wr.raOrZeroTo(RAX, ra);
        if (f.indexed()) {
            a.alu(Alu.ADD, RAX, wr.gprOperand(rb));
        } else {
            a.aluImm(Alu.ADD, RAX, f.ds() ? (short) (w & 0xFFFC) : (short) w);
        }
        if (f.size() == 128) {
            a.aluImm(Alu.AND, RAX, -128);
        }
        if (f.update()) {
            a.mov(R11, RAX);
        }
        // The entry: its tag must be the last byte's page and the core's translation mode.
        a.mov(R8, RAX);
        a.shift(X86Assembler.SHR, R8, 12 - LoadStoreUnit.STRIDE_SHIFT, true);
        a.aluImm32(Alu.AND, R8, (LoadStoreUnit.ENTRIES - 1) << LoadStoreUnit.STRIDE_SHIFT);
        a.lea(R9, RAX, f.size() - 1);
        a.aluImm(Alu.AND, R9, -4096);
        a.aluLoad(Alu.OR, R9, state, 8L * NativeTier.MODE);
        a.aluLoadIndexed(Alu.CMP, R9, table, R8, entries + 8L * LoadStoreUnit.TAG);
        wr.bail(NE, k);
        if (f.store()) {
            a.load(R10, state, 8L * NativeTier.CODE_EPOCH);
            a.aluLoadIndexed(Alu.CMP, R10, table, R8, entries + 8L * LoadStoreUnit.CODE_EPOCH);
            wr.bail(NE, k);
            a.aluImmMem(Alu.CMP, state, 8L * NativeTier.RESERVED, 0);
            wr.bail(NE, k);
        }
        a.loadIndexed(R9, table, R8, entries + 8L * LoadStoreUnit.ADDRESS);
        a.aluImm32(Alu.AND, RAX, 0xFFF);
        if (f.size() == 128) {
            a.alu(Alu.ADD, R9, RAX);
            a.alu32(Alu.XOR, R10, R10);
            for (int i = 0; i < 128; i += 8) {
                a.store(R9, i, R10);
            }
        } else if (f.store()) {
            a.mov(R10, wr.gprOperand(rt));
            if (f.reversed()) {
                reverse(a, R10, f.size());
            }
            a.storeBytes(R9, RAX, f.size(), R10);
        } else {
            a.loadBytes(RAX, R9, RAX, f.size(), f.signed());
            if (f.reversed()) {
                reverse(a, RAX, f.size());
            }
            wr.toGpr(rt, RAX);
        }
        if (f.update()) {
            wr.toGpr(ra, R11);
        }
        return true;
    }

    /** The low {@code size} bytes of reg in the other order (zero-extended). */
    private static void reverse(X86Assembler a, int reg, int size) {
        a.bswap(reg, size == 8);
        if (size == 2) {
            a.shift(X86Assembler.SHR, reg, 16, false);
        }
    }
}
