package io.torchlight.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.junit.Test;

import io.torchlight.api.Callback;
import io.torchlight.api.Data;
import io.torchlight.api.LightningModule;
import io.torchlight.api.Limit;
import io.torchlight.api.LogOptions;
import io.torchlight.api.TrainerView;
import io.torchlight.demos.BoringModel;
import io.torchlight.demos.RandomDataset;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.data.DataLoader;

/**
 * {@code log(..., enableGraph)}, as Lightning 1.6.5's ResultCollection.log ("no metrics should be logged with graphs"
 * unless {@code enable_graph=True}, when {@code callback_metrics} holds the tensor with its graph): a callback reading
 * the logged tensor gets the graph only where the module asked for it, and the epoch value is the same either way.
 */
public class EnableGraphTest {

    /** Logs its loss twice: with its graph as "g", detached as "d". */
    static final class GraphLogging extends BoringModel {
        @Override
        public Object trainingStep(Batch batch, int batchIdx) {
            Tensor loss = loss(forward(batch.input()));
            log("g", loss, LogOptions.defaults().onStep(true).onEpoch(true).enableGraph(true));
            log("d", loss, LogOptions.defaults().onStep(true).onEpoch(true));
            log("n", 1.5);
            return Map.of("loss", loss);
        }
    }

    /** What a callback finds after each training batch. */
    static final class Reader implements Callback {
        final List<Boolean> graphRequiresGrad = new ArrayList<>();
        final List<Boolean> detachedRequiresGrad = new ArrayList<>();
        final List<Double> differences = new ArrayList<>();
        final List<Boolean> numberHasTensor = new ArrayList<>();

        @Override
        public void onTrainBatchEnd(TrainerView trainer, LightningModule module, Object outputs, Batch batch, int batchIdx) {
            Tensor g = trainer.loggedTensor("g_step").orElseThrow();
            Tensor d = trainer.loggedTensor("d").orElseThrow();
            graphRequiresGrad.add(g.requires_grad() && g.grad_fn() != null);
            detachedRequiresGrad.add(d.requires_grad());
            differences.add(Math.abs(g.item_double() - d.item_double()));
            numberHasTensor.add(trainer.loggedTensor("n").isPresent());
        }
    }

    @Test
    public void theGraphIsKeptOnlyForValuesLoggedWithEnableGraph() {
        Reader reader = new Reader();
        var trainer = Torchlight.trainer(TestTrainers.cpu().maxEpochs(1).limitValBatches(Limit.count(0)).build(),
                TestTrainers.plugins().withCallback(reader));

        trainer.fit(new GraphLogging(), Data.of(DataLoader.of(new RandomDataset(32, 8)).batchSize(2).build()));

        assertEquals(List.of(true, true, true, true), reader.graphRequiresGrad);
        assertEquals(List.of(false, false, false, false), reader.detachedRequiresGrad);
        assertTrue(String.valueOf(reader.differences), reader.differences.stream().allMatch(x -> x == 0.0));
        assertEquals("a number has no tensor", List.of(false, false, false, false), reader.numberHasTensor);
        Map<String, Double> metrics = trainer.view().callbackMetrics();
        assertEquals("the epoch mean does not depend on the graph", metrics.get("d_epoch"), metrics.get("g_epoch"), 0.0);
        assertFalse(trainer.view().loggedTensor("nothing-logged").isPresent());
    }
}
