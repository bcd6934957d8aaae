package jvisor.cli;

/** Parses memory sizes the way QEMU's -m does: a number with an optional K, M, G or T suffix (default M). */
final class SizeParser {
    private SizeParser() {}

    static long parse(String text) {
        String t = text.trim().toUpperCase();
        if (t.endsWith("B")) t = t.substring(0, t.length() - 1);
        long mult = 1L << 20;
        if (!t.isEmpty()) {
            char c = t.charAt(t.length() - 1);
            int shift = switch (c) {
                case 'K' -> 10;
                case 'M' -> 20;
                case 'G' -> 30;
                case 'T' -> 40;
                default -> -1;
            };
            if (shift >= 0) {
                mult = 1L << shift;
                t = t.substring(0, t.length() - 1);
            }
        }
        try {
            long n = Long.parseLong(t);
            if (n <= 0 || n > Long.MAX_VALUE / mult) throw new NumberFormatException();
            return n * mult;
        } catch (NumberFormatException e) {
            throw new UserError("bad size '" + text + "' (examples: 512M, 2G)");
        }
    }
}
