package io.torchlight.core.internal.logging;

import java.util.Map;

/** Told each set of metrics the loggers are sent, with its step, on the training thread; it must return quickly. */
@FunctionalInterface
public interface MetricSink {

    MetricSink NONE = (step, metrics) -> {
    };

    /** {@code metrics} includes {@code epoch} and is not changed afterwards. */
    void logged(long step, Map<String, Double> metrics);
}
