package io.torchlight.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;

import io.torchlight.api.Callback;
import io.torchlight.api.LightningModule;
import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerView;
import io.torchlight.core.Torchlight;
import io.torchlight.utils.data.Batch;

/**
 * One measurement, paired finely enough that this VM's drifting speed cancels: inside one {@code fit}, every
 * {@code chunk} training batches the hand-written loop runs {@code chunk} steps on a twin model, so each Trainer chunk
 * (from one {@code onTrainBatchStart} to the one {@code chunk} batches later: steps, data, hooks, logging, scope
 * frees) sits next to a raw chunk in time. The ratio is the median of the per-pair ratios; what the Trainer does once
 * an epoch (epoch-end hooks, checkpointing, the next epoch's loader) is timed apart, from the epoch's last
 * {@code onTrainBatchEnd} to the next epoch's first {@code onTrainBatchStart}, and added amortised over the epoch.
 * Two raw loops measured this way on this machine differ by at most about one per cent; epoch against epoch
 * (as this bench measured before) they differed by up to six.
 */
final class Interleaved {

    /**
     * Batches run before the steady state is recorded, at least two epochs: libtorch's allocator warms up, and HotSpot
     * compiles the Trainer's per-step methods with its optimising compiler (C2) one by one, the last of them after some
     * 15,000 to 19,000 batches here ({@code -XX:+PrintCompilation}): until then part of each step runs C1-compiled
     * with profiling, and the MLP's ratio is some three per cent higher. A long run spends nearly all its steps after that.
     */
    static final int WARM_UP_BATCHES = Integer.getInteger("bench.warmUp", 20_000);
    /** The early window reported beside the steady state: batches 5,000 to 10,000 of the fit, still warming up. */
    private static final int EARLY_FROM = 5_000;
    private static final int EARLY_TO = 10_000;

    private Interleaved() {
    }

    /**
     * Over some epochs: medians per training batch, the median of the paired chunk ratios, the median epoch boundary,
     * and the batches of an epoch; {@link #ratio()} is the epoch-time ratio with the boundary amortised over the epoch.
     */
    record Window(double trainerBatchUs, double rawBatchUs, double chunkRatio, double boundaryMs, int batches, int pairs) {

        double ratio() {
            return chunkRatio + boundaryMs * 1e3 / (rawBatchUs * batches);
        }

        /** An epoch of the Trainer, per-batch median times the batches plus the boundary. */
        double trainerMs() {
            return trainerBatchUs * batches / 1e3 + boundaryMs;
        }

        double rawMs() {
            return rawBatchUs * batches / 1e3;
        }
    }

    /** The steady state after the warm-up and, where the warm-up covers it, the early window (else null). */
    record Result(Window steady, Window early) {

        double ratio() {
            return steady.ratio();
        }

        double rawBatchUs() {
            return steady.rawBatchUs();
        }
    }

    static Result measure(TrainerOverhead.Setup setup, Models.Benched trained, Models.Benched raw, int epochs, int batches, int chunk) {
        return measure(setup, trained, raw, epochs, batches, chunk, WARM_UP_BATCHES);
    }

    /** As {@link #measure}, with {@code warmUpBatches} (rounded up to whole epochs, at least two) unrecorded first. */
    static Result measure(TrainerOverhead.Setup setup, Models.Benched trained, Models.Benched raw, int epochs, int batches, int chunk,
            int warmUpBatches) {
        Adam rawOptimizer = new Adam(raw.parameters(), new AdamOptions(1e-3));
        int warmUp = Math.max(2, (warmUpBatches + batches - 1) / batches);
        Pairs pairs = new Pairs(trained, raw, rawOptimizer, batches, chunk, warmUp);
        try (Trainer trainer = Torchlight.trainer(setup.config().maxEpochs(epochs + warmUp).build(),
                setup.plugins().withCallback(pairs))) {
            trainer.fit(trained);
        }
        return pairs.result();
    }

    /** The callback that runs the raw chunks between the Trainer's and times both. */
    private static final class Pairs implements Callback {
        private final Models.Benched trained;
        private final Models.Benched raw;
        private final Adam rawOptimizer;
        private final int batches;
        private final int chunk;
        /** Every chunk and boundary, warm-up included, each with its epoch; the warm-up's are dropped in {@link #result}. */
        private final List<Long> trainerChunks = new ArrayList<>();
        private final List<Long> rawChunks = new ArrayList<>();
        private final List<Integer> chunkEpochs = new ArrayList<>();
        private final List<Long> boundaries = new ArrayList<>();
        private final List<Integer> boundaryEpochs = new ArrayList<>();
        private long chunkStart;
        private int inChunk = -1;
        private long lastRaw;
        /** Time spent at epoch boundaries inside the open chunk (taken out of it). */
        private long boundaryInChunk;
        private long epochLastBatchEnd;
        private final int warmUpEpochs;

        Pairs(Models.Benched trained, Models.Benched raw, Adam rawOptimizer, int batches, int chunk, int warmUpEpochs) {
            this.warmUpEpochs = warmUpEpochs;
            this.trained = trained;
            this.raw = raw;
            this.rawOptimizer = rawOptimizer;
            this.batches = batches;
            this.chunk = chunk;
        }

        @Override
        public void onTrainBatchStart(TrainerView trainer, LightningModule module, Batch batch, int batchIdx) {
            // everything is recorded from the first batch on, so that no branch here is first taken when the
            // recorded epochs begin: this method is inlined into the Trainer's batch loop, and a branch new to the
            // compiled code would send that loop back to the interpreter for thousands of batches
            long now = System.nanoTime();
            int epoch = trainer.currentEpoch();
            if (batchIdx == 0 && epochLastBatchEnd > 0) {
                long boundary = now - epochLastBatchEnd;
                boundaryInChunk += boundary;
                boundaries.add(boundary);
                boundaryEpochs.add(epoch);
            }
            if (inChunk == chunk) {
                trained.sync.run();
                trainerChunks.add(System.nanoTime() - chunkStart - boundaryInChunk);
                rawChunks.add(lastRaw);
                chunkEpochs.add(epoch);
                inChunk = -1;
            }
            if (inChunk < 0) {
                lastRaw = raw.rawSteps(rawOptimizer, chunk, batches);
                boundaryInChunk = 0;
                inChunk = 0;
                chunkStart = System.nanoTime();
            }
            inChunk++;
        }

        @Override
        public void onTrainBatchEnd(TrainerView trainer, LightningModule module, Object outputs, Batch batch, int batchIdx) {
            if (batchIdx == batches - 1) {
                epochLastBatchEnd = System.nanoTime();
            }
        }

        Result result() {
            Window steady = window(warmUpEpochs, Integer.MAX_VALUE);
            if (steady == null) {
                throw new IllegalStateException("no chunk of " + chunk + " batches completed after the warm-up: run more epochs");
            }
            int earlyFrom = (EARLY_FROM + batches - 1) / batches;
            int earlyTo = EARLY_TO / batches;
            return new Result(steady, earlyTo <= warmUpEpochs && earlyFrom < earlyTo ? window(earlyFrom, earlyTo) : null);
        }

        /** The chunks and boundaries of epochs {@code from} (inclusive) to {@code to} (exclusive); null when none. */
        private Window window(int from, int to) {
            List<Long> trainerTimes = new ArrayList<>();
            List<Long> rawTimes = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < trainerChunks.size(); i++) {
                if (chunkEpochs.get(i) >= from && chunkEpochs.get(i) < to) {
                    trainerTimes.add(trainerChunks.get(i));
                    rawTimes.add(rawChunks.get(i));
                    ratios.add((double) trainerChunks.get(i) / rawChunks.get(i));
                }
            }
            if (ratios.isEmpty()) {
                return null;
            }
            List<Long> inWindow = new ArrayList<>();
            for (int i = 0; i < boundaries.size(); i++) {
                if (boundaryEpochs.get(i) >= from && boundaryEpochs.get(i) < to) {
                    inWindow.add(boundaries.get(i));
                }
            }
            return new Window(median(trainerTimes) / 1e3 / chunk, median(rawTimes) / 1e3 / chunk, medianOf(ratios),
                    inWindow.isEmpty() ? 0 : median(inWindow) / 1e6, batches, ratios.size());
        }
    }

    static double median(List<Long> values) {
        List<Double> asDoubles = new ArrayList<>();
        values.forEach(v -> asDoubles.add(v.doubleValue()));
        return medianOf(asDoubles);
    }

    static double medianOf(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }
}
