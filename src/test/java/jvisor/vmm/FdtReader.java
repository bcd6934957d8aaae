package jvisor.vmm;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses a flattened device tree into node paths and their properties, as a guest's fdt.c would. */
final class FdtReader {
    final int version, lastCompatible, bootCpu, totalSize;
    final List<long[]> reservations = new ArrayList<>();
    /** Path ("/", "/cpus/PowerPC,POWER9@0") to properties in tree order. */
    final Map<String, Map<String, byte[]>> nodes = new LinkedHashMap<>();

    FdtReader(byte[] blob) {
        ByteBuffer b = ByteBuffer.wrap(blob);
        if (b.getInt(0) != FdtWriter.MAGIC) throw new IllegalArgumentException("bad magic");
        totalSize = b.getInt(4);
        int structOff = b.getInt(8), stringsOff = b.getInt(12), rsv = b.getInt(16);
        version = b.getInt(20);
        lastCompatible = b.getInt(24);
        bootCpu = b.getInt(28);
        for (int p = rsv; ; p += 16) {
            long a = b.getLong(p), s = b.getLong(p + 8);
            if (a == 0 && s == 0) break;
            reservations.add(new long[] {a, s});
        }
        List<String> stack = new ArrayList<>();
        int p = structOff;
        while (true) {
            int tag = b.getInt(p);
            p += 4;
            if (tag == FdtWriter.FDT_BEGIN_NODE) {
                int end = p;
                while (blob[end] != 0) end++;
                String name = new String(blob, p, end - p, StandardCharsets.US_ASCII);
                p = (end + 4) & ~3;
                stack.add(name);
                nodes.put(path(stack), new LinkedHashMap<>());
            } else if (tag == FdtWriter.FDT_PROP) {
                int len = b.getInt(p), nameOff = b.getInt(p + 4);
                p += 8;
                int s = stringsOff + nameOff, e = s;
                while (blob[e] != 0) e++;
                nodes.get(path(stack)).put(new String(blob, s, e - s, StandardCharsets.US_ASCII),
                        Arrays.copyOfRange(blob, p, p + len));
                p = (p + len + 3) & ~3;
            } else if (tag == FdtWriter.FDT_END_NODE) {
                stack.remove(stack.size() - 1);
            } else if (tag == FdtWriter.FDT_END) {
                break;
            } else if (tag != 4) { // FDT_NOP
                throw new IllegalArgumentException("bad tag " + tag + " at " + (p - 4));
            }
        }
    }

    private static String path(List<String> stack) {
        if (stack.size() <= 1) return "/";
        return "/" + String.join("/", stack.subList(1, stack.size()));
    }

    byte[] prop(String node, String name) {
        Map<String, byte[]> props = nodes.get(node);
        return props == null ? null : props.get(name);
    }

    int cell(String node, String name) {
        return ByteBuffer.wrap(prop(node, name)).getInt();
    }

    List<String> strings(String node, String name) {
        byte[] v = prop(node, name);
        List<String> out = new ArrayList<>();
        int s = 0;
        for (int i = 0; i < v.length; i++) {
            if (v[i] == 0) {
                out.add(new String(v, s, i - s, StandardCharsets.US_ASCII));
                s = i + 1;
            }
        }
        return out;
    }

    /** Child paths of {@code node}, in tree order. */
    List<String> children(String node) {
        String prefix = node.equals("/") ? "/" : node + "/";
        List<String> out = new ArrayList<>();
        for (String p : nodes.keySet()) {
            if (p.startsWith(prefix) && p.length() > prefix.length() && p.indexOf('/', prefix.length()) < 0) out.add(p);
        }
        return out;
    }
}
