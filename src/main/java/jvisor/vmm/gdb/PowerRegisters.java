package jvisor.vmm.gdb;

import jvisor.hw.power.cpu.Core;
import jvisor.hw.power.Msr;
import jvisor.hw.power.cpu.Spr;
import jvisor.hw.power.cpu.VectorScalarRegisters;

/**
 * The registers gdb sees of a 64-bit POWER core, in the numbering of the target description this
 * class writes ({@link #targetXml()}): r0-r31 (0-31), f0-f31 (32-63), pc, msr, cr, lr, ctr, xer
 * (64-69), fpscr (70), vr0-vr31 (71-102), vscr, vrsave (103, 104) and vs0h-vs31h (105-136), the
 * order gdb's own 64-bit POWER descriptions use, so that a {@code g} packet holds them in that
 * order.
 *
 * <p>Each value is sent in the guest's byte order, which is the order gdb reads the target in (the
 * kernel ELF's): 8 bytes for the 64-bit registers, 4 for cr, xer, vscr and vrsave, 16 for a vector
 * register (the 128-bit value, VSR doubleword 0 the more significant). The floating-point registers
 * are doubleword 0 of VSR0-31 and the vsNh registers their doubleword 1; the vector registers are
 * VSR32-63 ({@link VectorScalarRegisters}).
 */
final class PowerRegisters {
    private PowerRegisters() {}

    static final int F0 = 32, PC = 64, MSR = 65, CR = 66, LR = 67, CTR = 68, XER = 69, FPSCR = 70, VR0 = 71,
            VSCR = 103, VRSAVE = 104, VS0H = 105, COUNT = 137;

    /** Bytes of register {@code n} in a packet; 0 if there is no such register. */
    static int size(int n) {
        if (n < 0 || n >= COUNT) return 0;
        if (n == CR || n == XER || n == VSCR || n == VRSAVE) return 4;
        if (n >= VR0 && n < VR0 + 32) return 16;
        return 8;
    }

    /** Bytes of all registers, as a {@code g} packet holds them. */
    static int totalSize() {
        int t = 0;
        for (int n = 0; n < COUNT; n++) t += size(n);
        return t;
    }

    /** Register {@code n} of {@code core} in the given byte order ({@link #size} bytes). */
    static byte[] read(Core core, int n, boolean bigEndian) {
        VectorScalarRegisters vs = core.vectorScalar();
        if (n >= VR0 && n < VR0 + 32) {
            int v = 32 + n - VR0;
            byte[] b = new byte[16];
            put(b, 0, vs.dw0(v), 8, true);
            put(b, 8, vs.dw1(v), 8, true);
            if (!bigEndian) reverse(b);
            return b;
        }
        long value;
        if (n < 32) value = core.gpr(n);
        else if (n < PC) value = vs.fpr(n - F0);
        else if (n >= VS0H) value = vs.dw1(n - VS0H);
        else value = switch (n) {
            case PC -> core.pc();
            case MSR -> core.msr();
            case CR -> core.cr();
            case LR -> core.lr();
            case CTR -> core.ctr();
            case XER -> core.xer();
            case FPSCR -> vs.fpscr();
            case VSCR -> vs.vscr();
            case VRSAVE -> core.readSpr(Spr.VRSAVE);
            default -> throw new IllegalArgumentException("no register " + n);
        };
        byte[] b = new byte[size(n)];
        put(b, 0, value, b.length, bigEndian);
        return b;
    }

    /**
     * Sets register {@code n} from {@link #size} bytes at {@code off}. MSR[HV] stays 0: the guest
     * never runs in hypervisor state, whatever a debugger writes.
     */
    static void write(Core core, int n, byte[] b, int off, boolean bigEndian) {
        VectorScalarRegisters vs = core.vectorScalar();
        if (n >= VR0 && n < VR0 + 32) {
            byte[] v = java.util.Arrays.copyOfRange(b, off, off + 16);
            if (!bigEndian) reverse(v);
            vs.set(32 + n - VR0, get(v, 0, 8, true), get(v, 8, 8, true));
            return;
        }
        long value = get(b, off, size(n), bigEndian);
        if (n < 32) core.setGpr(n, value);
        else if (n < PC) vs.setFpr(n - F0, value);
        else if (n >= VS0H && n < COUNT) vs.set(n - VS0H, vs.dw0(n - VS0H), value);
        else switch (n) {
            case PC -> core.setPc(value);
            case MSR -> core.setMsr(value & ~Msr.HV);
            case CR -> core.setCr((int) value);
            case LR -> core.setLr(value);
            case CTR -> core.setCtr(value);
            case XER -> core.setXer(value);
            case FPSCR -> vs.setFpscr(value);
            case VSCR -> vs.setVscr((int) value);
            case VRSAVE -> core.writeSpr(Spr.VRSAVE, value);
            default -> throw new IllegalArgumentException("no register " + n);
        }
    }

    /** Every register, in order: a {@code g} reply. */
    static byte[] readAll(Core core, boolean bigEndian) {
        byte[] all = new byte[totalSize()];
        int off = 0;
        for (int n = 0; n < COUNT; n++) {
            byte[] r = read(core, n, bigEndian);
            System.arraycopy(r, 0, all, off, r.length);
            off += r.length;
        }
        return all;
    }

    /** Sets every register a {@code G} packet of {@code b.length} bytes covers (gdb may send fewer). */
    static void writeAll(Core core, byte[] b, boolean bigEndian) {
        int off = 0;
        for (int n = 0; n < COUNT && off + size(n) <= b.length; n++) {
            write(core, n, b, off, bigEndian);
            off += size(n);
        }
    }

    private static void put(byte[] b, int off, long v, int len, boolean bigEndian) {
        for (int i = 0; i < len; i++) {
            int shift = 8 * (bigEndian ? len - 1 - i : i);
            b[off + i] = (byte) (v >>> shift);
        }
    }

    private static long get(byte[] b, int off, int len, boolean bigEndian) {
        long v = 0;
        for (int i = 0; i < len; i++) {
            long x = b[off + i] & 0xFFL;
            v |= x << (8 * (bigEndian ? len - 1 - i : i));
        }
        return v;
    }

    private static void reverse(byte[] b) {
        for (int i = 0, j = b.length - 1; i < j; i++, j--) {
            byte t = b[i];
            b[i] = b[j];
            b[j] = t;
        }
    }

    /**
     * The target description: architecture powerpc:common64 and the four features gdb's POWER
     * support looks for by name, with register names, sizes and numbers as above.
     */
    static String targetXml() {
        StringBuilder x = new StringBuilder(8192);
        x.append("<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target version=\"1.0\">\n");
        x.append("  <architecture>powerpc:common64</architecture>\n");
        x.append("  <feature name=\"org.gnu.gdb.power.core\">\n");
        for (int i = 0; i < 32; i++) reg(x, "r" + i, 64, "uint64", null, i);
        reg(x, "pc", 64, "code_ptr", null, PC);
        reg(x, "msr", 64, "uint64", null, MSR);
        reg(x, "cr", 32, "uint32", null, CR);
        reg(x, "lr", 64, "code_ptr", null, LR);
        reg(x, "ctr", 64, "uint64", null, CTR);
        reg(x, "xer", 32, "uint32", null, XER);
        x.append("  </feature>\n");
        x.append("  <feature name=\"org.gnu.gdb.power.fpu\">\n");
        for (int i = 0; i < 32; i++) reg(x, "f" + i, 64, "ieee_double", null, F0 + i);
        reg(x, "fpscr", 64, "uint64", "float", FPSCR);
        x.append("  </feature>\n");
        x.append("  <feature name=\"org.gnu.gdb.power.altivec\">\n");
        // The views gdb offers of a vector register: lanes of each width, and the whole.
        x.append("    <vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>\n");
        x.append("    <vector id=\"v4i32\" type=\"int32\" count=\"4\"/>\n");
        x.append("    <vector id=\"v8i16\" type=\"int16\" count=\"8\"/>\n");
        x.append("    <vector id=\"v16i8\" type=\"int8\" count=\"16\"/>\n");
        x.append("    <union id=\"vec128\">\n");
        x.append("      <field name=\"uint128\" type=\"uint128\"/>\n");
        x.append("      <field name=\"v4_float\" type=\"v4f\"/>\n");
        x.append("      <field name=\"v4_int32\" type=\"v4i32\"/>\n");
        x.append("      <field name=\"v8_int16\" type=\"v8i16\"/>\n");
        x.append("      <field name=\"v16_int8\" type=\"v16i8\"/>\n");
        x.append("    </union>\n");
        for (int i = 0; i < 32; i++) reg(x, "vr" + i, 128, "vec128", null, VR0 + i);
        reg(x, "vscr", 32, "uint32", "vector", VSCR);
        reg(x, "vrsave", 32, "uint32", "vector", VRSAVE);
        x.append("  </feature>\n");
        x.append("  <feature name=\"org.gnu.gdb.power.vsx\">\n");
        for (int i = 0; i < 32; i++) reg(x, "vs" + i + "h", 64, "uint64", null, VS0H + i);
        x.append("  </feature>\n");
        x.append("</target>\n");
        return x.toString();
    }

    private static void reg(StringBuilder x, String name, int bits, String type, String group, int regnum) {
        x.append("    <reg name=\"").append(name).append("\" bitsize=\"").append(bits).append("\" type=\"").append(type)
                .append('"');
        if (group != null) x.append(" group=\"").append(group).append('"');
        x.append(" regnum=\"").append(regnum).append("\"/>\n");
    }
}
