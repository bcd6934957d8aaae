package jvisor.hw.power.cpu;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jvisor.memory.CodeMemory;

/**
 * The native tier: a branch target the interpreter ran {@link Tiering#nativeHeat} times becomes
 * a block of x86-64 code ({@link NativeBlockWriter}), written in microseconds where a region's
 * class costs HotSpot milliseconds, which the core's run loop calls where it would have
 * interpreted. A block that ends at a taken branch goes on to the block at the target through
 * the core's jump cache while its budget lasts, so a hot path runs from block to block without
 * coming back to Java. On x86-64 Linux hosts, unless {@code -Djvisor.native=false}; elsewhere
 * cores interpret as before. Cold Linux boots, 6 alternating pairs: 0.78 of the time without.
 *
 * <p>The state a block reads and writes besides the GPRs travels in the core's GPR array, after
 * the 32 registers ({@link #STATE_LENGTH}): the array is handed to the block as it is (a heap
 * array passed to native code costs a few nanoseconds; GPRs in native memory would cost the
 * Java tiers' translated code far more, see {@code NativeCodeBenchmark}).
 *
 * <p>The code area (256 MiB of reserved address space, committed as it is written) is two halves
 * that take turns, as a copying collector's semispaces do: blocks are written into one until it is
 * full, and then every block there is forgotten at once (a new <em>generation</em>: each page's
 * block array names the generation it belongs to, and the jump caches' epoch moves) and writing
 * goes on in the other half, over the blocks of two generations ago. A half is written over only
 * once no core can still be running its code: every core that entered its run loop before the
 * generation it held ended has left it since ({@link NativeCore#enter}); until then no block is
 * written. A guest that keeps making new code (a JIT, module churn, processes that come and go)
 * thus keeps its blocks, at the price of writing its hot blocks again after each turn.
 */
public final class NativeTier {
    private NativeTier() {
    }

    /** Whether new cores use the tier where the host has it (the system property jvisor.native, true by default). */
    static final boolean DEFAULT = Boolean.parseBoolean(System.getProperty("jvisor.native", "true"));
    /** Whether the tier was asked for by name (then a host without it is reported). */
    static final boolean ASKED = System.getProperty("jvisor.native") != null && DEFAULT;
    /** Null on a host the tier's code runs on (x86-64 Linux), else why not. */
    static final String HOST_PROBLEM = hostProblem();

    private static String hostProblem() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        return (arch.equals("amd64") || arch.equals("x86_64")) && os.contains("linux") ? null
                : "the native tier needs an x86-64 Linux host (this is " + os + "/" + arch + ")";
    }
    /** Whether blocks go on to the next block themselves (-Djvisor.native.chain=false: every block returns). */
    static final boolean CHAIN = Boolean.parseBoolean(System.getProperty("jvisor.native.chain", "true"));
    /**
     * After a block stops before an instruction (a miss, no template), the interpreter does that
     * one and the next may start a block (-Djvisor.native.resume=false: the interpreter goes on to
     * the next branch).
     */
    static final boolean RESUME = Boolean.parseBoolean(System.getProperty("jvisor.native.resume", "true"));
    /** Interpreted runs from a branch target before it gets a block (-Djvisor.native.heat). */
    static final int HEAT = Math.max(1, Integer.getInteger("jvisor.native.heat", 32));
    /**
     * Entries of a block between two reports of its heat to {@link Tiering} (the region tiers'
     * thresholds count them as interpreted runs would be counted).
     */
    static final int HOT_ENTRIES = 1024;
    /** The heat each report adds (-Djvisor.native.report; an interpreted run from there adds one). */
    static final int HOT_WEIGHT = Integer.getInteger("jvisor.native.report", HOT_ENTRIES);

    // ---- the state, in the GPR array after the registers (indices from gpr[32]) ----
    static final int CR = 0, CTR = 1, SO = 2, MODE = 3, CODE_EPOCH = 4, RESERVED = 5, COUNT = 6, EXIT = 7, EA = 8,
            LR = 9, BUDGET = 10, JUMP_EPOCH = 11, CA = 12, CA32 = 13, TARGET = 14, CFAR = 15, JUMPS = 16;
    /**
     * The jump cache's entries: guest address, epoch, block. Indexed by a hash of the address
     * with bits above the page's: code at the same offset of different pages (function entries
     * aligned alike) took 2.4 M returns to Java in a Linux boot through 1,024 entries indexed by
     * the address's low bits alone.
     */
    static final int JUMP_ENTRIES = 16384;

    /** The jump-cache entry for guest address ea (the blocks compute the same). */
    static int jumpIndex(long ea) {
        return (int) ((ea >>> 2) ^ (ea >>> JUMP_HASH_SHIFT)) & (JUMP_ENTRIES - 1);
    }

    static final int JUMP_HASH_SHIFT = 13;
    static final int STATE_LENGTH = 32 + JUMPS + 3 * JUMP_ENTRIES;

    /** Why a block returned: a branch (the next instruction starts a run), a bail (it does not), its heat. */
    static final int BRANCHED = 0, BAILED = 1, HOT = 2;
    /** The most instructions one call runs (between two looks at the core's events at most its poll interval). */
    static final int MAX_RUN = 20_000;

    /** A slot's native code: none asked for yet. */
    static final long NONE = 0;
    /** A slot asked for: written at its next run. */
    static final long WANTED = 1;
    /** A slot whose first instruction has no template. */
    static final long NO_BLOCK = -1;

    /**
     * Moves on whenever a guest address may lead to other code than before (an invalidated or
     * retranslated page, a TLB flush, a translation-relevant MSR change): jump-cache entries of an
     * older epoch are never taken.
     */
    private static volatile long chainEpoch = 1;
    private static final java.lang.invoke.VarHandle CHAIN_EPOCH;

    static {
        try {
            CHAIN_EPOCH = java.lang.invoke.MethodHandles.lookup().findStaticVarHandle(NativeTier.class, "chainEpoch", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static void unchain() {
        CHAIN_EPOCH.getAndAdd(1L);
    }

    /**
     * The epoch's bits above these hold the code area's generation ({@link #generation()}): one
     * value moved by one atomic add at a turn, so that an epoch read names the generation its
     * jump-cache entries lead to, at the oldest (see {@link NativeCore#step}).
     */
    static final int GENERATION_SHIFT = 40;

    /**
     * The generation of the blocks being written now (in the epoch's high bits); each page's block
     * array names its own in its last element (older ones are forgotten). Moves when the code
     * area turns to its other half.
     */
    static int generation() {
        return (int) (chainEpoch >>> GENERATION_SHIFT);
    }

    /** The bit of a core's page filter for 4 KiB page number {@code page} ({@link NativeCore#forgetJumps}). */
    static int pageHash(long page) {
        return (int) (page ^ (page >>> 12)) & (JUMP_PAGE_BITS - 1);
    }

    /** Bits of each core's filter of pages in its jump cache. */
    static final int JUMP_PAGE_BITS = 4096;

    /** Blocks written and bytes of code, machine-wide. */
    static long blocks, codeBytes;

    /** Native blocks written in this JVM (every machine's). */
    public static long blocksWritten() {
        return blocks;
    }

    /** The bytes of x86-64 code in them. */
    public static long codeBytes() {
        return codeBytes;
    }
    /** The mnemonics blocks stopped at, with -Djvisor.native.stops=true (printed at exit). */
    static final Map<String, Long> STOPS = Boolean.getBoolean("jvisor.native.stops") ? new ConcurrentHashMap<>() : null;

    /** The mnemonics by operation number, which the block writer's templates go by. */
    private static final class Names {
        static final String[] MNEMONIC = new String[4096];

        static {
            for (int op = 0; op < MNEMONIC.length; op++) {
                String m = "";
                try {
                    InstructionSpec spec = op == 0 ? null : InstructionTable.POWER9.spec(op);
                    m = spec == null ? "" : spec.mnemonic();
                } catch (RuntimeException e) {
                    // not an operation number
                }
                MNEMONIC[op] = m;
            }
        }
    }

    static {
        if (STOPS != null) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.println("native blocks " + blocks
                    + ", " + codeBytes + " bytes; stopped at " + STOPS.entrySet().stream()
                    .sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(40).toList())));
        }
    }

    static String mnemonic(int op) {
        return op >= 0 && op < Names.MNEMONIC.length ? Names.MNEMONIC[op] : "";
    }

    /**
     * Makes the code area, the call into it and the writer's tables (on the CPU tables' thread,
     * so that a core's first block does not wait for them).
     */
    static void prepare() {
        if (HOST_PROBLEM == null) {
            problem();
            mnemonic(0);
        }
    }

    /** The code area and the call into it, made at first use. */
    private static final class Area {
        static final long SIZE = 256L << 20;
        /** The blocks' entry counters, 8 bytes each, at the area's end: far from any code. */
        static final long COUNTERS = 16L << 20;
        /** Where the halves' code begins (after the entry), and each half's code and counters. */
        static final long FIRST = 64, HALF = (SIZE - COUNTERS - FIRST) / 2 & ~15L, HALF_COUNTERS = COUNTERS / 2;
        /** Room a block may need at most, asked for before it is written (a block is at most a few KiB). */
        static final long ROOM = 64 << 10;
        static final MemorySegment CODE;
        static final MethodHandle CALL;
        static final String PROBLEM;
        /** The half blocks are written into (0 or 1), and how much of its code and counters is used. */
        static int half;
        static long used, counters;
        /**
         * The bytes of each half blocks may use: HALF, or less to exercise the turns
         * (-Djvisor.native.half=N: a half takes new blocks while less than N bytes are written;
         * tests: {@link NativeTier#limitHalves}).
         */
        static long capacity = halfCapacity(Long.getLong("jvisor.native.half", 0));

        static long halfCapacity(long bytes) {
            return bytes <= 0 ? HALF : Math.min(bytes + ROOM, HALF);
        }

        static {
            MemorySegment code = null;
            MethodHandle call = null;
            String problem = HOST_PROBLEM;
            if (problem == null) {
                code = CodeMemory.map(SIZE);
                if (code == null) {
                    problem = "the native tier could not map its code area";
                } else {
                    // The entry every call goes through: calls the block whose address is the
                    // third argument, so that the call's target is one constant and no segment is
                    // made for it per call, and keeps the registers the C convention has a callee
                    // preserve, which blocks use for guest GPRs (NativeRegisters).
                    byte[] entry = entry();
                    if (entry.length > FIRST) {
                        throw new IllegalStateException("the tier's entry is " + entry.length + " bytes");
                    }
                    MemorySegment.copy(entry, 0, code, ValueLayout.JAVA_BYTE, 0, entry.length);
                    try {
                        call = Linker.nativeLinker().downcallHandle(code, FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                                ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), Linker.Option.critical(true));
                    } catch (RuntimeException e) {
                        problem = "the native tier is not available: " + e;
                    }
                }
            }
            CODE = code;
            CALL = call;
            PROBLEM = problem;
            if (problem != null && HOST_PROBLEM == null) {
                System.err.println("jvisor: " + problem + "; interpreting instead");
            }
        }

        /** push the callee-saved registers; call rdx; pop them; ret. */
        private static byte[] entry() {
            X86Assembler a = new X86Assembler();
            for (int r : NativeRegisters.SAVED) {
                a.push(r);
            }
            a.callRegister(X86Assembler.RDX);
            for (int i = NativeRegisters.SAVED.length - 1; i >= 0; i--) {
                a.pop(NativeRegisters.SAVED[i]);
            }
            a.ret();
            return a.bytes();
        }

        /**
         * A new block's entry counter, set to {@link #HOT_ENTRIES}, with room for its code in the
         * same half (turning to the other half if this one is full and the other may be written
         * over; {@code writer} is the core asking, which runs no block meanwhile): the counter's
         * address, or 0 for no block now.
         */
        static synchronized long counter(NativeCore writer) {
            if (CODE == null) {
                return 0;
            }
            if (used + ROOM > capacity || counters + 8 > HALF_COUNTERS) {
                if (!turn(writer)) {
                    return 0;
                }
            }
            long at = SIZE - COUNTERS + half * HALF_COUNTERS + counters;
            counters += 8;
            CODE.set(ValueLayout.JAVA_INT, at, HOT_ENTRIES);
            return CODE.address() + at;
        }

        /** Copies a block into the current half: the address of its code, or 0 if it does not fit. */
        static synchronized long place(byte[] code) {
            long at = FIRST + half * HALF + used;
            long end = (used + code.length + 15) & ~15L;
            if (end > capacity) {
                return 0;
            }
            MemorySegment.copy(code, 0, CODE, ValueLayout.JAVA_BYTE, at, code.length);
            used = end;
            blocks++;
            codeBytes += code.length;
            return CODE.address() + at;
        }

        /**
         * Turns to the other half if no core but {@code writer} may still run code of the
         * generation it holds (the one before the current): every block written so far is
         * forgotten (a new generation, and the jump caches' epoch moves).
         */
        private static boolean turn(NativeCore writer) {
            int now = generation();
            for (NativeCore c : NativeCore.all()) {
                int inside = c.inside;
                if (c != writer && inside != NativeCore.OUTSIDE && inside < now) {
                    return false; // in its run loop since before this generation began
                }
            }
            half ^= 1;
            used = 0;
            counters = 0;
            turns++;
            // A new generation and a new epoch at once (jump-cache entries of the old one are
            // never taken again).
            CHAIN_EPOCH.getAndAdd((1L << GENERATION_SHIFT) + 1);
            return true;
        }
    }

    /** Times the code area turned to its other half. */
    static long turns;

    /** Times the code area turned to its other half, every block written before then forgotten. */
    public static long areaTurns() {
        return turns;
    }

    /**
     * Has each half of the code area take new blocks only while less than {@code bytes} of it are
     * written (for tests of its turns, as -Djvisor.native.half does from the start; 0: the whole half).
     */
    public static void limitHalves(long bytes) {
        synchronized (Area.class) {
            Area.capacity = Area.halfCapacity(bytes);
        }
    }

    /**
     * Calls the block at {@code code} with the GPR array (the state in its tail, see
     * {@link NativeCore}) and the data cache's entries: returns the next guest address.
     */
    static long call(MemorySegment gprs, MemorySegment cache, long code) {
        try {
            return (long) Area.CALL.invokeExact(gprs, cache, code);
        } catch (Throwable t) {
            throw new IllegalStateException("native block at 0x" + Long.toHexString(code), t);
        }
    }

    /** The jump caches' epoch now (see {@link #unchain}). */
    static long epoch() {
        return chainEpoch;
    }

    /** Null if the tier can run here (its code area made), else why not. */
    static String problem() {
        return HOST_PROBLEM != null ? HOST_PROBLEM : Area.PROBLEM;
    }

    /**
     * The page's blocks by slot if they are of the current generation, else null (and an older
     * array is dropped). The array's last element holds its generation.
     */
    static long[] blocks(DecodePage page) {
        long[] n = page.nativeCode;
        if (n != null && n[DecodePage.SLOTS] != generation()) {
            page.nativeCode = null;
            return null;
        }
        return n;
    }

    /** Slot s of the page ran hot enough: its block is written at its next run. */
    static void want(DecodePage page, int s) {
        long[] n = blocks(page);
        if (n == null) {
            n = new long[DecodePage.SLOTS + 1];
            n[DecodePage.SLOTS] = generation();
            page.nativeCode = n;
        }
        if (n[s] == NONE) {
            n[s] = WANTED;
        }
    }

    /** The block's code address for slot s (written now if it was wanted), or a value at most WANTED for none. */
    static long blockAt(Core c, DecodePage page, int s) {
        long[] n = blocks(page);
        if (n == null) {
            return NONE;
        }
        long code = n[s];
        if (code != WANTED) {
            return code;
        }
        int decoded = page.generation;
        long counter = Area.counter(c.natives); // may turn the area: then n is of an older generation
        int begun = generation();
        byte[] bytes = counter == 0 ? null : NativeBlockWriter.write(page, s, c.memory, counter, STOPS);
        synchronized (Area.class) {
            // Kept unless the area turned after the block was begun (its jumps within the page
            // lead to blocks of the generation it was begun in) or the page was invalidated
            // meanwhile (under the page's lock, which invalidation takes).
            synchronized (page) {
                if (generation() != begun || page.generation != decoded || page.retired) {
                    return NO_BLOCK;
                }
                code = bytes == null ? 0 : Area.place(bytes);
                code = code == 0 ? NO_BLOCK : code;
                long[] now = blocks(page);
                if (now == null) {
                    // The area turned as this block was begun: it starts the page's new array.
                    now = new long[DecodePage.SLOTS + 1];
                    now[DecodePage.SLOTS] = begun;
                    page.nativeCode = now;
                }
                now[s] = code;
                return code;
            }
        }
    }
}
