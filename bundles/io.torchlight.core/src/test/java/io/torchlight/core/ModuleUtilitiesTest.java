package io.torchlight.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.junit.Test;

import io.torchlight.api.Limit;
import io.torchlight.api.TorchlightException;
import io.torchlight.demos.BoringModel;

public class ModuleUtilitiesTest {

    @Test
    public void freezeAndUnfreeze() {
        BoringModel model = new BoringModel();

        model.freeze();
        boolean anyTrainable = false;
        for (Tensor p : model.parameters().get()) {
            anyTrainable |= p.requires_grad();
        }
        assertFalse(anyTrainable);
        assertFalse(model.is_training());

        model.unfreeze();
        for (Tensor p : model.parameters().get()) {
            assertTrue(p.requires_grad());
        }
        assertTrue(model.is_training());
    }

    @Test
    public void modelSizeCountsParameterBytes() {
        // 32 x 2 weights + 2 biases, float32
        assertEquals(66 * 4 / 1e6, new BoringModel().modelSize(), 1e-12);
    }

    @Test
    public void hyperparametersReachTheLoggersFirst() {
        BoringModel model = new BoringModel();
        model.saveHyperparameters(Map.of("lr", 0.1, "hidden", 32));
        RecordingLogger logger = new RecordingLogger();

        Torchlight.trainer(TestTrainers.cpu().maxEpochs(1).limitTrainBatches(Limit.count(2)).limitValBatches(Limit.NONE)
                .build(), TestTrainers.plugins().withLogger(logger)).fit(model);

        assertEquals(Map.of("lr", 0.1, "hidden", 32), logger.hparams);
        assertEquals(Map.of("lr", 0.1, "hidden", 32), model.hparams());
    }

    @Test
    public void utilitiesThatNeedATrainerSaySo() {
        BoringModel model = new BoringModel();

        TorchlightException log = assertThrows(TorchlightException.class, () -> model.log("x", 1));
        TorchlightException backward = assertThrows(TorchlightException.class, () -> model.manualBackward(null));

        assertTrue(log.getMessage(), log.getMessage().contains("log() needs a trainer"));
        assertTrue(backward.getMessage(), backward.getMessage().contains("manualBackward() needs a trainer"));
        assertEquals(0, model.currentEpoch());
        assertEquals("cpu", model.device().str().getString());
    }
}
