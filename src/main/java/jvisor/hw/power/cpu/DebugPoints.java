package jvisor.hw.power.cpu;

import java.util.Arrays;

/**
 * What a debugger asks a core to stop at: instruction addresses (breakpoints) and ranges of
 * effective addresses watched for loads, stores or both (watchpoints). This is the job of CIABR
 * and DAWR, but without their count and length limits and invisible to the guest, whose own
 * CIABR/DAWR stay its own: nothing is written into guest memory and no guest register changes.
 *
 * <p>A breakpoint stops the core before the instruction at its address executes; a watchpoint
 * stops it before the load or store that touches the range, with the instruction not executed
 * (as DAWR's match does, so a debugger steps over the access with the watchpoint removed).
 *
 * <p>Immutable: the debugger builds a new set and gives it to the core between runs
 * ({@link Core#setDebugPoints}). Addresses may repeat (a software and a hardware breakpoint at
 * one address): each removal takes one away.
 */
public final class DebugPoints {
    /** Kinds of stop a core reports in {@link Hit#kind()}. */
    public static final int BREAKPOINT = 0, WATCH_WRITE = 1, WATCH_READ = 2, WATCH_ACCESS = 3;

    /** Nothing to stop at. */
    public static final DebugPoints NONE = new DebugPoints(new long[0], new long[0], new long[0], new int[0]);

    /** Why the core stopped for its debugger: {@code address} is the instruction's or the watched data's. */
    public record Hit(int kind, long address) {}

    private final long[] breakpoints;           // sorted, repeats allowed
    private final long[] watchStart, watchLast;  // first and last byte, unsigned effective addresses
    private final int[] watchKind;

    private DebugPoints(long[] breakpoints, long[] watchStart, long[] watchLast, int[] watchKind) {
        this.breakpoints = breakpoints;
        this.watchStart = watchStart;
        this.watchLast = watchLast;
        this.watchKind = watchKind;
    }

    public boolean isEmpty() {
        return breakpoints.length == 0 && watchStart.length == 0;
    }

    public int breakpointCount() {
        return breakpoints.length;
    }

    public int watchpointCount() {
        return watchStart.length;
    }

    /** This set with a breakpoint at {@code ea} more. */
    public DebugPoints withBreakpoint(long ea) {
        long[] b = Arrays.copyOf(breakpoints, breakpoints.length + 1);
        b[b.length - 1] = ea;
        Arrays.sort(b);
        return new DebugPoints(b, watchStart, watchLast, watchKind);
    }

    /** This set with one breakpoint at {@code ea} fewer (the same set if there is none). */
    public DebugPoints withoutBreakpoint(long ea) {
        int i = Arrays.binarySearch(breakpoints, ea);
        if (i < 0) return this;
        long[] b = new long[breakpoints.length - 1];
        System.arraycopy(breakpoints, 0, b, 0, i);
        System.arraycopy(breakpoints, i + 1, b, i, b.length - i);
        return new DebugPoints(b, watchStart, watchLast, watchKind);
    }

    /**
     * This set with {@code length} bytes at {@code ea} watched for {@code kind}
     * ({@link #WATCH_WRITE}, {@link #WATCH_READ} or {@link #WATCH_ACCESS}).
     */
    public DebugPoints withWatchpoint(long ea, long length, int kind) {
        if (kind < WATCH_WRITE || kind > WATCH_ACCESS) throw new IllegalArgumentException("watch kind " + kind);
        if (length <= 0) throw new IllegalArgumentException("watch length " + length);
        int n = watchStart.length;
        long[] s = Arrays.copyOf(watchStart, n + 1), e = Arrays.copyOf(watchLast, n + 1);
        int[] k = Arrays.copyOf(watchKind, n + 1);
        s[n] = ea;
        e[n] = last(ea, length);
        k[n] = kind;
        return new DebugPoints(breakpoints, s, e, k);
    }

    /** This set with one watchpoint of that address, length and kind fewer (the same set if none matches). */
    public DebugPoints withoutWatchpoint(long ea, long length, int kind) {
        long last = last(ea, length);
        for (int i = 0; i < watchStart.length; i++) {
            if (watchStart[i] == ea && watchLast[i] == last && watchKind[i] == kind) {
                int n = watchStart.length - 1;
                long[] s = new long[n], e = new long[n];
                int[] k = new int[n];
                for (int j = 0, o = 0; j <= n; j++) {
                    if (j == i) continue;
                    s[o] = watchStart[j];
                    e[o] = watchLast[j];
                    k[o++] = watchKind[j];
                }
                return new DebugPoints(breakpoints, s, e, k);
            }
        }
        return this;
    }

    /** The last byte of {@code length} bytes at {@code ea}; a range past the top of the address space ends there. */
    private static long last(long ea, long length) {
        long last = ea + (length - 1);
        return Long.compareUnsigned(last, ea) < 0 ? -1L : last;
    }

    /** Whether a breakpoint is set at {@code ea}. */
    boolean breaksAt(long ea) {
        return breakpoints.length != 0 && Arrays.binarySearch(breakpoints, ea) >= 0;
    }

    /**
     * The watchpoint an access of {@code len} bytes at {@code ea} hits, or null: a load hits a
     * read or access watchpoint, a store a write or access watchpoint (an atomic read-modify-write
     * is checked as the store it ends in). The address reported is the first watched byte the
     * access touches, which lies inside the watched range as a debugger checks.
     */
    Hit watchHit(long ea, int len, boolean store) {
        long last = last(ea, len);
        for (int i = 0; i < watchStart.length; i++) {
            int kind = watchKind[i];
            if (kind != WATCH_ACCESS && (kind == WATCH_WRITE) != store) continue;
            long s = watchStart[i], e = watchLast[i];
            if (Long.compareUnsigned(ea, e) <= 0 && Long.compareUnsigned(s, last) <= 0) {
                return new Hit(kind, Long.compareUnsigned(ea, s) > 0 ? ea : s);
            }
        }
        return null;
    }

    /** Whether any watched byte lies in the 4K page of {@code ea} (such pages stay out of the core's data translation cache). */
    boolean watchesPage(long ea) {
        long page = ea & ~0xFFFL, pageLast = page + 0xFFF;
        for (int i = 0; i < watchStart.length; i++) {
            if (Long.compareUnsigned(watchStart[i], pageLast) <= 0 && Long.compareUnsigned(page, watchLast[i]) <= 0) {
                return true;
            }
        }
        return false;
    }
}
