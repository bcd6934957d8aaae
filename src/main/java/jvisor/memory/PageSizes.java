package jvisor.memory;

/** The page sizes jvisor's host and guests use, as shifts and sizes. */
public final class PageSizes {
    private PageSizes() {}

    public static final int SHIFT_4K = 12, SHIFT_64K = 16, SHIFT_2M = 21, SHIFT_1G = 30;
    public static final long SIZE_4K = 1L << SHIFT_4K, SIZE_2M = 1L << SHIFT_2M, SIZE_1G = 1L << SHIFT_1G;
    /** Frame orders (log2 of the number of 4 KiB frames) of the huge frames. */
    public static final int ORDER_2M = SHIFT_2M - SHIFT_4K, ORDER_1G = SHIFT_1G - SHIFT_4K;

    public static boolean aligned(long value, int shift) {
        return (value & ((1L << shift) - 1)) == 0;
    }

    public static String name(int shift) {
        return switch (shift) {
            case SHIFT_4K -> "4K";
            case SHIFT_64K -> "64K";
            case SHIFT_2M -> "2M";
            case SHIFT_1G -> "1G";
            default -> (1L << shift) + "B";
        };
    }
}
