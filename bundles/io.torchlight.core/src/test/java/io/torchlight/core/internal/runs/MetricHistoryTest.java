package io.torchlight.core.internal.runs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.Test;

import io.torchlight.api.run.MetricRecord;

public class MetricHistoryTest {

    @Test
    public void recordsAreNumberedInOrderAndReadFromASequenceNumber() {
        MetricHistory history = new MetricHistory(8);
        for (long step = 0; step < 5; step++) {
            history.add(step * 10, Map.of("loss", (double) step));
        }
        assertEquals(List.of(0L, 10L, 20L, 30L, 40L), history.from(0).stream().map(MetricRecord::step).toList());
        assertEquals(List.of(3L, 4L), history.from(3).stream().map(MetricRecord::seq).toList());
        assertEquals(List.of(), history.from(5));
    }

    @Test
    public void aFullHistoryThinsItsOlderHalfAndKeepsTheNewestWhole() {
        MetricHistory history = new MetricHistory(8);
        for (long step = 0; step < 9; step++) {
            history.add(step, Map.of("loss", (double) step));
        }
        // at the ninth record the older half (0..3) kept 0 and 2; 4..7 stayed whole
        assertEquals(List.of(0L, 2L, 4L, 5L, 6L, 7L, 8L), history.from(0).stream().map(MetricRecord::seq).toList());
        assertEquals(List.of(5L, 6L, 7L, 8L), history.from(5).stream().map(MetricRecord::seq).toList());
        assertEquals(List.of(4L, 5L, 6L, 7L, 8L), history.from(3).stream().map(MetricRecord::seq).toList());
        for (long step = 9; step < 10_000; step++) {
            history.add(step, Map.of("loss", (double) step));
        }
        List<MetricRecord> kept = history.from(0);
        assertEquals(0L, kept.get(0).seq());
        assertEquals(9_999L, kept.get(kept.size() - 1).seq());
        assertEquals(true, kept.size() <= 8);
    }

    @Test
    public void aTinyCapacityIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new MetricHistory(2));
    }
}
