package jvisor.fuzz;

import java.util.List;
import java.util.Map;

/** The figures of one campaign, and the line that closes it. */
public record FuzzReport(String engine, long seed, long ops, long hostExceptions, long outsideAccesses,
                         long leakedFrames, long maxHeapMb, long wallMillis, Map<String, Long> figures,
                         List<String> findings) {

    /** The closing line: {@code fuzz: ENGINE ops=N host-exceptions=E outside-accesses=A leaked-frames=F max-heap-mb=M}. */
    public String line() {
        return String.format("fuzz: %s ops=%d host-exceptions=%d outside-accesses=%d leaked-frames=%d max-heap-mb=%d",
                engine, ops, hostExceptions, outsideAccesses, leakedFrames, maxHeapMb);
    }

    /** The engine's own figures, the seed and the wall time, on one line before the closing one. */
    public String detailLine() {
        StringBuilder b = new StringBuilder(engine).append(": seed=").append(seed).append(" wall-ms=").append(wallMillis);
        figures.forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
        return b.toString();
    }

    /** Nothing went wrong. */
    public boolean clean() {
        return hostExceptions == 0 && outsideAccesses == 0 && leakedFrames == 0 && findings.isEmpty();
    }
}
