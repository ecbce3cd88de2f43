package io.torchlight.core.internal.loops;

import java.util.List;

import io.torchlight.api.Limit;
import io.torchlight.utils.data.DataLoader;

/** What the stage loops do with their dataloaders: seed their shuffling, and count the batches a limit lets through. */
final class Loaders {

    private Loaders() {
    }

    /** Loaders without a seed of their own shuffle by the trainer's seed (0 without one), so runs repeat. */
    static List<DataLoader> seeded(RunContext ctx, List<DataLoader> loaders) {
        long seed = ctx.config.seed().orElse(0);
        loaders.forEach(l -> l.seedIfUnset(seed));
        return loaders;
    }

    static List<Integer> limits(List<DataLoader> loaders, Limit limit) {
        return loaders.stream().map(l -> limit.of(l.size())).toList();
    }
}
