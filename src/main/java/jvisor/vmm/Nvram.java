package jvisor.vmm;

import java.util.Arrays;

/**
 * The partition's non-volatile RAM as the RTAS calls nvram-fetch and nvram-store see it: a
 * {@link #SIZE}-byte array published in the device tree as {@code /vdevice/nvram} with its size
 * in {@code #bytes}. It starts zeroed, as QEMU's does when it is given no backing file, and lives
 * as long as the machine. The guest's offsets and lengths are checked here; buffers in guest
 * memory are the caller's business.
 */
public final class Nvram {
    public static final int SIZE = 64 * 1024;

    final byte[] bytes = new byte[SIZE];

    /** Whether {@code [offset, offset + length)}, two unsigned 32-bit guest values, lies inside. */
    public static boolean inBounds(long offset, long length) {
        return offset >= 0 && length >= 0 && offset + length <= SIZE;
    }

    /** Copies {@code length} bytes from {@code offset}; the range must be {@link #inBounds}. */
    public synchronized byte[] fetch(int offset, int length) {
        return Arrays.copyOfRange(bytes, offset, offset + length);
    }

    /** Writes {@code data} at {@code offset}; the range must be {@link #inBounds}. */
    public synchronized void store(int offset, byte[] data) {
        System.arraycopy(data, 0, bytes, offset, data.length);
    }
}
