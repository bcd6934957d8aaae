package jvisor.vmm;

/**
 * A kernel placed in guest memory.
 *
 * @param entry     real address to start at (the ELF entry point, relocated with the image)
 * @param bigEndian the ELF's byte order; the CPU still starts big-endian (the image switches itself)
 * @param start     lowest real address a segment occupies
 * @param end       one past the highest real address a segment occupies (including zero fill)
 * @param relocated true for an ET_DYN image placed at {@link MachineLayout#KERNEL_BASE}
 */
public record LoadedImage(long entry, boolean bigEndian, long start, long end, boolean relocated) {
    public long size() {
        return end - start;
    }
}
