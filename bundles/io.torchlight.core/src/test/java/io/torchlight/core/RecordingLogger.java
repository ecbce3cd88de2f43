package io.torchlight.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.torchlight.api.logger.Logger;

/** A logger that keeps everything it is given, in order. */
final class RecordingLogger implements Logger {

    record Entry(long step, Map<String, Double> metrics) {
    }

    final List<Entry> entries = new ArrayList<>();
    final Map<String, Object> hparams = new LinkedHashMap<>();
    String status;

    @Override
    public String name() {
        return "recording";
    }

    @Override
    public String version() {
        return "0";
    }

    @Override
    public void logHyperparams(Map<String, Object> params) {
        hparams.putAll(params);
    }

    @Override
    public void logMetrics(Map<String, Double> metrics, long step) {
        entries.add(new Entry(step, new LinkedHashMap<>(metrics)));
    }

    @Override
    public void finalize(String value) {
        status = value;
    }

    /** Every value logged under a key, in order. */
    List<Double> values(String key) {
        return entries.stream().filter(e -> e.metrics().containsKey(key)).map(e -> e.metrics().get(key)).toList();
    }

    /** The steps at which a key was logged. */
    List<Long> steps(String key) {
        return entries.stream().filter(e -> e.metrics().containsKey(key)).map(Entry::step).toList();
    }
}
