package jvisor.hw.power.cpu;

import static jvisor.hw.power.cpu.VectorInstructions.elem;
import static jvisor.hw.power.cpu.VectorInstructions.put;
import static jvisor.hw.power.cpu.VectorInstructions.spec;
import static jvisor.hw.power.cpu.VectorInstructions.vb;
import static jvisor.hw.power.cpu.VectorInstructions.vt;
import static jvisor.hw.power.cpu.VectorInstructions.with;

import java.util.List;
import jvisor.hw.power.Mmu;

/**
 * Vector loads and stores, lvsl/lvsr and the VSCR moves (ISA 3.0B Book I 6.7, 6.11).
 *
 * <p>lvx/stvx ignore the low four bits of the EA. In big-endian mode storage byte i is VR byte
 * i; in little-endian mode the quadword is byte-reversed, so storage byte i is VR byte 15-i (the
 * quadword is a 128-bit little-endian integer). The element forms move the element EA[60:63]
 * names (BE) or its mirror 15-EA[60:63] (LE), with the EA aligned down to the element size; the
 * other elements of VRT, which the ISA leaves undefined, are left as they were (as POWER9 and
 * QEMU do). lvsl/lvsr do not depend on the byte order.
 */
final class VectorLoadStore {
    private VectorLoadStore() {
    }

    static final List<InstructionSpec> SPECS = List.of(
            spec("lvsl", Encoding.x(31, 6), VectorLoadStore::lvsl),
            spec("lvsr", Encoding.x(31, 38), VectorLoadStore::lvsr),
            spec("lvebx", Encoding.x(31, 7), (c, w) -> loadElement(c, w, 1)),
            spec("lvehx", Encoding.x(31, 39), (c, w) -> loadElement(c, w, 2)),
            spec("lvewx", Encoding.x(31, 71), (c, w) -> loadElement(c, w, 4)),
            spec("lvx", Encoding.x(31, 103), VectorLoadStore::lvx),
            spec("lvxl", Encoding.x(31, 359), VectorLoadStore::lvx),
            spec("stvebx", Encoding.x(31, 135), (c, w) -> storeElement(c, w, 1)),
            spec("stvehx", Encoding.x(31, 167), (c, w) -> storeElement(c, w, 2)),
            spec("stvewx", Encoding.x(31, 199), (c, w) -> storeElement(c, w, 4)),
            spec("stvx", Encoding.x(31, 231), VectorLoadStore::stvx),
            spec("stvxl", Encoding.x(31, 487), VectorLoadStore::stvx),
            spec("mfvscr", Encoding.vx(4, 1540), VectorLoadStore::mfvscr),
            spec("mtvscr", Encoding.vx(4, 1604), VectorLoadStore::mtvscr));

    // The data stream hints are not declared here: dss/dssall are no-ops the fixed-point decoder
    // takes without the vector-unavailable check (Linux issues dssall on address-space switches),
    // and the touch forms dst/dstt/dstst/dststt, phased out of the ISA, are illegal on POWER9 as on
    // QEMU's POWER9 (the illegal guest compares them).

    /** The bits of VSCR that exist: NJ and SAT (the others are reserved and read as 0). */
    private static final int VSCR_BITS = VectorInstructions.VSCR_NJ | VectorInstructions.VSCR_SAT;

    static int lvsl(Core c, int w) {
        return shiftVector(c, w, (int) LoadStore.eaX(c, w) & 15);
    }

    static int lvsr(Core c, int w) {
        return shiftVector(c, w, 16 - ((int) LoadStore.eaX(c, w) & 15));
    }

    /** VRT = the bytes first, first+1, ..., first+15. */
    private static int shiftVector(Core c, int w, int first) {
        long hi = 0, lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (first + i);
            lo = (lo << 8) | (first + 8 + i);
        }
        put(c, w, hi, lo);
        return Core.OK;
    }

    static int lvx(Core c, int w) {
        long ea = LoadStore.eaX(c, w) & ~15L;
        long ra = c.lsu.dataAddress(ea, 16, Mmu.LOAD);
        if (ra < 0) {
            return c.trap;
        }
        if (c.le) {
            put(c, w, c.lsu.read(ra + 8, 8, true), c.lsu.read(ra, 8, true));
        } else {
            put(c, w, c.lsu.read(ra, 8, false), c.lsu.read(ra + 8, 8, false));
        }
        return Core.OK;
    }

    static int stvx(Core c, int w) {
        long ea = LoadStore.eaX(c, w) & ~15L;
        long ra = c.lsu.dataAddress(ea, 16, Mmu.STORE);
        if (ra < 0) {
            return c.trap;
        }
        long[] v = c.vs.vsr;
        int s = vt(w);
        if (c.le) {
            c.lsu.write(ra, 8, v[s + 1], true);
            c.lsu.write(ra + 8, 8, v[s], true);
        } else {
            c.lsu.write(ra, 8, v[s], false);
            c.lsu.write(ra + 8, 8, v[s + 1], false);
        }
        c.lsu.stored(ra, 16);
        return Core.OK;
    }

    /** The element index (of {@code len} bytes, ISA numbering) an element access at {@code ea} names. */
    private static int elementIndex(Core c, long ea, int len) {
        int eb = (int) ea & 15;
        return c.le ? (15 - eb) / len : eb / len;
    }

    static int loadElement(Core c, int w, int len) {
        long ea = LoadStore.eaX(c, w) & -len;
        long value = c.lsu.load(ea, len);
        if (c.trap != 0) {
            return c.trap;
        }
        long[] v = c.vs.vsr;
        int t = vt(w), i = elementIndex(c, ea, len), bits = 8 * len;
        if (i < 8 / len) v[t] = with(v[t], bits, i, value);
        else v[t + 1] = with(v[t + 1], bits, i, value);
        return Core.OK;
    }

    static int storeElement(Core c, int w, int len) {
        long ea = LoadStore.eaX(c, w) & -len;
        long[] v = c.vs.vsr;
        int s = vt(w);
        c.lsu.store(ea, len, elem(v[s], v[s + 1], 8 * len, elementIndex(c, ea, len)));
        return c.trap;
    }

    static int mfvscr(Core c, int w) {
        put(c, w, 0, c.vs.vscr & VSCR_BITS & 0xFFFF_FFFFL);
        return Core.OK;
    }

    static int mtvscr(Core c, int w) {
        c.vs.vscr = (int) c.vs.vsr[vb(w) + 1] & VSCR_BITS;
        return Core.OK;
    }
}
