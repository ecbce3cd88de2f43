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
 * One measurement: a Trainer epoch, then an epoch of the hand-written loop on a twin model, alternating in this
 * process for {@code rounds} rounds after two warm-up rounds; the result is the ratio of the median epoch times.
 */
final class Interleaved {

    private Interleaved() {
    }

    /**
     * Median epoch times and their ratio; {@code stepsMs} is the part of the Trainer's epoch spent between
     * {@code onTrainBatchStart} and {@code onTrainBatchEnd} (the optimization step), the rest being data,
     * transfer, hooks and logging.
     */
    record Result(double trainerMs, double rawMs, double stepsMs, double trainerStepUs, double rawStepUs) {
        double ratio() {
            return trainerMs / rawMs;
        }
    }

    static Result measure(TrainerOverhead.Setup setup, Models.Benched trained, Models.Benched raw, int rounds, int batches) {
        Adam rawOptimizer = new Adam(raw.parameters(), new AdamOptions(1e-3));
        List<Long> rawTimes = new ArrayList<>();
        List<Long> trainerTimes = new ArrayList<>();
        List<Long> stepTimes = new ArrayList<>();
        List<Long> trainerSteps = new ArrayList<>();
        List<Long> rawSteps = new ArrayList<>();
        List<Long> firstGaps = new ArrayList<>();
        long[] clock = new long[3]; // epoch start, batch start, step time in this epoch
        Callback alternate = new Callback() {
            @Override
            public void onTrainEpochStart(TrainerView trainer, LightningModule module) {
                clock[2] = 0;
                clock[0] = System.nanoTime();
            }

            @Override
            public void onTrainBatchStart(TrainerView trainer, LightningModule module, Batch batch, int batchIdx) {
                clock[1] = System.nanoTime();
                if (batchIdx == 0 && trainer.currentEpoch() >= 2) {
                    firstGaps.add(clock[1] - clock[0]);
                }
            }

            @Override
            public void onTrainBatchEnd(TrainerView trainer, LightningModule module, Object outputs, Batch batch,
                    int batchIdx) {
                long step = System.nanoTime() - clock[1];
                clock[2] += step;
                if (trainer.currentEpoch() >= 2) {
                    trainerSteps.add(step);
                }
            }

            @Override
            public void onTrainEpochEnd(TrainerView trainer, LightningModule module) {
                trained.sync.run();
                trainerTimes.add(System.nanoTime() - clock[0]);
                stepTimes.add(clock[2]);
                rawTimes.add(raw.rawEpoch(rawOptimizer, batches, trainer.currentEpoch() >= 2 ? rawSteps : new ArrayList<>()));
            }
        };
        try (Trainer trainer = Torchlight.trainer(setup.config().maxEpochs(rounds + 2).build(), setup.plugins().withCallback(alternate))) {
            trainer.fit(trained);
        }
        System.out.printf("  epoch start to first batch: median %.2f ms%n", median(firstGaps) / 1e6);
        // the first two rounds warm up the JIT and libtorch's allocator
        return new Result(median(trainerTimes.subList(2, trainerTimes.size())) / 1e6, median(rawTimes.subList(2, rawTimes.size())) / 1e6,
                median(stepTimes.subList(2, stepTimes.size())) / 1e6, median(trainerSteps) / 1e3, median(rawSteps) / 1e3);
    }

    static double median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }
}
