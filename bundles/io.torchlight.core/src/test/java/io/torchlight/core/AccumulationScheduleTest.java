package io.torchlight.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import io.torchlight.api.AccumulationSchedule;
import io.torchlight.api.Data;
import io.torchlight.api.Limit;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.optim.LightningOptimizer;
import io.torchlight.core.internal.TrainerArgs;
import io.torchlight.demos.BoringModel;
import io.torchlight.demos.RandomDataset;
import io.torchlight.utils.data.DataLoader;

/**
 * Accumulation by epoch, as Lightning 1.6.5's {@code accumulate_grad_batches={epoch: factor}} through its
 * GradientAccumulationScheduler (tests/callbacks/test_gradient_accumulation_scheduler.py): from each named epoch on,
 * the optimizer steps every factor batches and at the epoch's last; before the first named epoch, every batch.
 */
public class AccumulationScheduleTest {

    /** Records the batch index of every optimizer step, per epoch. */
    static final class Steps extends BoringModel {
        final List<String> steps = new ArrayList<>();

        @Override
        public void optimizerStep(int epoch, int batchIdx, LightningOptimizer optimizer, int optimizerIdx, Runnable closure) {
            steps.add(epoch + ":" + batchIdx);
            super.optimizerStep(epoch, batchIdx, optimizer, optimizerIdx, closure);
        }
    }

    private static List<String> fit(TrainerConfig.Builder config) {
        Steps model = new Steps();
        Trainer trainer = Torchlight.trainer(config.maxEpochs(3).limitValBatches(Limit.count(0)).build(), TestTrainers.plugins());
        trainer.fit(model, Data.of(DataLoader.of(new RandomDataset(32, 5)).batchSize(1).build()));
        assertEquals(model.steps.size(), trainer.view().globalStep());
        return model.steps;
    }

    @Test
    public void theFactorChangesAtTheEpochsNamed() {
        List<String> steps = fit(TestTrainers.cpu().accumulationSchedule(AccumulationSchedule.of(Map.of(1, 2, 2, 4))));

        assertEquals(List.of("0:0", "0:1", "0:2", "0:3", "0:4", // before epoch 1: every batch
                "1:1", "1:3", "1:4", // factor 2, and the epoch's last batch
                "2:3", "2:4"), steps); // factor 4
    }

    @Test
    public void theCommandLineTakesTheScheduleInAccumulateGradBatches() {
        TrainerConfig config = TrainerArgs.parse(Map.of("accumulate_grad_batches", "{0: 2, 2: 1}"));

        assertEquals(Map.of(0, 2, 2, 1), config.accumulationSchedule().orElseThrow().factors());
        assertEquals(List.of(2, 2, 1), List.of(config.accumulation(0), config.accumulation(1), config.accumulation(2)));
        assertEquals(4, TrainerArgs.parse(Map.of("accumulate_grad_batches", "4")).accumulation(7));
        assertEquals("0:2,2:1", TrainerArgs.asArgs(config).get("accumulation_schedule"));
        assertEquals(List.of("0:1", "0:3", "0:4", "1:1", "1:3", "1:4", "2:0", "2:1", "2:2", "2:3", "2:4"),
                fit(config.toBuilder().enableProgressBar(false).enableCheckpointing(false).enableModelSummary(false)));
    }

    @Test
    public void badSchedulesAreRefusedNamingTheArgument() {
        for (String bad : List.of("0:0", "-1:2", "a:b", "1-2", "{}")) {
            TorchlightException e = assertThrows(bad, TorchlightException.class,
                    () -> TrainerArgs.parse(Map.of("accumulate_grad_batches", bad.equals("1-2") ? "1-2:" : bad)));
            assertTrue(bad + ": " + e.getMessage(), e.getMessage().startsWith("accumulate_grad_batches: "));
        }
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () -> TrainerConfig.builder()
                .accumulateGradBatches(2).accumulationSchedule(AccumulationSchedule.of(Map.of(0, 2))).build());
        assertTrue(both.getMessage(), both.getMessage().contains("set one or the other"));
    }
}
