package jvisor.vmm;

import jvisor.kvm.power.RmmuInfo;

/**
 * Builds the flattened device tree a pseries guest finds through r3 at entry: the subset of
 * QEMU's pseries tree that the platform contract (specs/pseries-platform.md) lists and the
 * project's guests read, with the same values where QEMU fixes them (timebase, cache lines,
 * decrementer width, PVR, radix page sizes, RTAS tokens), plus jvisor's own 16550 UART.
 *
 * <p>Differences from QEMU's tree as Linux sees it after booting on {@code -M pseries,x-vof=on,
 * ic-mode=xics} (LinuxShellTest compares the two trees property by property and lists each
 * difference with its reason): no PCI host bridge, event sources, DRC (hotplug), persistent
 * memory or NUMA properties, since jvisor has none of those devices; no ibm,dfp, since decimal
 * floating point is not implemented; RTAS, the initrd and the model string where jvisor places
 * and names them; only the hypercall function sets jvisor implements.
 *
 * <p>A /hypervisor node ("linux,kvm") is written only when asked for with {@link #advertiseKvm}:
 * by default jvisor presents itself exactly as QEMU's TCG pseries does, because guests change
 * their behaviour (paravirtual hcall sequences, magic page) when they see it.
 */
public final class DeviceTreeBuilder {
    /** POWER9 DD2.2, the PVR QEMU's POWER9 model reports (mfpvr). */
    public static final int PVR_POWER9_DD22 = 0x004e1202;
    /**
     * cpu-version: the logical PVR of the architected mode the partition runs in, ISA 3.00 (PAPR's
     * 0x0F000005), as QEMU's pseries publishes it for a POWER9 once the mode is set.
     */
    public static final int PVR_ARCH_300 = 0x0f000005;
    public static final int TIMEBASE_FREQUENCY = 512_000_000;
    public static final int CLOCK_FREQUENCY = 1_000_000_000;
    public static final int CACHE_LINE = 128;
    public static final int CACHE_SIZE = 32 * 1024;
    public static final int DEC_BITS = 56;
    public static final String MODEL = "IBM pSeries (emulated by jvisor)";
    public static final String VTY_PATH = String.format("/vdevice/vty@%x", MachineLayout.VTY_REG);
    public static final String UART_NODE = String.format("serial@%x", MachineLayout.UART_BASE);

    /**
     * ibm,pa-features of an ISA 3.00 processor as QEMU's POWER9 model publishes it: two header
     * bytes (length 66, type 0) then one attribute byte pair per feature group. Byte 24 (the
     * transactional-memory bit) is clear: jvisor offers no TM. Byte 42 carries the radix MMU bit.
     */
    static final byte[] PA_FEATURES = hex(
            "4200f63fc7c000f0" + "8000000000000000" + "0000800080008000" + "0000800080008000"
            + "00008000c0000000" + "0000800080008000" + "8000800080008000" + "8000800080008000"
            + "80000000");

    /**
     * /chosen ibm,architecture-vec-5: the option vector 5 that client-architecture-support would
     * have agreed on, for an operating system that reads it from the tree instead. Byte 0 is the
     * vector's length field (its size less two, as in the CAS option vectors). Byte 24 bit 0x40:
     * radix MMU (the only MMU jvisor offers); byte 26 bit 0x40: guest translation shootdown
     * (tlbie from the guest, as jvisor's partition-scoped TLB takes it). Left clear where QEMU sets
     * them: byte 2 (dynamic memory reconfiguration) and byte 22 (its v2 format), byte 5 (NUMA
     * affinity forms), byte 6 (hotplug events) - jvisor has no hotplug or NUMA - and byte 23
     * (XIVE): the interrupt controller is XICS.
     */
    static final byte[] ARCHITECTURE_VECTOR_5 = new byte[27];

    static {
        ARCHITECTURE_VECTOR_5[0] = (byte) (ARCHITECTURE_VECTOR_5.length - 2);
        ARCHITECTURE_VECTOR_5[24] = 0x40;
        ARCHITECTURE_VECTOR_5[26] = 0x40;
    }

    /**
     * ibm,segment-page-sizes of QEMU's POWER9 for the hash MMU, read by Linux before it picks
     * radix: per segment size (base page shift, SLB encoding, count) then (page shift, encoding).
     * 4K segments with 4K pages, 64K segments with 64K pages.
     */
    static final int[] SEGMENT_PAGE_SIZES = {12, 0x000, 1, 12, 0x00, 16, 0x110, 1, 16, 0x01};
    /** Segment sizes of the hash MMU: 2^28 and 2^40 bytes, the list ended by -1 as QEMU writes it. */
    static final int[] PROCESSOR_SEGMENT_SIZES = {28, 40, -1, -1};
    /** SLB entries of POWER9. */
    static final int SLB_SIZE = 32;
    /** ibm,pft-size (0, log2 of the hash page table QEMU would size for the guest): 2^23 bytes. */
    static final int[] PFT_SIZE = {0, 23};
    /** ibm,pi-features: length 1, type 0, no processor-interrupt feature set (QEMU's TCG POWER9). */
    static final byte[] PI_FEATURES = {1, 0, 0};
    /** vm,uuid when the user gives none: the nil UUID, as QEMU writes it. */
    static final String NIL_UUID = "00000000-0000-0000-0000-000000000000";

    /** The XICS node's phandle (QEMU's number, for trees that compare alike). */
    static final int XICS_PHANDLE = 0x1111;

    /** The PAPR hypercall function sets jvisor (user space and hypervisor together) implements. */
    static final String[] HYPERTAS_FUNCTIONS = {
        "hcall-term", "hcall-dabr", "hcall-interrupt", "hcall-splpar", "hcall-set-mode", "hcall-sprg0", "hcall-vphn"};

    private final MachineConfig config;
    private long initrdStart = -1, initrdEnd;
    private long kernelStart = -1, kernelEnd;
    private int[] hcallInstructions;

    public DeviceTreeBuilder(MachineConfig config) {
        this.config = config;
    }

    /** Reserves the kernel image in the tree's memory reservation map. */
    public DeviceTreeBuilder kernel(LoadedImage image) {
        kernelStart = image.start();
        kernelEnd = image.end();
        return this;
    }

    /** Publishes an initrd at {@code [start, end)} in /chosen. */
    public DeviceTreeBuilder initrd(long start, long end) {
        if (start < 0 || end < start) throw new IllegalArgumentException("bad initrd range");
        initrdStart = start;
        initrdEnd = end;
        return this;
    }

    /**
     * Writes /hypervisor with compatible "linux,kvm" and the given hypercall instruction sequence
     * (the four words KVM_PPC_GET_PVINFO returns), telling a Linux guest it runs under KVM.
     */
    public DeviceTreeBuilder advertiseKvm(int[] hcallInstructions) {
        if (hcallInstructions.length != 4) throw new IllegalArgumentException("four instructions expected");
        this.hcallInstructions = hcallInstructions.clone();
        return this;
    }

    public byte[] build() {
        FdtWriter w = new FdtWriter();
        if (kernelStart >= 0) w.reserve(kernelStart, kernelEnd - kernelStart);
        w.reserve(MachineLayout.rtasAddress(config.memoryBytes()), RtasBlob.SIZE);
        w.beginNode("");
        w.propertyCells("#address-cells", 2);
        w.propertyCells("#size-cells", 2);
        w.propertyStrings("compatible", "qemu,pseries");
        w.propertyStrings("model", MODEL);
        w.propertyStrings("device_type", "chrp");
        w.propertyStrings("vm,uuid", NIL_UUID);

        chosen(w);
        rtas(w);
        cpus(w);
        vdevice(w);
        interruptController(w);
        memory(w);
        uart(w);
        if (hcallInstructions != null) {
            w.beginNode("hypervisor");
            w.propertyStrings("compatible", "linux,kvm");
            w.propertyCells("hcall-instructions", hcallInstructions);
            w.endNode();
        }
        w.endNode();
        byte[] blob = w.finish(0);
        if (blob.length > MachineLayout.FDT_MAX_SIZE) {
            throw new IllegalStateException("device tree of " + blob.length + " bytes is too large");
        }
        return blob;
    }

    private void chosen(FdtWriter w) {
        w.beginNode("chosen");
        w.property("ibm,architecture-vec-5", ARCHITECTURE_VECTOR_5);
        w.propertyStrings("bootargs", config.commandLine());
        if (initrdStart >= 0) {
            // One cell below 4 GiB, as QEMU writes them; Linux reads the property's length.
            if (initrdEnd <= 0xFFFF_FFFFL) {
                w.propertyCells("linux,initrd-start", (int) initrdStart);
                w.propertyCells("linux,initrd-end", (int) initrdEnd);
            } else {
                w.propertyLongs("linux,initrd-start", initrdStart);
                w.propertyLongs("linux,initrd-end", initrdEnd);
            }
        }
        w.propertyStrings("stdout-path", VTY_PATH);
        w.propertyStrings("linux,stdout-path", VTY_PATH);
        w.endNode();
    }

    private void rtas(FdtWriter w) {
        w.beginNode("rtas");
        for (RtasService s : RtasService.values()) w.propertyCells(s.propertyName, s.token);
        // RTAS is instantiated, as a firmware leaves it for the operating system: the hypercall stub
        // (RtasBlob) at linux,rtas-base, entered at its start.
        long base = MachineLayout.rtasAddress(config.memoryBytes());
        w.propertyCells("linux,rtas-base", (int) base);
        w.propertyCells("linux,rtas-entry", (int) base);
        w.propertyCells("rtas-size", RtasBlob.SIZE);
        w.propertyCells("rtas-version", 1);
        w.propertyCells("rtas-error-log-max", 2048);
        w.propertyStrings("ibm,hypertas-functions", HYPERTAS_FUNCTIONS);
        // Linux's rtasd calls event-scan this many times a minute; ibm,os-term takes the extended form.
        w.propertyCells("rtas-event-scan-rate", 1);
        w.property("ibm,extended-os-term");
        w.endNode();
    }

    private void cpus(FdtWriter w) {
        w.beginNode("cpus");
        w.propertyCells("#address-cells", 1);
        w.propertyCells("#size-cells", 0);
        int[] ap = RmmuInfo.POWER9.apEncodings().stream().mapToInt(Integer::intValue).toArray();
        for (int i = 0; i < config.cpus(); i++) {
            w.beginNode(String.format("PowerPC,POWER9@%x", i));
            w.propertyStrings("device_type", "cpu");
            w.propertyCells("reg", i);
            // One thread per core: the interrupt server of each thread is its cpu number.
            w.propertyCells("ibm,ppc-interrupt-server#s", i);
            w.propertyCells("ibm,ppc-interrupt-gserver#s", i, 0);
            w.propertyCells("cpu-version", PVR_ARCH_300);
            w.propertyCells("d-cache-block-size", CACHE_LINE);
            w.propertyCells("d-cache-line-size", CACHE_LINE);
            w.propertyCells("i-cache-block-size", CACHE_LINE);
            w.propertyCells("i-cache-line-size", CACHE_LINE);
            w.propertyCells("d-cache-size", CACHE_SIZE);
            w.propertyCells("i-cache-size", CACHE_SIZE);
            w.propertyCells("timebase-frequency", TIMEBASE_FREQUENCY);
            w.propertyCells("clock-frequency", CLOCK_FREQUENCY);
            w.propertyStrings("status", "okay");
            w.property("64-bit");
            w.propertyCells("ibm,chip-id", 0);
            w.property("ibm,pa-features", PA_FEATURES);
            // PAPR's vector level: 2 is VMX and VSX. Linux enables both facilities only from this
            // property (without it a VSX instruction in a process is a SIGILL); QEMU's POWER9 sets
            // the same. ibm,dfp stays out: decimal floating point is not implemented.
            w.propertyCells("ibm,vmx", 2);
            // PURR and SPURR count with the timebase (Spr): Linux accounts processor time from them.
            w.propertyCells("ibm,purr", 1);
            w.propertyCells("ibm,spurr", 1);
            w.property("ibm,pi-features", PI_FEATURES);
            w.propertyCells("ibm,processor-segment-sizes", PROCESSOR_SEGMENT_SIZES);
            w.propertyCells("ibm,segment-page-sizes", SEGMENT_PAGE_SIZES);
            w.propertyCells("ibm,slb-size", SLB_SIZE);
            w.propertyCells("slb-size", SLB_SIZE);
            w.propertyCells("ibm,pft-size", PFT_SIZE);
            w.propertyCells("ibm,processor-radix-AP-encodings", ap);
            w.propertyCells("ibm,dec-bits", DEC_BITS);
            w.endNode();
        }
        w.endNode();
    }

    /**
     * The XICS presentation controllers, one server per processor (PAPR's "PowerPC External
     * Interrupt Presentation" node). The source controller has no node: the operating system finds
     * it through the ibm,set-xive family of RTAS calls.
     */
    private void interruptController(FdtWriter w) {
        w.beginNode("interrupt-controller");
        w.propertyStrings("device_type", "PowerPC-External-Interrupt-Presentation");
        w.propertyStrings("compatible", "IBM,ppc-xicp");
        w.property("interrupt-controller");
        w.propertyCells("#interrupt-cells", 2);
        w.propertyCells("ibm,interrupt-server-ranges", 0, config.cpus());
        w.propertyCells("phandle", XICS_PHANDLE);
        w.propertyCells("linux,phandle", XICS_PHANDLE);
        w.endNode();
    }

    private static void vdevice(FdtWriter w) {
        w.beginNode("vdevice");
        w.propertyStrings("device_type", "vdevice");
        w.propertyStrings("compatible", "IBM,vdevice");
        w.propertyCells("#address-cells", 1);
        w.propertyCells("#size-cells", 0);
        // Its devices' interrupts are XICS sources: (number, sense 0 = edge), as QEMU writes them.
        w.property("interrupt-controller");
        w.propertyCells("#interrupt-cells", 2);
        w.beginNode(String.format("vty@%x", MachineLayout.VTY_REG));
        w.propertyCells("reg", MachineLayout.VTY_REG);
        w.propertyCells("interrupts", MachineLayout.VTY_IRQ, 0);
        w.propertyStrings("device_type", "serial");
        w.propertyStrings("compatible", "hvterm1");
        w.endNode();
        w.beginNode(String.format("nvram@%x", MachineLayout.NVRAM_REG));
        w.propertyCells("reg", MachineLayout.NVRAM_REG);
        w.propertyStrings("device_type", "nvram");
        w.propertyStrings("compatible", "qemu,spapr-nvram");
        w.propertyCells("#bytes", Nvram.SIZE);
        w.propertyCells("interrupts", MachineLayout.NVRAM_IRQ, 0);
        w.endNode();
        w.endNode();
    }

    private void memory(FdtWriter w) {
        w.beginNode("memory@0");
        w.propertyStrings("device_type", "memory");
        w.propertyLongs("reg", 0, config.memoryBytes());
        w.endNode();
    }

    private static void uart(FdtWriter w) {
        w.beginNode(UART_NODE);
        w.propertyStrings("compatible", "ns16550");
        w.propertyLongs("reg", MachineLayout.UART_BASE, MachineLayout.UART_SIZE);
        w.propertyCells("clock-frequency", MachineLayout.UART_CLOCK);
        w.propertyCells("current-speed", 115200);
        w.propertyCells("reg-shift", 0);
        w.propertyCells("reg-io-width", 1);
        w.endNode();
    }

    private static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        return b;
    }
}
