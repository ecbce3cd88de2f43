package io.torchlight.utils.data;

import java.util.AbstractList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The epoch of a combined loader: combined batch {@code b} holds batch {@code b} of each loader, modulo that loader's
 * length, so shorter loaders start over; each loader's order is its own epoch plan (shuffled and seeded as it is).
 */
final class CombinedBatches {

    private CombinedBatches() {
    }

    static DataLoader.BatchIterator iterator(Map<String, DataLoader> loaders, int count, int first) {
        Map<String, List<long[]>> plans = new LinkedHashMap<>();
        loaders.forEach((k, c) -> {
            List<long[]> plan = c.plan();
            if (plan.isEmpty()) {
                throw new IllegalStateException("loader '" + k + "' of the combined loader has no batches: give it data or leave it out");
            }
            plans.put(k, plan);
        });
        List<long[]> indices = new AbstractList<>() {
            @Override
            public long[] get(int b) {
                return new long[] {b};
            }

            @Override
            public int size() {
                return count;
            }
        };
        DataLoader.BatchSource source = index -> {
            Map<String, Batch> parts = new LinkedHashMap<>();
            loaders.forEach((k, c) -> {
                List<long[]> plan = plans.get(k);
                parts.put(k, c.load(plan.get((int) (index[0] % plan.size()))));
            });
            return Batch.combined(parts);
        };
        return new DataLoader.BatchIterator(indices.subList(Math.min(first, count), count), source);
    }
}
