package jvisor.vmm;

/** Sizes in messages: the largest binary unit that divides the value exactly. */
final class SizeText {
    private SizeText() {}

    static String of(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        long v = bytes;
        while (u < units.length - 1 && v != 0 && v % 1024 == 0) {
            v /= 1024;
            u++;
        }
        return v + " " + units[u];
    }
}
