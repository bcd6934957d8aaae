/**
 * Host memory, as the host kernel's mm sees it: physical page frames with reference counts and
 * huge (2 MiB, 1 GiB) frames, a host process address space whose pages fault in lazily and which
 * fires MMU-notifier events when it unmaps, reclaims, migrates or ages pages, guest memory slots
 * with KVM's set-user-memory-region rules, and per-slot dirty bitmaps. Two ways in, on purpose:
 * {@code GuestMemory} is how a hypervisor reads and writes a guest's memory (small, checked,
 * results instead of exceptions; {@code MemslotGuestMemory} through the memslots), and
 * {@code RealMemory} is the hardware's own bus (unchecked, typed, allocation-free, for the CPU's
 * loads and stores and the table walks). {@code FrameGuard}, on for
 * fuzzing and tests, counts every access to real memory that lands outside the frames in use.
 * Depends on nothing else in jvisor.
 */
package jvisor.memory;
