package jvisor.vmm;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a flattened device tree blob (devicetree specification, version 17, last compatible
 * version 16): a header, the memory reservation map, the structure block of nodes and
 * properties, and the strings block of property names. Everything is big-endian.
 *
 * <p>Nodes are written in order: {@link #beginNode}, its properties, its children, {@link #endNode}.
 * The format requires a node's properties before its children; the writer refuses the other
 * order, an unbalanced tree and names the format cannot carry.
 */
public final class FdtWriter {
    public static final int MAGIC = 0xd00dfeed;
    public static final int VERSION = 17, LAST_COMPATIBLE_VERSION = 16;
    static final int HEADER_SIZE = 40;
    static final int FDT_BEGIN_NODE = 1, FDT_END_NODE = 2, FDT_PROP = 3, FDT_END = 9;

    private final ByteArrayOutputStream struct = new ByteArrayOutputStream();
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final Map<String, Integer> stringOffsets = new HashMap<>();
    private final List<long[]> reservations = new ArrayList<>();
    private int depth;
    /** Whether the innermost open node already has a child (then no more properties). */
    private final List<Boolean> hasChild = new ArrayList<>();
    private boolean finished;

    /** Adds a /memreserve/ entry: memory the guest must not hand out (the kernel, the tree itself). */
    public FdtWriter reserve(long address, long size) {
        checkOpen();
        reservations.add(new long[] {address, size});
        return this;
    }

    /** Opens a node; the root's name is the empty string, every other name is non-empty. */
    public FdtWriter beginNode(String name) {
        checkOpen();
        if (depth == 0 && !name.isEmpty()) throw new IllegalStateException("the first node must be the root");
        if (depth == 0 && !hasChild.isEmpty()) throw new IllegalStateException("only one root node");
        if (depth > 0 && (name.isEmpty() || name.indexOf('/') >= 0 || name.indexOf(0) >= 0)) {
            throw new IllegalArgumentException("bad node name '" + name + "'");
        }
        if (depth > 0) hasChild.set(depth - 1, true);
        word(FDT_BEGIN_NODE);
        bytes(name.getBytes(StandardCharsets.US_ASCII));
        struct.write(0);
        pad();
        depth++;
        hasChild.add(false);
        return this;
    }

    public FdtWriter endNode() {
        checkOpen();
        if (depth == 0) throw new IllegalStateException("endNode without beginNode");
        word(FDT_END_NODE);
        depth--;
        hasChild.remove(hasChild.size() - 1);
        return this;
    }

    /** A property with raw bytes as its value. */
    public FdtWriter property(String name, byte[] value) {
        checkOpen();
        if (depth == 0) throw new IllegalStateException("property outside a node");
        if (hasChild.get(depth - 1)) throw new IllegalStateException("property " + name + " after a child node");
        if (name.isEmpty() || name.indexOf(0) >= 0) throw new IllegalArgumentException("bad property name");
        word(FDT_PROP);
        word(value.length);
        word(stringOffset(name));
        bytes(value);
        pad();
        return this;
    }

    /** An empty (boolean) property. */
    public FdtWriter property(String name) {
        return property(name, new byte[0]);
    }

    /** A string list: each string NUL-terminated, one after the other. */
    public FdtWriter propertyStrings(String name, String... values) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String v : values) {
            if (v.indexOf(0) >= 0) throw new IllegalArgumentException("NUL inside a string of " + name);
            b.writeBytes(v.getBytes(StandardCharsets.US_ASCII));
            b.write(0);
        }
        return property(name, b.toByteArray());
    }

    /** One or more 32-bit cells. */
    public FdtWriter propertyCells(String name, int... cells) {
        ByteBuffer b = ByteBuffer.allocate(4 * cells.length);
        for (int c : cells) b.putInt(c);
        return property(name, b.array());
    }

    /** 64-bit values, each as two cells (high then low). */
    public FdtWriter propertyLongs(String name, long... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length);
        for (long v : values) b.putLong(v);
        return property(name, b.array());
    }

    /** Closes the tree and returns the blob; {@code bootCpu} is the header's boot_cpuid_phys. */
    public byte[] finish(int bootCpu) {
        checkOpen();
        if (depth != 0 || hasChild.isEmpty() && struct.size() == 0) {
            throw new IllegalStateException("unbalanced tree (depth " + depth + ")");
        }
        word(FDT_END);
        finished = true;
        int rsvOff = HEADER_SIZE;                                 // 8-byte aligned
        int structOff = rsvOff + 16 * (reservations.size() + 1);
        int stringsOff = structOff + struct.size();
        int total = stringsOff + strings.size();
        ByteBuffer out = ByteBuffer.allocate(total);
        out.putInt(MAGIC).putInt(total).putInt(structOff).putInt(stringsOff).putInt(rsvOff)
                .putInt(VERSION).putInt(LAST_COMPATIBLE_VERSION).putInt(bootCpu)
                .putInt(strings.size()).putInt(struct.size());
        for (long[] r : reservations) out.putLong(r[0]).putLong(r[1]);
        out.putLong(0).putLong(0);
        out.put(struct.toByteArray()).put(strings.toByteArray());
        return out.array();
    }

    private int stringOffset(String name) {
        return stringOffsets.computeIfAbsent(name, n -> {
            int off = strings.size();
            strings.writeBytes(n.getBytes(StandardCharsets.US_ASCII));
            strings.write(0);
            return off;
        });
    }

    private void checkOpen() {
        if (finished) throw new IllegalStateException("tree already finished");
    }

    private void word(int v) {
        struct.write(v >>> 24);
        struct.write(v >>> 16);
        struct.write(v >>> 8);
        struct.write(v);
    }

    private void bytes(byte[] b) {
        struct.writeBytes(b);
    }

    private void pad() {
        while (struct.size() % 4 != 0) struct.write(0);
    }
}
