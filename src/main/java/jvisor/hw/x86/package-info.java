/**
 * The 32-bit x86 paging hardware without PAE: page-directory and page-table entries as
 * {@code int} values ({@link jvisor.hw.x86.X86Pte}), the page-fault error code, the one
 * two-level walk of one access with the accessed/dirty rules ({@link jvisor.hw.x86.TwoLevelWalker},
 * told what the access is by {@link jvisor.hw.x86.X86Access} bits), the range walk with pre-order,
 * leaf and post-order callbacks that everyone else uses to look at or tear down tables
 * ({@link jvisor.hw.x86.TwoLevelRangeWalker}, the contract of the radix range walker), a
 * software TLB flushed by CR3 loads except for global entries, and the MMU of one CPU that ties
 * them together. Tables are little-endian 4-byte entries read through {@link
 * jvisor.hw.x86.TableMemory}, so the walker reads exactly the bytes whoever built the tables
 * wrote. Depends only on {@code jvisor.memory}; knows nothing of the hypervisor.
 */
package jvisor.hw.x86;
