package jvisor.vmm.gdb;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import jvisor.hw.power.cpu.Core;
import jvisor.hw.power.Msr;
import jvisor.hw.power.cpu.Spr;
import jvisor.kvm.Kvm;
import jvisor.kvm.Vm;
import jvisor.kvm.power.PartitionScopedMmu;
import jvisor.kvm.power.PowerVcpu;
import jvisor.memory.HostAddressSpace;
import jvisor.memory.PhysicalMemory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The registers gdb sees: the target description, and the values in the guest's byte order. */
class PowerRegistersTest {
    private static Core core() {
        PhysicalMemory phys = new PhysicalMemory(1L << 30);
        Vm<PartitionScopedMmu> vm = new Kvm(phys, new HostAddressSpace(phys)).createVm(PartitionScopedMmu.HV_RADIX);
        return PowerVcpu.create(vm, 0).core();
    }

    private static String hex(byte[] b) {
        return PacketFraming.hex(b);
    }

    @Test
    void theDescriptionHasTheFourPowerFeaturesWithEveryRegisterOnce() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        // gdb knows gdb-target.dtd itself; the parser need not fetch it.
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(PowerRegisters.targetXml().getBytes(StandardCharsets.UTF_8)));
        assertEquals("powerpc:common64", doc.getElementsByTagName("architecture").item(0).getTextContent());
        NodeList features = doc.getElementsByTagName("feature");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < features.getLength(); i++) names.add(((Element) features.item(i)).getAttribute("name"));
        assertEquals(List.of("org.gnu.gdb.power.core", "org.gnu.gdb.power.fpu", "org.gnu.gdb.power.altivec",
                "org.gnu.gdb.power.vsx"), names);

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 32; i++) expected.add("r" + i + ":64");
        expected.addAll(List.of("pc:64", "msr:64", "cr:32", "lr:64", "ctr:64", "xer:32"));
        for (int i = 0; i < 32; i++) expected.add("f" + i + ":64");
        expected.add("fpscr:64");
        for (int i = 0; i < 32; i++) expected.add("vr" + i + ":128");
        expected.addAll(List.of("vscr:32", "vrsave:32"));
        for (int i = 0; i < 32; i++) expected.add("vs" + i + "h:64");

        NodeList regs = doc.getElementsByTagName("reg");
        List<String> got = new ArrayList<>();
        String[] byNumber = new String[regs.getLength()];
        for (int i = 0; i < regs.getLength(); i++) {
            Element r = (Element) regs.item(i);
            String nb = r.getAttribute("name") + ":" + r.getAttribute("bitsize");
            got.add(nb);
            int n = Integer.parseInt(r.getAttribute("regnum"));
            assertNull(byNumber[n], "register number " + n + " given twice");
            byNumber[n] = nb;
            assertEquals(Integer.parseInt(r.getAttribute("bitsize")) / 8, PowerRegisters.size(n), nb);
        }
        assertEquals(expected.stream().sorted().toList(), got.stream().sorted().toList());
        // gdb's numbering: GPRs, FPRs, then pc msr cr lr ctr xer fpscr, the vector registers, vscr, vrsave, vsNh.
        assertEquals("f0:64", byNumber[32]);
        assertEquals("pc:64", byNumber[64]);
        assertEquals("fpscr:64", byNumber[70]);
        assertEquals("vr0:128", byNumber[71]);
        assertEquals("vrsave:32", byNumber[104]);
        assertEquals("vs31h:64", byNumber[136]);
        assertEquals(32 * 8 + 32 * 8 + 4 * 8 + 2 * 4 + 8 + 32 * 16 + 2 * 4 + 32 * 8, PowerRegisters.totalSize());
    }

    @Test
    void valuesGoInTheGuestsByteOrderAtTheirOwnSize() {
        Core c = core();
        c.setGpr(3, 0x0102030405060708L);
        c.setCr(0x2400_0488);
        c.vectorScalar().set(32 + 5, 0x0001020304050607L, 0x08090a0b0c0d0e0fL); // VR5 = VSR37
        c.vectorScalar().set(7, 0x1111111111111111L, 0x2222222222222222L);       // f7 and vs7h
        assertEquals("0102030405060708", hex(PowerRegisters.read(c, 3, true)));
        assertEquals("0807060504030201", hex(PowerRegisters.read(c, 3, false)));
        assertEquals("24000488", hex(PowerRegisters.read(c, PowerRegisters.CR, true)));
        assertEquals("88040024", hex(PowerRegisters.read(c, PowerRegisters.CR, false)));
        assertEquals("000102030405060708090a0b0c0d0e0f", hex(PowerRegisters.read(c, PowerRegisters.VR0 + 5, true)));
        assertEquals("0f0e0d0c0b0a09080706050403020100", hex(PowerRegisters.read(c, PowerRegisters.VR0 + 5, false)),
                "the 128-bit value, little-endian");
        assertEquals("1111111111111111", hex(PowerRegisters.read(c, PowerRegisters.F0 + 7, true)));
        assertEquals("2222222222222222", hex(PowerRegisters.read(c, PowerRegisters.VS0H + 7, true)));
    }

    @Test
    void writtenValuesReadBackAndAGPacketRoundTrips() {
        Core c = core();
        for (boolean be : new boolean[] {true, false}) {
            byte[] all = new byte[PowerRegisters.totalSize()];
            for (int i = 0; i < all.length; i++) all[i] = (byte) (i * 7 + 3);
            // pc is word aligned, MSR never gets HV, XER keeps only its defined and reserved bits:
            // give them values they keep.
            int off = 0;
            for (int n = 0; n < PowerRegisters.COUNT; n++) {
                if (n == PowerRegisters.PC || n == PowerRegisters.MSR || n == PowerRegisters.XER) {
                    java.util.Arrays.fill(all, off, off + PowerRegisters.size(n), (byte) 0);
                }
                off += PowerRegisters.size(n);
            }
            PowerRegisters.writeAll(c, all, be);
            assertArrayEquals(all, PowerRegisters.readAll(c, be));
        }
        PowerRegisters.write(c, PowerRegisters.VRSAVE, new byte[] {0, 0, 0, 9}, 0, true);
        assertEquals(9, c.readSpr(Spr.VRSAVE));
    }

    @Test
    void aDebuggerCannotPutTheGuestInHypervisorState() {
        Core c = core();
        byte[] msr = new byte[8];
        java.nio.ByteBuffer.wrap(msr).putLong(Msr.HV | Msr.SF | Msr.ME);
        PowerRegisters.write(c, PowerRegisters.MSR, msr, 0, true);
        assertEquals(Msr.SF | Msr.ME, c.msr());
    }
}
