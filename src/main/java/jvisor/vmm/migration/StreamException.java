package jvisor.vmm.migration;

/**
 * A migration stream that cannot be used, with a one-line reason. {@link #mismatch()} tells a
 * stream made for another machine or by another version (the person's options do not fit it) from
 * one that is damaged or cut short.
 */
public final class StreamException extends Exception {
    private final boolean mismatch;

    StreamException(String message, boolean mismatch) {
        super(message);
        this.mismatch = mismatch;
    }

    static StreamException damaged(String message) {
        return new StreamException(message, false);
    }

    static StreamException mismatch(String message) {
        return new StreamException(message, true);
    }

    public boolean mismatch() {
        return mismatch;
    }
}
