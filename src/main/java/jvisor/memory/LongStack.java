package jvisor.memory;

import java.util.Arrays;

/** A growable stack of longs: the free lists of the frame allocator. */
final class LongStack {
    private long[] items = new long[64];
    private int size;

    void push(long value) {
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
        }
        items[size++] = value;
    }

    long pop() {
        return items[--size];
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }
}
