package io.torchlight.api.run;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One set of metrics a run sent to its loggers, as Lightning's {@code logger.log_metrics(metrics, step)} receives
 * it ({@code epoch} included): {@code seq} numbers the run's records from 0 in the order they were logged, so a
 * reader asks for what came after the last one it saw.
 */
@ProviderType
public record MetricRecord(long seq, long step, Map<String, Double> values) {

    public MetricRecord {
        values = Map.copyOf(values);
    }
}
