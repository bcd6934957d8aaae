package jvisor.memory;

/**
 * A page handed out by {@link HostAddressSpace#getUserPage} with a reference held on it
 * (Linux's get_user_pages result): the caller must {@link PhysicalMemory#put} {@link #pfn} when done.
 *
 * @param pfn       the 4 KiB frame backing the requested address
 * @param pageShift the size of the host mapping (12, 21 or 30): the frame belongs to a huge frame of
 *                  that size, aligned to it
 * @param writable  the host mapping is writable
 * @param dirty     the host mapping is dirty
 */
public record HostPage(long pfn, int pageShift, boolean writable, boolean dirty) {}
