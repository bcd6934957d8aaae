package jvisor.vmm;

/**
 * The escape key of an interactive console, as QEMU's: Ctrl-A followed by a command key is taken
 * by the VMM instead of reaching the guest. {@code x} ends the machine, {@code h} lists the keys,
 * a second Ctrl-A sends one Ctrl-A to the guest; any other key after Ctrl-A is dropped. The state
 * carries over between reads, so the two keys may arrive in different reads.
 */
public final class ConsoleEscape {
    /** Ctrl-A. */
    public static final byte ESCAPE = 0x01;

    /** What the VMM does when the person at the console asks. */
    public interface Actions {
        /** Ctrl-A x: end the machine now. */
        void quit();

        /** Ctrl-A h: show {@code text} to the person (not to the guest). */
        void show(String text);

        /** Ctrl-A m: migrate now (where {@code run --migrate-to} was given; else nothing). */
        default void migrate() {}
    }

    static final String HELP = String.join("\r\n",
            "",
            "C-a h    print this help",
            "C-a x    exit jvisor",
            "C-a m    migrate now (with --migrate-to)",
            "C-a C-a  send C-a to the guest",
            "");

    private final Actions actions;
    private boolean escaped;

    public ConsoleEscape(Actions actions) {
        this.actions = actions;
    }

    /**
     * Takes the escape sequences out of {@code buf[0..n)} in place, acting on them; returns how many
     * bytes are left for the guest.
     */
    public int filter(byte[] buf, int n) {
        int out = 0;
        for (int i = 0; i < n; i++) {
            byte b = buf[i];
            if (escaped) {
                escaped = false;
                switch (b) {
                    case ESCAPE -> buf[out++] = ESCAPE;
                    case 'x', 'X' -> actions.quit();
                    case 'h', 'H', '?' -> actions.show(HELP);
                    case 'm', 'M' -> actions.migrate();
                    default -> { } // unknown command key: dropped, as QEMU drops it
                }
            } else if (b == ESCAPE) {
                escaped = true;
            } else {
                buf[out++] = b;
            }
        }
        return out;
    }
}
