package io.torchlight.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 * Lightning's tuner: {@link #lrFind} runs a short fit with the learning rate rising exponentially from
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
        Map<String, Tensor> weights = new LinkedHashMap<>();
        StateDicts.of(module).forEach((k, v) -> weights.put(k, ((Tensor) v).detach().clone()));
        Sweep sweep = new Sweep(minLr, maxLr, numTraining, earlyStopThreshold);
        TrainerConfig quick = config.toBuilder().maxSteps(numTraining).maxEpochs(-1).limitValBatches(Limit.NONE)
                .numSanityValSteps(0).enableCheckpointing(false).logger(false).enableProgressBar(false).enableModelSummary(false)
                .build();
        try (Trainer trainer = Torchlight.trainer(quick, plugins.withCallback(sweep))) {
            trainer.fit(module, data, CkptPath.NONE);
        } finally {
            Map<String, Object> restore = new LinkedHashMap<>(weights);
            StateDicts.load(module, restore, true, "the weights from before lrFind");
        }
        return new LrFinder(sweep.lrs, sweep.losses);
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
