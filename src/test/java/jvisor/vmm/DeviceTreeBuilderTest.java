package jvisor.vmm;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceTreeBuilderTest {
    static final long MIB = 1L << 20;
    static final String CPU0 = "/cpus/PowerPC,POWER9@0";
    @TempDir Path dir;

    private static MachineConfig config(int cpus, String cmdline) {
        return new MachineConfig(512 * MIB, cpus, null, null, cmdline);
    }

    private static FdtReader tree(DeviceTreeBuilder b) {
        return new FdtReader(b.build());
    }

    @Test
    void theRootSaysQemuPseriesWithTwoCellAddresses() {
        FdtReader t = tree(new DeviceTreeBuilder(config(1, "")));
        assertEquals(17, t.version);
        assertEquals(16, t.lastCompatible);
        assertTrue(t.strings("/", "compatible").contains("qemu,pseries"));
        assertEquals(2, t.cell("/", "#address-cells"));
        assertEquals(2, t.cell("/", "#size-cells"));
        assertNotNull(t.prop("/", "model"));
    }

    @Test
    void memoryStartsAtZeroWithTheMachinesSize() {
        FdtReader t = tree(new DeviceTreeBuilder(config(1, "")));
        assertEquals(List.of("memory"), t.strings("/memory@0", "device_type"));
        ByteBuffer reg = ByteBuffer.wrap(t.prop("/memory@0", "reg"));
        assertEquals(0, reg.getLong());
        assertEquals(512 * MIB, reg.getLong());
    }

    @Test
    void thereIsOneCpuNodePerCpuWithThePlatformsValues() {
        FdtReader t = tree(new DeviceTreeBuilder(config(3, "")));
        assertEquals(1, t.cell("/cpus", "#address-cells"));
        assertEquals(0, t.cell("/cpus", "#size-cells"));
        List<String> cpus = t.children("/cpus");
        assertEquals(3, cpus.size());
        for (int i = 0; i < 3; i++) {
            String c = cpus.get(i);
            assertEquals(List.of("cpu"), t.strings(c, "device_type"));
            assertEquals(i, t.cell(c, "reg"));
            assertEquals(i, t.cell(c, "ibm,ppc-interrupt-server#s"));
            assertEquals(128, t.cell(c, "d-cache-line-size"));
            assertEquals(128, t.cell(c, "i-cache-line-size"));
            assertEquals(512_000_000, t.cell(c, "timebase-frequency"));
            assertEquals(56, t.cell(c, "ibm,dec-bits"));
            assertEquals(0x0f000005, t.cell(c, "cpu-version"), "PAPR's logical PVR of ISA 3.00");
            assertTrue(t.cell(c, "clock-frequency") > 0);
        }
    }

    @Test
    void paFeaturesAdvertiseRadixButNoTransactionalMemory() {
        byte[] pa = tree(new DeviceTreeBuilder(config(1, ""))).prop(CPU0, "ibm,pa-features");
        assertEquals(pa[0] + 2, pa.length, "header length byte covers the attribute bytes");
        assertEquals(0, pa[24] & 0x80, "TM bit");
        assertEquals(0x80, pa[42] & 0x80, "radix MMU bit");
    }

    @Test
    void radixPageSizesAreTheOnesTheMmuSupports() {
        ByteBuffer ap = ByteBuffer.wrap(tree(new DeviceTreeBuilder(config(1, ""))).prop(CPU0, "ibm,processor-radix-AP-encodings"));
        assertEquals(0x0000000c, ap.getInt());
        assertEquals(0xa0000010, ap.getInt());
        assertEquals(0x20000015, ap.getInt());
        assertEquals(0x4000001e, ap.getInt());
    }

    @Test
    void chosenCarriesBootargsStdoutAndTheInitrdOnlyWhenGiven() {
        FdtReader without = tree(new DeviceTreeBuilder(config(1, "console=hvc0 quiet")));
        assertEquals(List.of("console=hvc0 quiet"), without.strings("/chosen", "bootargs"));
        assertNull(without.prop("/chosen", "linux,initrd-start"));
        assertEquals(List.of(DeviceTreeBuilder.VTY_PATH), without.strings("/chosen", "stdout-path"));
        assertNotNull(without.nodes.get(DeviceTreeBuilder.VTY_PATH), "stdout-path names an existing node");

        FdtReader with = tree(new DeviceTreeBuilder(config(1, "")).initrd(0x800000, 0x812345));
        assertEquals(0x800000, t4(with.prop("/chosen", "linux,initrd-start")), "one cell below 4G, as QEMU");
        assertEquals(0x812345, t4(with.prop("/chosen", "linux,initrd-end")));
        FdtReader high = tree(new DeviceTreeBuilder(config(1, "")).initrd(0xFFFF_0000L, 0x1_0000_1000L));
        assertEquals(0xFFFF_0000L, ByteBuffer.wrap(high.prop("/chosen", "linux,initrd-start")).getLong(), "two cells above");
        assertEquals(0x1_0000_1000L, ByteBuffer.wrap(high.prop("/chosen", "linux,initrd-end")).getLong());
    }

    private static long t4(byte[] cell) {
        assertEquals(4, cell.length);
        return ByteBuffer.wrap(cell).getInt() & 0xFFFF_FFFFL;
    }

    @Test
    void rtasHasOneTokenPerServiceAndItsInstantiatedCode() {
        FdtReader t = tree(new DeviceTreeBuilder(config(1, "")));
        for (RtasService s : RtasService.values()) assertEquals(s.token, t.cell("/rtas", s.propertyName), s.propertyName);
        for (String name : List.of("power-off", "stop-self", "start-cpu", "query-cpu-stopped-state",
                "get-time-of-day", "set-time-of-day", "display-character")) {
            assertNotNull(t.prop("/rtas", name), name);
        }
        long base = MachineLayout.rtasAddress(config(1, "").memoryBytes());
        assertEquals(base, t.cell("/rtas", "linux,rtas-base") & 0xFFFF_FFFFL);
        assertEquals(base, t.cell("/rtas", "linux,rtas-entry") & 0xFFFF_FFFFL);
        assertEquals(RtasBlob.SIZE, t.cell("/rtas", "rtas-size"));
    }

    @Test
    void theArchitectureVectorAgreesOnRadixWithGuestShootdownAndXics() {
        FdtReader t = tree(new DeviceTreeBuilder(config(1, "")));
        byte[] vec5 = t.prop("/chosen", "ibm,architecture-vec-5");
        assertTrue(vec5.length > 26);
        assertEquals(0x40, vec5[24] & 0x40, "radix");
        assertEquals(0x40, vec5[26] & 0x40, "GTSE");
        assertEquals(0, vec5[23] & 0xC0, "no XIVE");
    }

    @Test
    void theXicsPresentationControllerServesEveryCpu() {
        FdtReader t = tree(new DeviceTreeBuilder(config(3, "")));
        assertEquals(List.of("IBM,ppc-xicp"), t.strings("/interrupt-controller", "compatible"));
        assertNotNull(t.prop("/interrupt-controller", "interrupt-controller"));
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 3}, t.prop("/interrupt-controller", "ibm,interrupt-server-ranges"));
    }

    @Test
    void theHypervisorConsoleIsAnHvterm1UnderVdevice() {
        FdtReader t = tree(new DeviceTreeBuilder(config(1, "")));
        List<String> vdev = t.children("/vdevice");
        assertEquals(2, vdev.size(), "the vty and the NVRAM");
        assertTrue(t.strings(vdev.get(0), "compatible").contains("hvterm1"));
        assertEquals(MachineLayout.VTY_REG, t.cell(vdev.get(0), "reg"));
    }

    @Test
    void theNvramIsUnderVdeviceWithItsSize() {
        FdtReader t = tree(new DeviceTreeBuilder(config(1, "")));
        String nvram = String.format("/vdevice/nvram@%x", MachineLayout.NVRAM_REG);
        assertEquals(List.of("nvram"), t.strings(nvram, "device_type"));
        assertEquals(Nvram.SIZE, t.cell(nvram, "#bytes"));
        assertEquals(MachineLayout.NVRAM_REG, t.cell(nvram, "reg"));
    }

    @Test
    void theUartSitsOutsideRamWithItsRegisters() {
        FdtReader t = tree(new DeviceTreeBuilder(config(1, "")));
        String uart = "/" + DeviceTreeBuilder.UART_NODE;
        assertEquals(List.of("ns16550"), t.strings(uart, "compatible"));
        ByteBuffer reg = ByteBuffer.wrap(t.prop(uart, "reg"));
        long base = reg.getLong();
        assertEquals(MachineLayout.UART_BASE, base);
        assertEquals(8, reg.getLong());
        assertTrue(base >= MachineConfig.MAX_MEMORY, "above any RAM the machine accepts");
    }

    @Test
    void theHypervisorNodeAppearsOnlyWhenAskedFor() {
        assertNull(tree(new DeviceTreeBuilder(config(1, ""))).nodes.get("/hypervisor"));
        int[] seq = {0x3c00dead, 0x6000beef, 0x44000022, 0x60000000};
        FdtReader t = tree(new DeviceTreeBuilder(config(1, "")).advertiseKvm(seq));
        assertEquals(List.of("linux,kvm"), t.strings("/hypervisor", "compatible"));
        assertEquals(16, t.prop("/hypervisor", "hcall-instructions").length);
    }

    @Test
    void theKernelImageIsReserved() {
        LoadedImage img = new LoadedImage(0x400000, false, 0x400000, 0x41a000, false);
        FdtReader t = tree(new DeviceTreeBuilder(config(1, "")).kernel(img));
        assertArrayEquals(new long[] {0x400000, 0x1a000}, t.reservations.get(0));
    }

    // ------------------------------------------------------------------ with dtc and QEMU

    private static String run(long timeoutSeconds, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(timeoutSeconds, TimeUnit.SECONDS), String.join(" ", cmd) + " timed out");
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + new String(out));
        return new String(out);
    }

    @Test
    void dtcDecompilesTheTreeWithTheExpectedNodes() throws Exception {
        GuestImages.requireReference(GuestImages.onPath("dtc"), "dtc not installed (Debian package device-tree-compiler)");
        Path dtb = dir.resolve("jvisor.dtb");
        Files.write(dtb, new DeviceTreeBuilder(config(2, "console=hvc0")).initrd(0x1000000, 0x1001000).build());
        String dts = run(30, "dtc", "-q", "-I", "dtb", "-O", "dts", dtb.toString());
        for (String expected : List.of(
                "compatible = \"qemu,pseries\";", "#address-cells = <0x02>;", "#size-cells = <0x02>;",
                "memory@0 {", "device_type = \"memory\";", "reg = <0x00 0x00 0x00 0x20000000>;",
                "cpus {", "PowerPC,POWER9@0 {", "PowerPC,POWER9@1 {", "device_type = \"cpu\";",
                "ibm,ppc-interrupt-server#s = <0x01>;", "timebase-frequency = <0x1e848000>;",
                "d-cache-line-size = <0x80>;", "ibm,dec-bits = <0x38>;", "cpu-version = <0xf000005>;",
                "chosen {", "bootargs = \"console=hvc0\";", "linux,initrd-start = <0x1000000>;",
                "stdout-path = \"/vdevice/vty@71000000\";",
                "rtas {", "power-off = <0x2003>;", "stop-self = <0x2007>;", "start-cpu = <0x2006>;",
                "query-cpu-stopped-state = <0x2005>;", "get-time-of-day = <0x2001>;",
                "set-time-of-day = <0x2002>;", "display-character = <0x2000>;",
                "vdevice {", "vty@71000000 {", "compatible = \"hvterm1\";", "reg = <0x71000000>;",
                "serial@1000000000 {", "compatible = \"ns16550\";", "reg = <0x10 0x00 0x00 0x08>;")) {
            assertTrue(dts.contains(expected), "missing `" + expected + "` in\n" + dts);
        }
    }

    /**
     * The properties the project's guests read hold QEMU's values: the tree QEMU 10's pseries
     * machine builds for the same memory and CPU count, dumped through its monitor.
     */
    @Test
    void thePropertiesGuestsReadMatchQemusTree() throws Exception {
        GuestImages.requireReference(GuestImages.onPath("qemu-system-ppc64"), "qemu-system-ppc64 not installed");
        Path kernel = GuestImages.require("le", "hello");
        Path rom = GuestImages.GUESTS.resolve("build/rom.bin");
        Path qdtb = dir.resolve("qemu.dtb");
        // The guests' README command line, stopped before the first instruction (-S).
        Process p = new ProcessBuilder("qemu-system-ppc64", "-M", "pseries,kernel-addr=0,cap-cfpc=broken,"
                + "cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off", "-cpu", "POWER9", "-accel", "tcg",
                "-m", "512M", "-smp", "2", "-nographic", "-nodefaults", "-S", "-monitor", "stdio",
                "-device", "spapr-vty,chardev=c0", "-chardev", "null,id=c0",
                "-bios", rom.toString(), "-kernel", kernel.toString(), "-append", "a b c")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().write(("dumpdtb " + qdtb + "\nquit\n").getBytes());
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
        GuestImages.requireReference(Files.isRegularFile(qdtb), "QEMU did not dump its device tree");
        FdtReader q = new FdtReader(Files.readAllBytes(qdtb));
        FdtReader j = tree(new DeviceTreeBuilder(config(2, "a b c")));

        assertEquals(q.version, j.version);
        same(q, j, "/", "compatible");
        for (String cells : List.of("#address-cells", "#size-cells")) same(q, j, "/", cells);
        same(q, j, "/memory@0", "reg");
        same(q, j, "/memory@0", "device_type");
        assertEquals(2, q.children("/cpus").size(), "QEMU's tree has the two cpus asked for");
        assertEquals(q.children("/cpus"), j.children("/cpus"));
        for (String cpu : q.children("/cpus")) {
            for (String prop : List.of("device_type", "reg", "ibm,ppc-interrupt-server#s", "ibm,ppc-interrupt-gserver#s",
                    "timebase-frequency", "clock-frequency", "d-cache-line-size", "i-cache-line-size",
                    "d-cache-block-size", "i-cache-block-size", "ibm,dec-bits", "ibm,pa-features",
                    "ibm,processor-radix-AP-encodings", "64-bit", "ibm,vmx", "ibm,purr", "ibm,spurr", "ibm,slb-size",
                    "ibm,segment-page-sizes", "ibm,processor-segment-sizes", "ibm,pi-features")) {
                // Not cpu-version: before client-architecture-support QEMU publishes the raw PVR;
                // jvisor's tree is the negotiated one (LinuxShellTest checks it against QEMU's).
                same(q, j, cpu, prop);
            }
        }
        for (String cells : List.of("#address-cells", "#size-cells")) same(q, j, "/cpus", cells);
        for (RtasService s : RtasService.values()) same(q, j, "/rtas", s.propertyName);
        // Every service QEMU offers is offered here too, under the same token.
        List<String> qemuServices = q.nodes.get("/rtas").entrySet().stream()
                .filter(e -> e.getValue().length == 4 && (ByteBuffer.wrap(e.getValue()).getInt() & ~0xFFF) == 0x2000)
                .map(java.util.Map.Entry::getKey).toList();
        assertTrue(qemuServices.size() >= 40, "QEMU's tokens were found: " + qemuServices);
        for (String name : qemuServices) same(q, j, "/rtas", name);
        String qnvram = q.children("/vdevice").stream().filter(c -> c.contains("nvram")).findFirst().orElseThrow();
        String jnvram = j.children("/vdevice").stream().filter(c -> c.contains("nvram")).findFirst().orElseThrow();
        for (String prop : List.of("#bytes", "compatible", "device_type")) {
            assertNotNull(q.prop(qnvram, prop), "QEMU's nvram has no " + prop);
            assertArrayEquals(q.prop(qnvram, prop), j.prop(jnvram, prop), "nvram " + prop);
        }
        same(q, j, "/chosen", "bootargs");
        assertEquals(List.of("a b c"), q.strings("/chosen", "bootargs"));
        String qvty = q.children("/vdevice").stream().filter(c -> c.contains("vty")).findFirst().orElseThrow();
        String jvty = j.children("/vdevice").get(0);
        for (String prop : List.of("compatible", "device_type")) {
            byte[] qv = q.prop(qvty, prop);
            assertNotNull(qv, "QEMU's " + qvty + " has no " + prop);
            assertEquals(q.strings(qvty, prop), j.strings(jvty, prop), prop);
        }
    }

    /**
     * The property is in QEMU's tree and jvisor's holds the same bytes. A property missing from
     * QEMU's tree is a failure, not a match: else a name misspelt in the list would compare
     * nothing with nothing.
     */
    private static void same(FdtReader q, FdtReader j, String node, String prop) {
        byte[] expected = q.prop(node, prop);
        assertNotNull(expected, "QEMU's tree has no " + node + " " + prop);
        assertArrayEquals(expected, j.prop(node, prop), node + " " + prop);
    }
}
