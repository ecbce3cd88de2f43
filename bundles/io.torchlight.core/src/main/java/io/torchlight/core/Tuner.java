package io.torchlight.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.bytedeco.pytorch.OptimizerParamGroupVector;
import org.bytedeco.pytorch.Tensor;

import io.torchlight.api.Callback;
import io.torchlight.api.CkptPath;
import io.torchlight.api.Data;
import io.torchlight.api.LightningModule;
import io.torchlight.api.Limit;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.TrainerPlugins;
import io.torchlight.api.TrainerView;
import io.torchlight.api.optim.LightningOptimizer;
import io.torchlight.utils.checkpoint.StateDicts;
import io.torchlight.utils.data.Batch;

/**
 * Lightning's tuner: {@link #scaleBatchSize} finds the largest batch size that fits in memory; {@link #lrFind} runs a short fit with the learning rate rising exponentially from
 * {@code minLr} to {@code maxLr}, records the smoothed loss of every step, stops early when the loss passes
 * {@code earlyStopThreshold} times the best one, and puts the module's weights back as they were.
 *
 * <pre>
 * LrFinder finder = new Tuner(config, plugins).lrFind(model, Data.fromModule());
 * double lr = finder.suggestion().orElse(1e-3);
 * </pre>
 */
public final class Tuner {

    private final TrainerConfig config;
    private final TrainerPlugins plugins;

    public Tuner(TrainerConfig config, TrainerPlugins plugins) {
        this.config = config;
        this.plugins = plugins;
    }

    /** Lightning's defaults: 1e-8 to 1, 100 steps, stop at 4 times the best loss. */
    public LrFinder lrFind(LightningModule module, Data data) {
        return lrFind(module, data, 1e-8, 1.0, 100, 4.0);
    }

    /** {@code earlyStopThreshold} 0 or less never stops early. */
    public LrFinder lrFind(LightningModule module, Data data, double minLr, double maxLr, int numTraining, double earlyStopThreshold) {
        if (!(minLr > 0) || !(maxLr > minLr)) {
            throw new IllegalArgumentException("lrFind: expected 0 < minLr < maxLr, got " + minLr + " and " + maxLr);
        }
        if (numTraining < 2) {
            throw new IllegalArgumentException("lrFind: numTraining must be at least 2, got " + numTraining);
        }
        Map<String, Tensor> weights = snapshot(module);
        Sweep sweep = new Sweep(minLr, maxLr, numTraining, earlyStopThreshold);
        try (Trainer trainer = Torchlight.trainer(shortFit(numTraining), plugins.withCallback(sweep))) {
            trainer.fit(module, data, CkptPath.NONE);
        } finally {
            restore(module, weights);
        }
        return new LrFinder(sweep.lrs, sweep.losses);
    }

    /** How {@link #scaleBatchSize} searches: doubling until it fails, or doubling then bisecting. */
    public enum ScaleMode {
        POWER, BINSEARCH
    }

    /**
     * Lightning's {@code scale_batch_size}: from {@code initVal}, fits {@code stepsPerTrial} steps with the module's
     * hyperparameter {@code batch_size} set to each trial's size (its dataloaders must read it), doubling while a trial
     * fits in memory; {@link ScaleMode#POWER} stops at the first that does not (and takes half of it), BINSEARCH then
     * bisects between the last good size and the failed one. At most {@code maxTrials} trials (when all fit, the result is
     * the next doubling, as Lightning's); an error that is not
     * running out of memory ends the search and is thrown. The weights are put back; the module keeps the size found as
     * its {@code batch_size}, which is returned.
     */
    public int scaleBatchSize(LightningModule module, Data data, ScaleMode mode, int stepsPerTrial, int initVal, int maxTrials) {
        if (initVal < 1 || stepsPerTrial < 1 || maxTrials < 1) {
            throw new IllegalArgumentException("scaleBatchSize: initVal, stepsPerTrial and maxTrials must be >= 1, got "
                    + initVal + ", " + stepsPerTrial + ", " + maxTrials);
        }
        Map<String, Tensor> weights = snapshot(module);
        int size = initVal;
        int low = 1;
        int high = Integer.MAX_VALUE;
        try {
            for (int trial = 0; trial < maxTrials; trial++) {
                module.saveHyperparameters(Map.of("batch_size", size));
                boolean fits = fits(module, data, stepsPerTrial);
                if (fits) {
                    low = size;
                    if (mode == ScaleMode.BINSEARCH && high != Integer.MAX_VALUE) {
                        if (high - low <= 1) {
                            break;
                        }
                        size = (high + low) / 2;
                    } else {
                        size = size * 2;
                    }
                } else {
                    high = size;
                    size = mode == ScaleMode.POWER ? Math.max(1, size / 2) : (high + low) / 2;
                    if (mode == ScaleMode.POWER || high - low <= 1) {
                        break;
                    }
                }
            }
            // as Lightning: when every trial fitted, the size after the last doubling (tests/tuner/test_scale_batch_size.py)
            module.saveHyperparameters(Map.of("batch_size", size));
            return size;
        } finally {
            restore(module, weights);
        }
    }

    /** Whether a short fit at the module's current batch size runs without exhausting memory. */
    private boolean fits(LightningModule module, Data data, int steps) {
        try (Trainer trainer = Torchlight.trainer(shortFit(steps), plugins)) {
            trainer.fit(module, data, CkptPath.NONE);
            return true;
        } catch (RuntimeException | OutOfMemoryError e) {
            if (outOfMemory(e)) {
                System.gc(); // let the failed trial's tensors go before the next
                return false;
            }
            throw e;
        }
    }

    /**
     * Running out of memory, as Lightning's is_oom_error tells it: CUDA's "out of memory", the CPU allocator's "can't
     * allocate memory" (or "not enough memory"), or the JVM's OutOfMemoryError, anywhere in the causes.
     */
    static boolean outOfMemory(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (t instanceof OutOfMemoryError || message.contains("out of memory") || message.contains("can't allocate memory")
                    || message.contains("not enough memory")) {
                return true;
            }
        }
        return false;
    }

    /** The tuner's trials: {@code steps} optimizer steps, no validation, nothing written or shown. */
    private TrainerConfig shortFit(int steps) {
        return config.toBuilder().maxSteps(steps).maxEpochs(-1).limitValBatches(Limit.NONE).numSanityValSteps(0)
                .enableCheckpointing(false).logger(false).enableProgressBar(false).enableModelSummary(false).build();
    }

    private static Map<String, Tensor> snapshot(LightningModule module) {
        Map<String, Tensor> weights = new LinkedHashMap<>();
        StateDicts.of(module).forEach((k, v) -> weights.put(k, ((Tensor) v).detach().clone()));
        return weights;
    }

    private static void restore(LightningModule module, Map<String, Tensor> weights) {
        StateDicts.load(module, new LinkedHashMap<>(weights), true, "the weights from before the tuner");
    }

    /** Sets each step's rate and records its smoothed loss. */
    private static final class Sweep implements Callback {
        private static final double BETA = 0.98;

        final List<Double> lrs = new ArrayList<>();
        final List<Double> losses = new ArrayList<>();
        private final double minLr;
        private final double maxLr;
        private final int steps;
        private final double threshold;
        private double average;
        private double best = Double.POSITIVE_INFINITY;
        private double current;

        Sweep(double minLr, double maxLr, int steps, double threshold) {
            this.minLr = minLr;
            this.maxLr = maxLr;
            this.steps = steps;
            this.threshold = threshold;
        }

        @Override
        public void onTrainBatchStart(TrainerView trainer, LightningModule module, Batch batch, int batchIdx) {
            List<LightningOptimizer> optimizers = trainer.optimizers();
            if (optimizers.size() != 1) {
                throw new TorchlightException("lrFind works with one optimizer, " + module.getClass().getName() + " configures "
                        + optimizers.size());
            }
            // Lightning's _ExponentialLR: min_lr * (max_lr / min_lr) ^ (step / num_training)
            current = minLr * Math.pow(maxLr / minLr, (double) lrs.size() / steps);
            try (OptimizerParamGroupVector groups = optimizers.get(0).optimizer().param_groups()) {
                for (long g = 0; g < groups.size(); g++) {
                    groups.get(g).options().set_lr(current);
                }
            }
        }

        @Override
        public void onTrainBatchEnd(TrainerView trainer, LightningModule module, Object outputs, Batch batch, int batchIdx) {
            Object loss = outputs instanceof Map<?, ?> map ? map.get("loss") : outputs;
            if (!(loss instanceof Tensor t)) {
                throw new TorchlightException("lrFind needs the training step to return its loss (a Tensor, or a map with \"loss\")");
            }
            int step = lrs.size();
            average = BETA * average + (1 - BETA) * t.item_double();
            double smoothed = average / (1 - Math.pow(BETA, step + 1));
            lrs.add(current);
            losses.add(smoothed);
            if (threshold > 0 && step > 1 && smoothed > threshold * best) {
                trainer.requestStop(); // diverging: the rest of the sweep would teach nothing
            }
            best = Math.min(best, smoothed);
        }
    }
}
