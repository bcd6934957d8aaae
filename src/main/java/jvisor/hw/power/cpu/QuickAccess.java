package jvisor.hw.power.cpu;

/**
 * The loads and stores of quick regions (the first translation of guest code, which C1 alone
 * compiles): each is one call that looks the page up in the core's data cache, accesses it and,
 * for a store, tells the reservations, where a whole region's code makes those two or three
 * calls itself and C2 inlines them all. C1 inlines none of them (see the launcher's compiler
 * directives) and spills every value a region keeps in registers around each call it makes, so
 * one call an access instead of two for a load and three for a store is what saves.
 *
 * <p>A miss touches nothing: a load sets {@link LoadStoreUnit#quickMiss} (its result is then
 * meaningless), a store returns false, and the region leaves for the interpreter, which performs
 * the access the slow way, as it does after a whole region's miss. A store that hits writes no
 * decoded page ({@link LoadStoreUnit#writeHost}), so never the region's own code.
 *
 * <p>One method per width and byte order, each with its constants, as the unit's own accessors
 * are: C2 compiles each small and specialized, where one method taking the width would test it
 * at every call. The interpreter keeps the unit's accessors, whose miss path is the slow access
 * itself.
 */
final class QuickAccess {
    private QuickAccess() {
    }

    private static long missed(LoadStoreUnit unit) {
        unit.quickMiss = true;
        return 0;
    }

    static long loadByte(LoadStoreUnit unit, long ea) {
        long h = unit.readHost(ea, 1);
        return h != 0 ? LoadStoreUnit.getByte(h) : missed(unit);
    }

    static long loadHalfLE(LoadStoreUnit unit, long ea) {
        long h = unit.readHost(ea, 2);
        return h != 0 ? LoadStoreUnit.getHalfLE(h) : missed(unit);
    }

    static long loadHalfBE(LoadStoreUnit unit, long ea) {
        long h = unit.readHost(ea, 2);
        return h != 0 ? LoadStoreUnit.getHalfBE(h) : missed(unit);
    }

    static long loadWordLE(LoadStoreUnit unit, long ea) {
        long h = unit.readHost(ea, 4);
        return h != 0 ? LoadStoreUnit.getWordLE(h) : missed(unit);
    }

    static long loadWordBE(LoadStoreUnit unit, long ea) {
        long h = unit.readHost(ea, 4);
        return h != 0 ? LoadStoreUnit.getWordBE(h) : missed(unit);
    }

    static long loadDoubleLE(LoadStoreUnit unit, long ea) {
        long h = unit.readHost(ea, 8);
        return h != 0 ? LoadStoreUnit.getDoubleLE(h) : missed(unit);
    }

    static long loadDoubleBE(LoadStoreUnit unit, long ea) {
        long h = unit.readHost(ea, 8);
        return h != 0 ? LoadStoreUnit.getDoubleBE(h) : missed(unit);
    }

    static boolean storeByte(LoadStoreUnit unit, long ea, long v) {
        long h = unit.writeHost(ea, 1);
        if (h == 0) {
            return false;
        }
        LoadStoreUnit.putByte(h, v);
        unit.storedCached(ea, 1);
        return true;
    }

    static boolean storeHalfLE(LoadStoreUnit unit, long ea, long v) {
        long h = unit.writeHost(ea, 2);
        if (h == 0) {
            return false;
        }
        LoadStoreUnit.putHalfLE(h, v);
        unit.storedCached(ea, 2);
        return true;
    }

    static boolean storeHalfBE(LoadStoreUnit unit, long ea, long v) {
        long h = unit.writeHost(ea, 2);
        if (h == 0) {
            return false;
        }
        LoadStoreUnit.putHalfBE(h, v);
        unit.storedCached(ea, 2);
        return true;
    }

    static boolean storeWordLE(LoadStoreUnit unit, long ea, long v) {
        long h = unit.writeHost(ea, 4);
        if (h == 0) {
            return false;
        }
        LoadStoreUnit.putWordLE(h, v);
        unit.storedCached(ea, 4);
        return true;
    }

    static boolean storeWordBE(LoadStoreUnit unit, long ea, long v) {
        long h = unit.writeHost(ea, 4);
        if (h == 0) {
            return false;
        }
        LoadStoreUnit.putWordBE(h, v);
        unit.storedCached(ea, 4);
        return true;
    }

    static boolean storeDoubleLE(LoadStoreUnit unit, long ea, long v) {
        long h = unit.writeHost(ea, 8);
        if (h == 0) {
            return false;
        }
        LoadStoreUnit.putDoubleLE(h, v);
        unit.storedCached(ea, 8);
        return true;
    }

    static boolean storeDoubleBE(LoadStoreUnit unit, long ea, long v) {
        long h = unit.writeHost(ea, 8);
        if (h == 0) {
            return false;
        }
        LoadStoreUnit.putDoubleBE(h, v);
        unit.storedCached(ea, 8);
        return true;
    }

    /** dcbz's hit ({@link LoadStoreUnit#zeroCached}): false on a miss, nothing written. */
    static boolean zeroBlock(LoadStoreUnit unit, long ea) {
        return unit.zeroCached(ea);
    }
}
