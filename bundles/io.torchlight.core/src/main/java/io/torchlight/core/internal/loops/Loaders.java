package io.torchlight.core.internal.loops;

import java.util.List;

import io.torchlight.api.Limit;
import io.torchlight.utils.data.DataLoader;

/**
 * What the stage loops do with their dataloaders: seed their shuffling, shard them across processes, and count the
 * batches a limit lets through.
 */
final class Loaders {

    private Loaders() {
    }

    /**
     * The loaders as the stage runs them: without a seed of their own they shuffle by the trainer's seed (0 without
     * one), so runs repeat; with several processes and {@code replaceSamplerDdp} each process gets its rank's shard
     * (Lightning's DistributedSampler: padded to equal length, the same shuffle on every rank).
     */
    static List<DataLoader> prepared(RunContext ctx, List<DataLoader> loaders) {
        long seed = ctx.config.seed().orElse(0);
        loaders.forEach(l -> l.seedIfUnset(seed));
        int world = ctx.strategy.worldSize();
        if (world == 1 || !ctx.config.replaceSamplerDdp()) {
            return loaders;
        }
        int rank = ctx.strategy.globalRank();
        return loaders.stream().map(l -> l.shard(rank, world)).toList();
    }

    static List<Integer> limits(List<DataLoader> loaders, Limit limit) {
        return loaders.stream().map(l -> limit.of(l.size())).toList();
    }
}
