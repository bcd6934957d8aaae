package jvisor.vmm;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** LinuxShellTest's comparison of two device trees finds what it must, without booting anything. */
class LinuxShellTreeRulesTest {
    private static Map<String, byte[]> tree(String... pathHex) {
        Map<String, byte[]> t = new TreeMap<>();
        for (int i = 0; i < pathHex.length; i += 2) t.put(pathHex[i], HexFormat.of().parseHex(pathHex[i + 1]));
        return t;
    }

    private static final String VEC5_QEMU = "1900200000a0050000000000000000000000000000008000400040";
    private static final String VEC5_JVISOR = "190000000000000000000000000000000000000000000000400040";

    @Test
    void listedDifferencesPassAndOthersFail() {
        Map<String, byte[]> q = tree("./compatible", "00", "./pci@8/reg", "01", "./model", "41",
                "./chosen/ibm,architecture-vec-5", VEC5_QEMU, "./cpus/PowerPC,POWER9@0/ibm,purr", "00000001");
        Map<String, byte[]> j = tree("./compatible", "00", "./serial@10/reg", "02", "./model", "42",
                "./chosen/ibm,architecture-vec-5", VEC5_JVISOR, "./cpus/PowerPC,POWER9@0/ibm,purr", "00000001");
        assertEquals(List.of(), LinuxShellTest.compareTrees(q, j));

        j.remove("./cpus/PowerPC,POWER9@0/ibm,purr");
        j.put("./rtas/foo", new byte[0]);
        j.put("./compatible", new byte[] {1});
        assertEquals(3, LinuxShellTest.compareTrees(q, j).size(), LinuxShellTest.compareTrees(q, j).toString());
    }

    @Test
    void vectorFiveMayOnlyLeaveOutTheListedBytes() {
        Map<String, byte[]> q = tree("./chosen/ibm,architecture-vec-5", VEC5_QEMU);
        Map<String, byte[]> noRadix = tree("./chosen/ibm,architecture-vec-5", VEC5_JVISOR.substring(0, 48) + "000040");
        assertEquals(1, LinuxShellTest.compareTrees(q, noRadix).size());
    }

    @Test
    void hypercallSetsMustBeQemusOrFewer() {
        String qemu = HexFormat.of().formatHex("hcall-term\0hcall-dabr\0".getBytes());
        String extra = HexFormat.of().formatHex("hcall-term\0hcall-bogus\0".getBytes());
        Map<String, byte[]> q = tree("./rtas/ibm,hypertas-functions", qemu);
        assertEquals(List.of(), LinuxShellTest.compareTrees(q, tree("./rtas/ibm,hypertas-functions", qemu)));
        assertEquals(1, LinuxShellTest.compareTrees(q, tree("./rtas/ibm,hypertas-functions", extra)).size());
    }
}
