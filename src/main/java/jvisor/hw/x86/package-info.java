/**
 * The 32-bit x86 paging hardware without PAE: page-directory and page-table entries as
 * {@code int} values ({@link jvisor.hw.x86.X86Pte}), the page-fault error code, the one
 * two-level walker with the accessed/dirty rules ({@link jvisor.hw.x86.TwoLevelWalker}), a
 * software TLB flushed by CR3 loads except for global entries, and the MMU of one CPU that ties
 * them together. Tables are little-endian 4-byte entries read through {@link
 * jvisor.hw.x86.TableMemory}, so the walker reads exactly the bytes whoever built the tables
 * wrote. Depends only on {@code jvisor.memory}; knows nothing of the hypervisor.
 */
package jvisor.hw.x86;
