package jvisor.memory;

/**
 * The argument of KVM_SET_USER_MEMORY_REGION: slot number, flags
 * ({@link MemorySlot#LOG_DIRTY_PAGES}, {@link MemorySlot#READONLY}), guest physical address,
 * size in bytes (0 deletes the slot) and the host virtual address backing it.
 */
public record UserMemoryRegion(int slot, int flags, long guestPhysAddr, long memorySize, long userspaceAddr) {}
