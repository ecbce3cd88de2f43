package io.torchlight.callback.earlystopping;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

import io.torchlight.accelerator.cpu.CpuAccelerator;
import io.torchlight.api.Limit;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.TrainerPlugins;
import io.torchlight.core.Torchlight;
import io.torchlight.demos.BoringModel;
import io.torchlight.strategy.single.SingleDeviceStrategy;
import io.torchlight.utils.data.Batch;

public class EarlyStoppingTest {

    static class Scripted extends BoringModel {
        final double[] losses;

        Scripted(double... losses) {
            this.losses = losses;
        }

        @Override
        public Object validationStep(Batch batch, int batchIdx) {
            log("val_loss", losses[Math.min(currentEpoch(), losses.length - 1)]);
            return null;
        }
    }

    private static Trainer fit(EarlyStopping stopping, int minEpochs, double... losses) {
        Trainer trainer = Torchlight.trainer(TrainerConfig.builder()
                .maxEpochs(20).minEpochs(minEpochs).limitTrainBatches(Limit.count(1))
                .limitValBatches(Limit.count(1)).numSanityValSteps(0).build(), TrainerPlugins.of(new CpuAccelerator(), new SingleDeviceStrategy()).withCallback(stopping));
        trainer.fit(new Scripted(losses));
        return trainer;
    }

    @Test
    public void stopsAfterPatienceChecksWithoutImprovementBeyondMinDelta() {
        EarlyStopping stopping = new EarlyStopping(EarlyStopping.Settings.of("val_loss").patience(2, 0.05));

        Trainer trainer = fit(stopping, 0, 1.0, 0.9, 0.88, 0.87, 0.5);

        // 0.88 and 0.87 improve by less than 0.05: the second of them ends training after epoch 3
        assertEquals(4, trainer.view().currentEpoch());
        assertEquals(3, stopping.stoppedEpoch());
        assertTrue(stopping.stopReason(), stopping.stopReason().contains("did not improve in the last 2 checks"));
    }

    @Test
    public void respectsMinEpochs() {
        Trainer trainer = fit(new EarlyStopping(EarlyStopping.Settings.of("val_loss").patience(1, 0)), 6, 1.0, 2.0);

        assertEquals(6, trainer.view().currentEpoch());
    }

    @Test
    public void thresholdsAndNonFiniteValuesStopAtOnce() {
        EarlyStopping stopping = new EarlyStopping(EarlyStopping.Settings.of("val_loss").thresholds(0.1, 10.0));

        assertNull(stopping.evaluate(1.0));
        assertTrue(stopping.evaluate(0.05).contains("stopping threshold"));
        assertTrue(new EarlyStopping(EarlyStopping.Settings.of("val_loss").thresholds(null, 10.0)).evaluate(11.0)
                .contains("divergence threshold"));
        assertTrue(new EarlyStopping(EarlyStopping.Settings.of("val_loss")).evaluate(Double.NaN).contains("not finite"));
        assertEquals(Double.NEGATIVE_INFINITY, new EarlyStopping(EarlyStopping.Settings.of("acc").mode(EarlyStopping.Mode.MAX))
                .bestScore(), 0);
    }

    @Test
    public void aMissingMetricIsAnErrorWhenStrict() {
        TorchlightException e = assertThrows(TorchlightException.class,
                () -> fit(new EarlyStopping(EarlyStopping.Settings.of("val_acc")), 0, 1.0));

        assertTrue(e.getMessage(), e.getMessage().contains("'val_acc'") && e.getMessage().contains("val_loss"));
        fit(new EarlyStopping(EarlyStopping.Settings.of("val_acc").strict(false)), 0, 1.0);
    }

    @Test
    public void stateRoundTrips() {
        EarlyStopping a = new EarlyStopping(EarlyStopping.Settings.of("val_loss"));
        a.evaluate(1.0);
        a.evaluate(2.0);
        EarlyStopping b = new EarlyStopping(EarlyStopping.Settings.of("val_loss"));

        b.loadStateDict(a.stateDict());

        assertEquals(1, b.waitCount());
        assertEquals(1.0, b.bestScore(), 0);
        assertEquals(a.stateKey(), b.stateKey());
    }

    /** Lightning 1.6.5's EarlyStopping._should_skip_check: a fast_dev_run never checks (a strict missing metric is fine). */
    @Test
    public void aFastDevRunNeverChecks() {
        EarlyStopping stopping = new EarlyStopping(EarlyStopping.Settings.of("val_acc"));
        Trainer trainer = Torchlight.trainer(TrainerConfig.builder().fastDevRun(1).enableCheckpointing(false).build(),
                TrainerPlugins.of(new CpuAccelerator(), new SingleDeviceStrategy()).withCallback(stopping));

        trainer.fit(new Scripted(1.0));

        assertEquals(1, trainer.view().globalStep());
    }

    /**
     * Lightning 1.6.5's EarlyStopping.setup: with validation once every epoch the check runs at the training epoch's
     * end, after trainingEpochEnd (which runs after validation), so a metric logged there can be monitored.
     */
    @Test
    public void withValidationOncePerEpochTheCheckSeesWhatTrainingEpochEndLogged() {
        EarlyStopping stopping = new EarlyStopping(EarlyStopping.Settings.of("epoch_metric").patience(1, 0));
        Trainer trainer = Torchlight.trainer(TrainerConfig.builder().maxEpochs(20).limitTrainBatches(Limit.count(1))
                .limitValBatches(Limit.count(1)).numSanityValSteps(0).enableCheckpointing(false).build(),
                TrainerPlugins.of(new CpuAccelerator(), new SingleDeviceStrategy()).withCallback(stopping));

        trainer.fit(new Scripted(1.0) {
            @Override
            public void trainingEpochEnd(List<Object> outputs) {
                log("epoch_metric", 1.0 + currentEpoch()); // never improves after epoch 0
            }
        });

        assertEquals("stops after one check without improvement", 2, trainer.view().currentEpoch());
    }
}
