package jvisor.memory;

/**
 * One mapping of a host address space (Linux's vm_area_struct): {@code [start, end)}, the page
 * size its pages are faulted in with, and its protection. A {@link #pfnMap} mapping is device
 * memory at fixed frames ({@link #pgoff} is the first), never faulted in with page references.
 */
public record Vma(long start, long end, int pageShift, boolean writable, boolean pfnMap, long pgoff) {

    public boolean contains(long hva) {
        return hva >= start && hva < end;
    }

    public long length() {
        return end - start;
    }
}
