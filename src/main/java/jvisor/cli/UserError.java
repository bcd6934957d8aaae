package jvisor.cli;

/** A mistake in what the user asked for (a missing file, a bad option): reported in one line, exit 2. */
public final class UserError extends RuntimeException {
    public UserError(String message) {
        super(message, null, false, false);
    }
}
