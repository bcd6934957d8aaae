package jvisor.vmm;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Debian's kernel and busybox on two processors, under jvisor and under QEMU 10: the initramfs
 * "script" (guests/linux/script.sh) runs shell arithmetic, pipes, sort, md5sum over generated
 * data, awk and printf with floating point, background jobs and wait, then prints the device tree
 * as Linux holds it after booting (/proc/device-tree, property by property) and powers off.
 *
 * <p>The script's lines must be the same on both machines, line for line. The two trees must
 * hold the same properties with the same values except for the differences listed below, each
 * with its reason: a property, or a difference, that is not listed fails the test.
 */
class LinuxShellTest {
    private static final int CPUS = 2;
    private static final long MEMORY = 1L << 30;
    private static final String ARGS = "console=hvc0 quiet";

    /** Properties in QEMU's tree that jvisor leaves out (regular expressions over /proc/device-tree paths). */
    private static final Map<String, String> ONLY_IN_QEMU = rules(
            "\\./.*phandle", "phandles: jvisor gives one only to the interrupt controller, the one node a property refers to",
            "\\./chosen/qemu,.*", "QEMU's own boot and graphics parameters",
            "\\./chosen/(stdout|ibm,arch-vec-5-platform-support)", "left by QEMU's client interface (VOF), which jvisor's direct-FDT entry has not",
            "\\./memory@0/available", "left by QEMU's client interface (memory claimed through it)",
            "\\./chosen/linux,pci-probe-only|\\./pci@.*|\\./rtas/ibm,change-msix-capable", "no PCI host bridge",
            "\\./(.*/)?ibm,(my-)?drc-.*|\\./rtas/ibm,lrdr-capacity", "no dynamic reconfiguration (hotplug) connectors",
            "\\./event-sources/.*", "no EPOW or hotplug event sources",
            "\\./ibm,persistent-memory/.*", "no persistent memory",
            "\\./memory@0/ibm,associativity|\\./rtas/ibm,(associativity-reference-points|max-associativity-domains|numa-.*)", "no NUMA",
            "\\./rtas/qemu,hypertas-functions", "QEMU's private hypercalls",
            "\\./cpus/PowerPC,POWER9@\\d+/ibm,dfp", "decimal floating point is not implemented");

    /** Properties only jvisor's tree has. */
    private static final Map<String, String> ONLY_IN_JVISOR = rules(
            "\\./serial@[0-9a-f]+/.*", "jvisor's 16550 UART, the demo of MMIO emulation",
            "\\./rtas/rtas-version", "RTAS's version, which PAPR lists and QEMU leaves out");

    /** Properties both have with values that may differ. */
    private static final Map<String, String> VALUES_DIFFER = rules(
            "\\./model", "the model string names the emulator",
            "\\./chosen/linux,initrd-(start|end)", "where the initrd is loaded (its size is checked below)",
            "\\./rtas/(linux,rtas-base|linux,rtas-entry|rtas-size)", "where RTAS is instantiated, and its size",
            "\\./chosen/ibm,architecture-vec-5", "checked below: hotplug, NUMA and the v2 memory format left out",
            "\\./rtas/ibm,hypertas-functions", "checked below: a subset of QEMU's function sets");

    /** Option vector 5 bytes jvisor leaves clear: 2 and 22 dynamic memory, 5 NUMA affinity, 6 hotplug events. */
    private static final int[] VEC5_LEFT_OUT = {2, 5, 6, 22};

    private static Map<String, String> rules(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) m.put(pairs[i], pairs[i + 1]);
        return m;
    }

    @BeforeAll
    static void kernelAndInitrd() throws Exception {
        LinuxGuests.prepare();
    }

    @Test
    void busyboxRunsTheSameScriptAndSeesTheSameDeviceTreeUnderJvisorAndQemu() throws Exception {
        String qemu = LinuxGuests.qemu("script", CPUS, MEMORY, ARGS, "");
        List<String> expected = LinuxGuests.lines(qemu, "script: ");
        assertTrue(expected.contains("script: done"), "QEMU's run reached the end of the script:\n" + qemu);
        assertTrue(expected.contains("script: cpus " + CPUS), "QEMU's Linux saw both processors:\n" + qemu);

        LinuxGuests.Boot jvisor = LinuxGuests.jvisor("script", CPUS, MEMORY, ARGS, "");
        String context = "jvisor's console:\n" + jvisor.console() + "\nmessages: " + jvisor.messages();
        assertEquals(expected, LinuxGuests.lines(jvisor.console(), "script: "), context);
        assertEquals(0, jvisor.status(), "jvisor's exit status; messages: " + jvisor.messages());

        List<String> problems = compareTrees(tree(qemu), tree(jvisor.console()));
        assertTrue(problems.isEmpty(), "device trees differ:\n" + String.join("\n", problems));
    }

    /** The "dt: PATH HEX" lines of the script: every property Linux holds, path to value. */
    private static Map<String, byte[]> tree(String console) {
        Map<String, byte[]> t = new TreeMap<>();
        for (String line : LinuxGuests.lines(console, "dt: ")) {
            String[] f = line.split(" ", 3);
            t.put(f[1], HexFormat.of().parseHex(f.length > 2 ? f[2].strip() : ""));
        }
        assertTrue(t.containsKey("./compatible"), "the tree was printed:\n" + console);
        return t;
    }

    private static String listed(Map<String, String> rules, String path) {
        for (var r : rules.entrySet()) if (path.matches(r.getKey())) return r.getValue();
        return null;
    }

    static List<String> compareTrees(Map<String, byte[]> q, Map<String, byte[]> j) {
        List<String> problems = new ArrayList<>();
        for (String p : q.keySet()) {
            if (!j.containsKey(p) && listed(ONLY_IN_QEMU, p) == null) problems.add("missing in jvisor: " + p);
        }
        for (String p : j.keySet()) {
            if (!q.containsKey(p) && listed(ONLY_IN_JVISOR, p) == null) problems.add("only in jvisor: " + p);
        }
        for (String p : q.keySet()) {
            byte[] qv = q.get(p), jv = j.get(p);
            if (jv == null || Arrays.equals(qv, jv)) continue;
            if (listed(VALUES_DIFFER, p) == null) {
                problems.add(p + ": QEMU " + HexFormat.of().formatHex(qv) + ", jvisor " + HexFormat.of().formatHex(jv));
            }
        }
        String vec5 = "./chosen/ibm,architecture-vec-5";
        if (q.containsKey(vec5) && j.containsKey(vec5)) {
            byte[] masked = q.get(vec5).clone();
            for (int b : VEC5_LEFT_OUT) if (b < masked.length) masked[b] = 0;
            if (!Arrays.equals(masked, j.get(vec5))) {
                problems.add(vec5 + ": jvisor " + HexFormat.of().formatHex(j.get(vec5)) + " is not QEMU's without bytes "
                        + Arrays.toString(VEC5_LEFT_OUT) + ": " + HexFormat.of().formatHex(masked));
            }
        }
        String hcalls = "./rtas/ibm,hypertas-functions";
        if (q.containsKey(hcalls) && j.containsKey(hcalls)) {
            List<String> qs = List.of(new String(q.get(hcalls)).split("\0"));
            for (String s : new String(j.get(hcalls)).split("\0")) {
                if (!qs.contains(s)) problems.add(hcalls + ": jvisor offers " + s + ", QEMU does not");
            }
        }
        long qSize = cells(q, "end") - cells(q, "start"), jSize = cells(j, "end") - cells(j, "start");
        if (qSize != jSize) problems.add("initrd sizes differ: QEMU " + qSize + ", jvisor " + jSize);
        return problems;
    }

    private static long cells(Map<String, byte[]> t, String which) {
        byte[] v = t.getOrDefault("./chosen/linux,initrd-" + which, new byte[0]);
        long x = 0;
        for (byte b : v) x = x << 8 | (b & 0xFF);
        return x;
    }
}
