package jvisor.hw.power.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jvisor.hw.power.MmuRegisters;
import jvisor.hw.power.Msr;
import jvisor.hw.power.TlbControl;
import jvisor.memory.PhysicalMemory;
import jvisor.memory.RealMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The POWER storage model with several cores on threads of their own, interpreted and translated:
 * what the barriers and load-and-reserve/store-conditional forbid never happens. Each core runs a
 * small loop on the machine's real memory ({@link PhysicalMemory}, as in a VM) until {@code sc 1}.
 */
class StorageModelTest {
    static final long CODE = 0x10000, LOCK = 0x20000, COUNTER = 0x20080, OWNER = 0x20100;
    static final long X = 0x20180, Y = 0x20200, RECORDS = 0x100000;

    /**
     * Each core: take the lock (lwarx; cmpwi; bne-; stwcx.; bne-; lwsync), owner = me, counter
     * += 1, r9 += 1 if the owner changed meanwhile, release (lwsync; stw 0), bdnz; sc 1.
     * r3 = lock, r4 = counter, r5 = me, r6 = owner, CTR = iterations.
     */
    static final int[] LOCK_LOOP = {
        0x7ce01828, 0x2c070000, 0x40c2fff8, 0x7ca0192d, 0x40c2fff0, 0x7c2004ac, // lwarx .. lwsync
        0x90a60000, 0x81040000, 0x39080001, 0x91040000,                         // owner = me; counter++
        0x80e60000, 0x7c072800, 0x41820008, 0x39290001,                         // owner still me?
        0x7c2004ac, 0x38e00000, 0x90e30000, 0x4200ffbc, 0x44000022,             // lwsync; stw 0; bdnz; sc 1
    };

    /**
     * Store buffering in lockstep, iteration k (r5) from 1: wait until the other core's variable
     * (r4) is at least k - 1, mine (r3) = k, sync, record the other's value at ++r10; bdnz; sc 1.
     */
    static final int[] SB_LOOP = {
        0x80e40000, 0x3905ffff, 0x7c074040, 0x4180fff4, // wait: lwz; addi; cmplw; blt
        0x90a30000, 0x7c0004ac, 0x80e40000, 0x94ea0004, // stw k; sync; lwz other; stwu record
        0x38a50001, 0x4200ffdc, 0x44000022,             // k++; bdnz; sc 1
    };

    private final PhysicalMemory memory = new PhysicalMemory(1L << 30);
    private final ReservationMonitor monitor = new ReservationMonitor(8);
    private final DecodeCache cache = new DecodeCache(memory.size());

    private Core core(int pir, boolean jit) {
        return core(memory, pir, jit);
    }

    private Core core(RealMemory m, int pir, boolean jit) {
        Core c = new Core(m, new IdentityMmu(m), new MmuRegisters(), TlbControl.NONE, () -> 0, monitor, cache, pir);
        c.setMsr(Msr.SF | Msr.ME);
        c.setJit(jit);
        return c;
    }

    private void code(long at, int... words) {
        for (int i = 0; i < words.length; i++) {
            memory.writeIntBE(at + 4L * i, words[i]);
        }
        cache.invalidateRange(at, 4L * words.length);
    }

    /** Runs every core on a thread of its own, all let go at once, until each reaches its sc 1. */
    private static void runTogether(List<Core> cores) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(cores.size());
        CyclicBarrier start = new CyclicBarrier(cores.size());
        try {
            List<Future<Integer>> exits = new ArrayList<>();
            for (Core c : cores) {
                exits.add(pool.submit(() -> {
                    start.await();
                    return c.run(Long.MAX_VALUE);
                }));
            }
            for (int i = 0; i < cores.size(); i++) {
                Core c = cores.get(i);
                assertEquals(Exit.HYPERCALL, exits.get(i).get(120, TimeUnit.SECONDS), () -> c.exitMessage());
            }
        } finally {
            cores.forEach(Core::requestExit);
            pool.shutdownNow();
        }
    }

    @ParameterizedTest(name = "{0} cores, translation {1}")
    @CsvSource({"2, true", "4, true", "2, false", "4, false"})
    void aLwarxStwcxLockKeepsAPlainCounterExact(int n, boolean jit) throws Exception {
        int iterations = 200_000;
        code(CODE, LOCK_LOOP);
        List<Core> cores = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Core c = core(i, jit);
            c.setGpr(3, LOCK);
            c.setGpr(4, COUNTER);
            c.setGpr(5, i + 1);
            c.setGpr(6, OWNER);
            c.setCtr(iterations);
            c.setPc(CODE);
            cores.add(c);
        }
        runTogether(cores);
        long overlaps = cores.stream().mapToLong(c -> c.gpr(9)).sum();
        assertEquals(0, overlaps, "times a core found another inside the lock with it");
        assertEquals((long) n * iterations, memory.readIntBE(COUNTER) & 0xFFFF_FFFFL, "the lock-protected counter");
        assertEquals(0, memory.readIntBE(LOCK));
    }

    @ParameterizedTest(name = "translation {0}")
    @ValueSource(booleans = {true, false})
    void storeBufferingWithSyncNeverLetsBothLoadsMissTheOtherStore(boolean jit) throws Exception {
        int iterations = 50_000;
        long records0 = RECORDS, records1 = RECORDS + 4L * (iterations + 2);
        code(CODE, SB_LOOP);
        Core p0 = core(0, jit), p1 = core(1, jit);
        for (Core c : List.of(p0, p1)) {
            boolean first = c == p0;
            c.setGpr(3, first ? X : Y);
            c.setGpr(4, first ? Y : X);
            c.setGpr(5, 1);
            c.setGpr(10, first ? records0 : records1); // stwu records from index 1
            c.setCtr(iterations);
            c.setPc(CODE);
        }
        runTogether(List.of(p0, p1));
        // P0's iteration k read y = a: it missed P1's stores y = a+1..N. Forbidden if one of
        // those iterations j read x < k, i.e. missed P0's store x = k: min(r1[a+1..N]) < k.
        long[] suffixMin = new long[iterations + 2];
        suffixMin[iterations + 1] = Long.MAX_VALUE;
        for (int j = iterations; j >= 1; j--) {
            suffixMin[j] = Math.min(suffixMin[j + 1], memory.readIntBE(records1 + 4L * j) & 0xFFFF_FFFFL);
        }
        int forbidden = 0;
        for (int k = 1; k <= iterations; k++) {
            long a = memory.readIntBE(records0 + 4L * k) & 0xFFFF_FFFFL;
            if (a < iterations && suffixMin[(int) a + 1] < k) {
                forbidden++;
            }
        }
        assertEquals(0, forbidden, "iterations where both cores' loads missed the other's store");
    }

    /**
     * Another core's store lands right after load-and-reserve has read the doubleword and its
     * notice to the monitor is late (it sat in the store buffer): lwarx must return the value its
     * reservation was taken on, the one stwcx. compares against. Returning the newer value let a
     * core see a taken lock as free and then take it when the owner took it again (the old value
     * back in memory), so two cores held it.
     */
    @Test
    void loadAndReserveReturnsTheValueItsReservationHolds() {
        ByteMemory bytes = new ByteMemory(1 << 20);
        bytes.writeIntBE(LOCK, 1);
        RealMemory racing = new RacingStoreMemory(bytes, LOCK, 0);
        Core b = core(racing, 1, false);
        for (int i = 0; i < 2; i++) {
            bytes.writeIntBE(CODE + 4L * i, new int[] {0x7c601828, 0x44000022}[i]); // lwarx r3,0,r3; sc 1
        }
        b.setGpr(3, LOCK);
        b.setPc(CODE);
        assertEquals(Exit.HYPERCALL, b.run(10));
        assertEquals(1, b.gpr(3), "the word as the reservation saw it (the lock taken)");
    }

    /** Real memory on which another core's plain store of {@code value} lands just after the first atomic read at {@code at}. */
    private static final class RacingStoreMemory implements RealMemory {
        private final ByteMemory m;
        private final long at;
        private final int value;
        private boolean stored;

        RacingStoreMemory(ByteMemory m, long at, int value) {
            this.m = m;
            this.at = at;
            this.value = value;
        }

        @Override
        public long readLongBEAcquire(long a) {
            long v = m.readLongBEAcquire(a);
            if (!stored && a == (at & ~7L)) {
                stored = true;
                m.writeIntBE(at, value);
            }
            return v;
        }

        @Override public long size() { return m.size(); }
        @Override public byte readByte(long a) { return m.readByte(a); }
        @Override public void writeByte(long a, byte v) { m.writeByte(a, v); }
        @Override public short readShortBE(long a) { return m.readShortBE(a); }
        @Override public short readShortLE(long a) { return m.readShortLE(a); }
        @Override public void writeShortBE(long a, short v) { m.writeShortBE(a, v); }
        @Override public void writeShortLE(long a, short v) { m.writeShortLE(a, v); }
        @Override public int readIntBE(long a) { return m.readIntBE(a); }
        @Override public int readIntLE(long a) { return m.readIntLE(a); }
        @Override public void writeIntBE(long a, int v) { m.writeIntBE(a, v); }
        @Override public void writeIntLE(long a, int v) { m.writeIntLE(a, v); }
        @Override public long readLongBE(long a) { return m.readLongBE(a); }
        @Override public long readLongLE(long a) { return m.readLongLE(a); }
        @Override public void writeLongBE(long a, long v) { m.writeLongBE(a, v); }
        @Override public void writeLongLE(long a, long v) { m.writeLongLE(a, v); }
        @Override public boolean compareAndSetLongBE(long a, long e, long v) { return m.compareAndSetLongBE(a, e, v); }
    }
}
