package jvisor.memory;

import java.util.OptionalLong;

/**
 * Guest physical memory as a hypervisor reads and writes it on a guest's behalf (rust-vmm's
 * {@code GuestMemory}; KVM's {@code kvm_read_guest}/{@code kvm_write_guest}): bytes by guest
 * physical address, copied, never a reference into host memory.
 *
 * <p>Results, not exceptions: an address that nothing backs is the guest's doing (a hypercall
 * argument, a table pointer, an RTAS buffer), so every access says whether it happened, and the
 * caller turns a failure into the guest-visible answer (a hypercall status, a machine check, a
 * killed guest). A copy that fails part way may have moved the bytes before the first page that
 * is not backed; {@link #isBacked} asks first, for a caller that must not half-write.
 *
 * <p>Three methods make a memory; the sized accessors are built on them and take the byte order
 * in their name, as the structure being read fixes it. None of this is the CPU's path to memory:
 * loads, stores and hardware table walks go through {@link RealMemory}, which is unchecked and
 * allocation-free because it is hot.
 *
 * <p>Implementations: {@link MemslotGuestMemory} (KVM's memslots, with dirty logging) and
 * lguest's one linear range of the launcher's address space.
 */
public interface GuestMemory {
    /** What a 32-bit read returns when its address is not backed (a value read is 0 .. 2^32 - 1). */
    long NOT_BACKED = -1;

    /** Whether every byte of {@code [gpa, gpa + length)} is backed (a write may still meet read-only memory). */
    boolean isBacked(long gpa, long length);

    /** Copies {@code length} bytes at {@code gpa} into {@code dst}; false when some byte is not backed. */
    boolean read(long gpa, byte[] dst, int off, int length);

    /** Copies {@code length} bytes of {@code src} to {@code gpa}; false when some byte is not backed or read-only. */
    boolean write(long gpa, byte[] src, int off, int length);

    /** The big-endian 32-bit value at {@code gpa}, zero-extended, or {@link #NOT_BACKED}. */
    default long readU32BE(long gpa) {
        byte[] b = new byte[4];
        return read(gpa, b, 0, 4) ? Integer.toUnsignedLong(bigEndian(b, 0)) : NOT_BACKED;
    }

    /** The little-endian 32-bit value at {@code gpa}, zero-extended, or {@link #NOT_BACKED}. */
    default long readU32LE(long gpa) {
        byte[] b = new byte[4];
        return read(gpa, b, 0, 4) ? Integer.toUnsignedLong(Integer.reverseBytes(bigEndian(b, 0))) : NOT_BACKED;
    }

    /** The big-endian doubleword at {@code gpa}, or empty when it is not backed (no value is free to be a sentinel). */
    default OptionalLong readU64BE(long gpa) {
        byte[] b = new byte[8];
        if (!read(gpa, b, 0, 8)) return OptionalLong.empty();
        return OptionalLong.of(((long) bigEndian(b, 0) << 32) | Integer.toUnsignedLong(bigEndian(b, 4)));
    }

    default boolean writeU32BE(long gpa, int value) {
        return write(gpa, bigEndianBytes(value, 4), 0, 4);
    }

    default boolean writeU32LE(long gpa, int value) {
        return write(gpa, bigEndianBytes(Integer.reverseBytes(value), 4), 0, 4);
    }

    default boolean writeU64BE(long gpa, long value) {
        return write(gpa, bigEndianBytes(value, 8), 0, 8);
    }

    /** The big-endian int in bytes {@code [at, at + 4)} of {@code b}. */
    private static int bigEndian(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    private static byte[] bigEndianBytes(long value, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (value >>> (8 * (n - 1 - i)));
        return b;
    }
}
