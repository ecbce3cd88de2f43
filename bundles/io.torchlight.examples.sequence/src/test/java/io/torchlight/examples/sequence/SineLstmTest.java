package io.torchlight.examples.sequence;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

import io.torchlight.accelerator.cpu.CpuAccelerator;
import io.torchlight.api.CkptPath;
import io.torchlight.api.Data;
import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.TrainerPlugins;
import io.torchlight.core.Torchlight;
import io.torchlight.strategy.single.SingleDeviceStrategy;

/** The sine-lstm example trains with truncated back-propagation, the LSTM's (h, c) carried between pieces. */
public class SineLstmTest {

    @Test
    public void itLearnsTheWavesOnePieceAtATime() {
        SineLstm model = new SineLstm();
        Trainer trainer = Torchlight.trainer(TrainerConfig.builder().maxEpochs(3).numSanityValSteps(0).enableProgressBar(false)
                .enableCheckpointing(false).enableModelSummary(false).logger(false).seed(1L).build(),
                TrainerPlugins.of(new CpuAccelerator(), new SingleDeviceStrategy()));

        double before = trainer.validate(model, Data.fromModule(), CkptPath.NONE).get(0).get("val_loss");
        trainer.fit(model);
        double after = trainer.view().callbackMetrics().get("val_loss");

        // 256 waves in batches of 32, each of 40 steps in pieces of 10: 8 x 4 optimizer steps an epoch
        assertEquals(3 * 8 * 4, trainer.view().globalStep());
        assertTrue("val_loss " + before + " -> " + after, after < before / 2);
    }
}
