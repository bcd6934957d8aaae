package jvisor.vmm;

import java.nio.file.Files;
import java.nio.file.Path;
import jvisor.kvm.power.PowerVmState;

/**
 * What a person asked the pseries machine to be: RAM size, number of CPUs, the kernel ELF, an
 * optional initrd and the kernel command line. {@link #validated} checks every value and reports
 * the first problem as a one-line {@link LaunchError}; the record itself only holds values.
 *
 * @param memoryBytes RAM at guest real address 0
 * @param cpus        number of vCPUs (one thread each, one device-tree cpu node each)
 * @param kernel      the ELF to load, or {@code null} when the caller supplies the image bytes
 *                    itself (the CLI's embedded demo guest)
 * @param initrd      an initial ramdisk loaded after the kernel, or {@code null}
 * @param commandLine {@code /chosen/bootargs}; empty for none
 */
public record MachineConfig(long memoryBytes, int cpus, Path kernel, Path initrd, String commandLine) {

    public static final long MIB = 1L << 20;
    /** The smallest machine: the image goes at 4 MiB and the device tree 2 MiB below the top. */
    public static final long MIN_MEMORY = 64 * MIB;
    /** RAM ends below the MMIO window ({@link MachineLayout#MMIO_BASE}), so the two never overlap. */
    public static final long MAX_MEMORY = MachineLayout.MMIO_BASE;
    /**
     * RAM is handed out in whole 16 MiB blocks: enough alignment for 2 MiB and 1 GiB-free radix
     * identity maps and a device tree at a 64 KiB boundary below the top.
     */
    public static final long MEMORY_ALIGN = 16 * MIB;
    /** As many as the hypervisor gives one VM (its KVM_MAX_VCPUS). */
    public static final int MAX_CPUS = PowerVmState.MAX_VCPUS;
    /** Longest command line accepted; Linux's COMMAND_LINE_SIZE on powerpc is 2048 bytes with the NUL. */
    public static final int MAX_COMMAND_LINE = 2047;

    public MachineConfig {
        commandLine = commandLine == null ? "" : commandLine;
    }

    /** The machine the guests' README runs under QEMU: 512 MiB, one CPU. */
    public static MachineConfig defaults(Path kernel) {
        return new MachineConfig(512 * MIB, 1, kernel, null, "");
    }

    /** Builds a configuration and checks it; see {@link #validate()}. */
    public static MachineConfig validated(long memoryBytes, int cpus, Path kernel, Path initrd, String commandLine)
            throws LaunchError {
        MachineConfig c = new MachineConfig(memoryBytes, cpus, kernel, initrd, commandLine);
        c.validate();
        return c;
    }

    /** Checks every value; the first problem found is thrown as a one-line {@link LaunchError}. */
    public void validate() throws LaunchError {
        if (memoryBytes < MIN_MEMORY) {
            throw new LaunchError("memory size " + SizeText.of(memoryBytes) + " is too small (at least "
                    + SizeText.of(MIN_MEMORY) + ")");
        }
        if (memoryBytes > MAX_MEMORY) {
            throw new LaunchError("memory size " + SizeText.of(memoryBytes) + " is too large (at most "
                    + SizeText.of(MAX_MEMORY) + ")");
        }
        if (memoryBytes % MEMORY_ALIGN != 0) {
            throw new LaunchError("memory size " + SizeText.of(memoryBytes) + " is not a multiple of "
                    + SizeText.of(MEMORY_ALIGN));
        }
        if (cpus < 1 || cpus > MAX_CPUS) {
            throw new LaunchError("cpu count " + cpus + " is out of range (1.." + MAX_CPUS + ")");
        }
        if (kernel != null) requireReadableFile("kernel", kernel);
        if (initrd != null) {
            requireReadableFile("initrd", initrd);
            long size = sizeOf("initrd", initrd);
            if (size > memoryBytes / 2) {
                throw new LaunchError("initrd " + initrd + " (" + SizeText.of(size)
                        + ") does not fit in half of the machine's memory");
            }
        }
        if (commandLine.length() > MAX_COMMAND_LINE) {
            throw new LaunchError("command line is " + commandLine.length() + " characters long (at most "
                    + MAX_COMMAND_LINE + ")");
        }
        for (int i = 0; i < commandLine.length(); i++) {
            char ch = commandLine.charAt(i);
            if (ch == 0 || ch > 0x7e || (ch < 0x20 && ch != '\t')) {
                throw new LaunchError(String.format(
                        "command line has a character the device tree cannot carry (U+%04X at %d)", (int) ch, i));
            }
        }
    }

    private static void requireReadableFile(String what, Path p) throws LaunchError {
        if (!Files.exists(p)) throw new LaunchError(what + " " + p + ": no such file");
        if (!Files.isRegularFile(p)) throw new LaunchError(what + " " + p + ": not a regular file");
        if (!Files.isReadable(p)) throw new LaunchError(what + " " + p + ": not readable");
    }

    static long sizeOf(String what, Path p) throws LaunchError {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            throw new LaunchError(what + " " + p + ": " + oneLine(e));
        }
    }

    static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replace('\n', ' ');
    }
}
