package io.torchlight.core.internal.runs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.torchlight.api.run.MetricRecord;

/**
 * A run's metric stream in memory: every record its loggers were sent, numbered in order. At most {@code capacity}
 * records are kept; when the bound is reached every other record of the older half goes, so a long run keeps its
 * whole curve at a coarser grain and the newest records stay whole. Appended on the training thread, read anywhere.
 */
final class MetricHistory {

    static final int DEFAULT_CAPACITY = 20_000;

    private final int capacity;
    private final List<MetricRecord> records = new ArrayList<>();
    private long next;

    MetricHistory(int capacity) {
        if (capacity < 4) {
            throw new IllegalArgumentException("capacity must be at least 4, got " + capacity);
        }
        this.capacity = capacity;
    }

    synchronized void add(long step, Map<String, Double> values) {
        if (records.size() == capacity) {
            thin();
        }
        records.add(new MetricRecord(next++, step, values));
    }

    /** The kept records with {@code seq >= fromSeq}, oldest first. */
    synchronized List<MetricRecord> from(long fromSeq) {
        int lo = 0;
        int hi = records.size();
        while (lo < hi) { // records are sorted by seq
            int mid = (lo + hi) >>> 1;
            if (records.get(mid).seq() < fromSeq) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return List.copyOf(records.subList(lo, records.size()));
    }

    private void thin() {
        int half = records.size() / 2;
        List<MetricRecord> kept = new ArrayList<>(capacity);
        for (int i = 0; i < half; i += 2) {
            kept.add(records.get(i));
        }
        kept.addAll(records.subList(half, records.size()));
        records.clear();
        records.addAll(kept);
    }
}
