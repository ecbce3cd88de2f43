package io.torchlight.api;

import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Gradient accumulation that changes with the epoch, as Lightning's {@code accumulate_grad_batches={4: 2, 8: 4}}
 * (its GradientAccumulationScheduler): from each epoch named on, batches are accumulated by its factor; before the
 * first epoch named, by 1.
 */
@ProviderType
public final class AccumulationSchedule {

    private final NavigableMap<Integer, Integer> factors;

    private AccumulationSchedule(NavigableMap<Integer, Integer> factors) {
        this.factors = factors;
    }

    /** {@code epoch -> factor}; epochs must be >= 0 and factors >= 1. */
    public static AccumulationSchedule of(Map<Integer, Integer> epochFactors) {
        Objects.requireNonNull(epochFactors, "epochFactors");
        if (epochFactors.isEmpty()) {
            throw new IllegalArgumentException("accumulate_grad_batches: the schedule names no epoch (e.g. 0:1,4:2)");
        }
        NavigableMap<Integer, Integer> sorted = new TreeMap<>();
        epochFactors.forEach((epoch, factor) -> {
            if (epoch == null || epoch < 0) {
                throw new IllegalArgumentException("accumulate_grad_batches: epoch should be an integer >= 0, got " + epoch);
            }
            if (factor == null || factor < 1) {
                throw new IllegalArgumentException("accumulate_grad_batches: the factor of epoch " + epoch
                        + " should be an integer >= 1, got " + factor);
            }
            sorted.put(epoch, factor);
        });
        sorted.putIfAbsent(0, 1);
        return new AccumulationSchedule(sorted);
    }

    /** {@code 0:1,4:2} (or {@code {0: 1, 4: 2}}, as Lightning's CLI writes a dict). */
    public static AccumulationSchedule parse(String text) {
        String body = text.trim();
        if (body.startsWith("{") && body.endsWith("}")) {
            body = body.substring(1, body.length() - 1);
        }
        Map<Integer, Integer> factors = new TreeMap<>();
        for (String pair : body.split(",")) {
            String[] kv = pair.split(":");
            if (kv.length != 2) {
                throw new IllegalArgumentException("accumulate_grad_batches: expected epoch:factor pairs such as 0:1,4:2, got '"
                        + text + "'");
            }
            try {
                factors.put(Integer.valueOf(kv[0].trim()), Integer.valueOf(kv[1].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("accumulate_grad_batches: expected integers in '" + pair.trim() + "'");
            }
        }
        return of(factors);
    }

    /** The factor for an epoch: that of the latest epoch named at or before it. */
    public int factor(int epoch) {
        Map.Entry<Integer, Integer> entry = factors.floorEntry(Math.max(0, epoch));
        return entry.getValue();
    }

    /** The epochs and their factors, 0 included. */
    public Map<Integer, Integer> factors() {
        return Map.copyOf(factors);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccumulationSchedule s && s.factors.equals(factors);
    }

    @Override
    public int hashCode() {
        return factors.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        factors.forEach((e, f) -> out.append(out.length() == 0 ? "" : ",").append(e).append(':').append(f));
        return out.toString();
    }
}
