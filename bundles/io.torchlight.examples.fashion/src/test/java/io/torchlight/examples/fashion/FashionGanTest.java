package io.torchlight.examples.fashion;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.Test;

import io.torchlight.accelerator.cpu.CpuAccelerator;
import io.torchlight.api.Limit;
import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.TrainerPlugins;
import io.torchlight.core.Torchlight;
import io.torchlight.strategy.single.SingleDeviceStrategy;
import io.torchlight.utils.checkpoint.StateDicts;

/** The fashion-gan example: two optimizers stepped in turn on each batch, each moving only its own network. */
public class FashionGanTest {

    @Test
    public void bothNetworksTrainEachWithItsOwnOptimizer() {
        FashionGan gan = new FashionGan();
        Map<String, Tensor> initial = new LinkedHashMap<>();
        StateDicts.of(gan).forEach((k, v) -> initial.put(k, ((Tensor) v).clone()));
        Trainer trainer = Torchlight.trainer(TrainerConfig.builder().maxEpochs(1).limitTrainBatches(Limit.count(5))
                .enableProgressBar(false).enableCheckpointing(false).enableModelSummary(false).logger(false).seed(3L).build(),
                TrainerPlugins.of(new CpuAccelerator(), new SingleDeviceStrategy()));

        trainer.fit(gan);

        assertEquals("5 batches, two optimizer steps each", 10, trainer.view().globalStep());
        Map<String, Double> metrics = trainer.view().callbackMetrics();
        assertTrue(metrics.toString(), metrics.containsKey("g_loss") && metrics.containsKey("d_loss"));
        Map<String, Object> after = StateDicts.of(gan);
        assertFalse("the generator moved", initial.get("generator.fc1.weight").equal((Tensor) after.get("generator.fc1.weight")));
        assertFalse("the discriminator moved",
                initial.get("discriminator.fc1.weight").equal((Tensor) after.get("discriminator.fc1.weight")));
        Tensor images = gan.forward(torch.randn(2, FashionGan.LATENT));
        assertEquals("[2, 1, 28, 28]", Arrays.toString(images.sizes().vec().get()));
    }
}
