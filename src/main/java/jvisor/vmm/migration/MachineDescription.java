package jvisor.vmm.migration;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import jvisor.vmm.MachineConfig;

/**
 * What must be the same on both sides of a migration, as QEMU requires the same machine options on
 * the destination: RAM size, vCPU count, the kernel and initrd (by SHA-256 of their bytes: the
 * same file under another name is fine, another file is not) and the command line. The guest's
 * RAM holds the kernel already; the destination loads it too, to know its byte order and to check
 * that the files it was given are the ones the guest was started with.
 */
record MachineDescription(long memoryBytes, int cpus, String kernelSha256, String initrdSha256, String commandLine) {

    static MachineDescription of(MachineConfig config, byte[] embeddedKernel) throws IOException {
        String kernel = config.kernel() != null ? sha256(Files.readAllBytes(config.kernel()))
                : embeddedKernel != null ? sha256(embeddedKernel) : "";
        String initrd = config.initrd() != null ? sha256(Files.readAllBytes(config.initrd())) : "";
        return new MachineDescription(config.memoryBytes(), config.cpus(), kernel, initrd,
                config.commandLine() == null ? "" : config.commandLine());
    }

    void write(DataOutputStream out) throws IOException {
        out.writeLong(memoryBytes);
        out.writeInt(cpus);
        out.writeUTF(kernelSha256);
        out.writeUTF(initrdSha256);
        out.writeUTF(commandLine);
    }

    static MachineDescription read(DataInputStream in) throws IOException {
        return new MachineDescription(in.readLong(), in.readInt(), in.readUTF(), in.readUTF(), in.readUTF());
    }

    /** Why a stream made for {@code stream} cannot run here, or null if it can. */
    String mismatch(MachineDescription stream) {
        if (stream.memoryBytes != memoryBytes) {
            return "the stream's machine has " + (stream.memoryBytes >> 20) + "M of RAM, this one " + (memoryBytes >> 20)
                    + "M (give --mem " + (stream.memoryBytes >> 20) + "M)";
        }
        if (stream.cpus != cpus) return "the stream's machine has " + stream.cpus + " vCPUs, this one " + cpus + " (give --smp " + stream.cpus + ")";
        if (!stream.kernelSha256.equals(kernelSha256)) return "the stream's guest was started with another kernel";
        if (!stream.initrdSha256.equals(initrdSha256)) return "the stream's guest was started with another initrd (or none)";
        if (!stream.commandLine.equals(commandLine)) return "the stream's guest was started with another --append";
        return null;
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }

}
