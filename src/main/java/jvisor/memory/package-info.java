/**
 * Host memory, as the host kernel's mm sees it: physical page frames with reference counts and
 * huge (2 MiB, 1 GiB) frames, a host process address space whose pages fault in lazily and which
 * fires MMU-notifier events when it unmaps, reclaims, migrates or ages pages, guest memory slots
 * with KVM's set-user-memory-region rules, and per-slot dirty bitmaps. {@code FrameGuard}, on for
 * fuzzing and tests, counts every access to real memory that lands outside the frames in use.
 * Depends on nothing else in jvisor.
 */
package jvisor.memory;
