package io.torchlight.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.Test;

import io.torchlight.api.CkptPath;
import io.torchlight.api.Data;
import io.torchlight.api.Limit;
import io.torchlight.api.Trainer;
import io.torchlight.demos.BoringModel;

public class SmokeTest {

    @Test
    public void boringModelFitsValidatesTestsAndPredicts() {
        Trainer trainer = Torchlight.trainer(TestTrainers.cpu().maxEpochs(2).limitTrainBatches(Limit.count(5))
                .limitValBatches(Limit.count(3)).seed(7L).build(), TestTrainers.plugins());
        BoringModel model = new BoringModel();

        trainer.fit(model);
        List<Map<String, Double>> test = trainer.test(model, Data.fromModule(), CkptPath.NONE);
        boolean trainingAfterTest = model.is_training();
        List<Object> predictions = trainer.predict(model, Data.fromModule(), CkptPath.NONE);

        assertEquals(10, trainer.view().globalStep());
        assertEquals(2, trainer.view().currentEpoch());
        assertEquals(1, test.size());
        assertEquals(64, predictions.size());
        assertTrue("test ends with the module back in training mode", trainingAfterTest);
        assertFalse("predict leaves the module in evaluation mode, as Lightning", model.is_training());
        assertTrue(test.get(0).toString(), test.get(0).isEmpty());
    }
}
