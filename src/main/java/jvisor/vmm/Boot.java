package jvisor.vmm;

import java.io.IOException;
import java.nio.file.Files;
import jvisor.memory.GuestMemory;

/**
 * Puts everything the boot CPU needs into guest RAM: the kernel, the initrd just above it
 * (64 KiB aligned, as QEMU places it) and the device tree {@link MachineLayout#FDT_BELOW_TOP}
 * below the top of RAM. The run loop then starts CPU 0 at {@link #entry} with r3 =
 * {@link #fdtAddress}, r4 = r5 = 0, MSR big-endian, 32-bit, translation off.
 *
 * @param image      the kernel as loaded
 * @param fdtAddress real address of the device tree
 * @param fdtSize    its size in bytes
 */
public record Boot(LoadedImage image, long fdtAddress, int fdtSize) {

    public long entry() {
        return image.entry();
    }

    /** Loads the configured kernel file; see {@link #prepare(MachineConfig, GuestMemory, String, byte[])}. */
    public static Boot prepare(MachineConfig config, GuestMemory memory) throws LaunchError {
        if (config.kernel() == null) throw new LaunchError("no kernel given");
        LoadedImage img = ElfLoader.load(config.kernel(), memory, config.memoryBytes());
        return finish(config, memory, img);
    }

    /** Loads a kernel held in memory (the embedded demo guest) and the rest. */
    public static Boot prepare(MachineConfig config, GuestMemory memory, String name, byte[] kernel) throws LaunchError {
        LoadedImage img = ElfLoader.load(name, kernel, memory, config.memoryBytes());
        return finish(config, memory, img);
    }

    private static Boot finish(MachineConfig config, GuestMemory memory, LoadedImage img) throws LaunchError {
        long fdt = MachineLayout.fdtAddress(config.memoryBytes());
        if (img.end() > fdt) {
            throw new LaunchError(String.format("kernel image ends at 0x%x, above the device tree at 0x%x: give the "
                    + "machine more memory", img.end(), fdt));
        }
        DeviceTreeBuilder tree = new DeviceTreeBuilder(config).kernel(img);
        long loadedEnd = img.end();
        if (config.initrd() != null) {
            byte[] initrd;
            try {
                initrd = Files.readAllBytes(config.initrd());
            } catch (IOException | OutOfMemoryError e) {
                throw new LaunchError("initrd " + config.initrd() + ": cannot be read");
            }
            long start = (img.end() + MachineLayout.INITRD_ALIGN - 1) & -MachineLayout.INITRD_ALIGN;
            if (start + initrd.length > fdt) {
                throw new LaunchError("initrd " + config.initrd() + " (" + SizeText.of(initrd.length)
                        + ") does not fit between the kernel and the device tree");
            }
            write(memory, start, initrd);
            tree.initrd(start, start + initrd.length);
            loadedEnd = start + initrd.length;
        }
        long rtas = MachineLayout.rtasAddress(config.memoryBytes());
        if (loadedEnd > rtas && img.start() < rtas + RtasBlob.SIZE) {
            throw new LaunchError(String.format("the kernel and initrd reach 0x%x, over the RTAS code at 0x%x: give the "
                    + "machine more memory", loadedEnd, rtas));
        }
        write(memory, rtas, RtasBlob.bytes());
        byte[] blob = tree.build();
        write(memory, fdt, blob);
        return new Boot(img, fdt, blob.length);
    }

    private static void write(GuestMemory memory, long address, byte[] bytes) throws LaunchError {
        if (!memory.write(address, bytes, 0, bytes.length)) {
            throw new LaunchError(String.format("guest memory in [0x%x, 0x%x) is not usable RAM", address,
                    address + bytes.length));
        }
    }
}
