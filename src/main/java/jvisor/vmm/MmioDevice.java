package jvisor.vmm;

/**
 * A device on the {@link MmioBus}: loads and stores at an offset inside the device's range.
 * {@code data} holds the bytes in guest memory order (the vCPU has already applied the access's
 * byte order); only {@code data[0..length)} is used, with {@code length} 1, 2, 4 or 8 and the
 * access wholly inside the device. Devices are called from vCPU threads and lock themselves.
 */
public interface MmioDevice {
    void read(long offset, byte[] data, int length);

    void write(long offset, byte[] data, int length);
}
