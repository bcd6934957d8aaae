package jvisor.memory;

import java.util.ArrayList;
import java.util.List;

/** A notifier that records the events it sees, and the host entry at the time of each start. */
final class RecordingNotifier implements MmuNotifier {
    final List<String> events = new ArrayList<>();
    final List<Long> pteAtStart = new ArrayList<>();
    boolean young;

    @Override
    public void invalidateRangeStart(HostAddressSpace mm, long start, long end) {
        events.add(String.format("start %x-%x", start, end));
        pteAtStart.add(mm.lookupPte(start));
    }

    @Override
    public void invalidateRangeEnd(HostAddressSpace mm, long start, long end) {
        events.add(String.format("end %x-%x", start, end));
    }

    @Override
    public void changePte(HostAddressSpace mm, long hva, long newPte) {
        events.add(String.format("change %x", hva));
    }

    @Override
    public boolean clearYoung(HostAddressSpace mm, long start, long end) {
        boolean y = young;
        young = false;
        events.add(String.format("clear-young %x-%x", start, end));
        return y;
    }

    @Override
    public boolean testYoung(HostAddressSpace mm, long hva) {
        return young;
    }

    @Override
    public void release(HostAddressSpace mm) {
        events.add("release");
    }
}
