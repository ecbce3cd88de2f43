package io.torchlight.core.internal.checkpoint;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Optimizer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.Test;

import io.torchlight.api.TorchlightException;

/**
 * The PyTorch layout holds everything libtorch's optimizers keep: an optimizer restored from it steps exactly as the
 * one it was taken from, for each optimizer Torchlight translates.
 */
public class OptimizerStateDictsTest {

    /** A layer and its optimizer after three steps, from the same seed each time. */
    private record Trained(LinearImpl layer, Optimizer optimizer) {
        static Trained of(Function<TensorVector, Optimizer> make) {
            torch.manual_seed(5);
            LinearImpl layer = new LinearImpl(3, 2);
            Optimizer optimizer = make.apply(layer.parameters());
            StatefulOptimizers.train(layer, optimizer, 3);
            return new Trained(layer, optimizer);
        }
    }

    @Test
    public void aRestoredOptimizerStepsExactlyAsTheOriginal() {
        for (Function<TensorVector, Optimizer> make : StatefulOptimizers.ALL) {
            Trained trained = Trained.of(make);
            LinearImpl original = trained.layer();
            Optimizer optimizer = trained.optimizer();
            Map<String, Object> state = OptimizerStateDicts.of(optimizer);

            LinearImpl copy = new LinearImpl(3, 2);
            copy.weight().detach().copy_(original.weight().detach());
            copy.bias().detach().copy_(original.bias().detach());
            Optimizer restored = make.apply(copy.parameters());
            OptimizerStateDicts.load(restored, state, "test");
            StatefulOptimizers.train(original, optimizer, 2);
            StatefulOptimizers.train(copy, restored, 2);

            String name = optimizer.getClass().getSimpleName();
            assertTrue(name + " steps as the original", torch.equal(original.weight(), copy.weight()));
            assertTrue(name + " steps as the original", torch.equal(original.bias(), copy.bias()));
        }
    }

    /**
     * Every state tensor holds its own reference: libtorch's archive values lend theirs, and a checkpoint written after
     * the GC freed the archive read freed memory (a ModelCheckpoint save failed on a garbage dispatch key).
     */
    @Test
    public void stateTensorsOutliveTheArchiveTheyWereReadFrom() throws InterruptedException {
        for (Function<TensorVector, Optimizer> make : StatefulOptimizers.ALL) {
            Optimizer optimizer = Trained.of(make).optimizer();
            Map<String, Object> state = OptimizerStateDicts.of(optimizer);
            List<Tensor> tensors = new ArrayList<>();
            ((Map<?, ?>) state.get("state")).values().forEach(p -> ((Map<?, ?>) p).values().forEach(v -> {
                if (v instanceof Tensor t) {
                    tensors.add(t);
                }
            }));
            String name = optimizer.getClass().getSimpleName();
            assertTrue(name + " keeps state tensors", !tensors.isEmpty());
            List<Double> sums = new ArrayList<>();
            for (Tensor t : tensors) {
                assertTrue(name + ": a state tensor that only borrows its native tensor", t.referenceCount() >= 0);
                sums.add(t.sum().item_double());
            }

            // what the state was read from goes now; the memory it held is reused
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(50);
            }
            List<Tensor> churn = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                churn.add(torch.randn(2, 3));
            }
            for (int i = 0; i < tensors.size(); i++) {
                assertEquals(name + " state tensor " + i, sums.get(i), tensors.get(i).sum().item_double(), 0);
            }
            churn.forEach(Tensor::close);
        }
    }

    /** PyTorch's own names: state keyed by parameter index, hyperparameters and params in each group. */
    @Test
    public void adamStateHasPyTorchsLayout() {
        LinearImpl layer = new LinearImpl(3, 2);
        Adam adam = new Adam(layer.parameters(), new AdamOptions(0.01));
        StatefulOptimizers.train(layer, adam, 2);

        Map<String, Object> state = OptimizerStateDicts.of(adam);

        Map<?, ?> group = (Map<?, ?>) ((List<?>) state.get("param_groups")).get(0);
        assertEquals(List.of(0L, 1L), group.get("params"));
        assertEquals(0.01, group.get("lr"));
        assertEquals(List.of(0.9, 0.999), List.of((Object[]) group.get("betas")));
        Map<?, ?> first = (Map<?, ?>) ((Map<?, ?>) state.get("state")).get(0L);
        assertEquals(List.of("step", "exp_avg", "exp_avg_sq"), List.copyOf(first.keySet()));
        assertEquals(2.0, ((Tensor) first.get("step")).item_double(), 0);
    }

    @Test
    public void mismatchedGroupsAreClearErrors() {
        LinearImpl layer = new LinearImpl(3, 2);
        Adam adam = new Adam(layer.parameters(), new AdamOptions(0.01));
        Map<String, Object> state = OptimizerStateDicts.of(adam);
        Adam oneParam = new Adam(new TensorVector(layer.weight()), new AdamOptions(0.01));

        TorchlightException e = assertThrows(TorchlightException.class,
                () -> OptimizerStateDicts.load(oneParam, state, "ckpt: optimizer_states[0]"));
        TorchlightException notADict = assertThrows(TorchlightException.class,
                () -> OptimizerStateDicts.load(adam, Map.of("x", 1), "ckpt: optimizer_states[0]"));

        assertEquals("ckpt: optimizer_states[0].param_groups[0] holds 2 parameters, but the Adam's group holds 1", e.getMessage());
        assertTrue(notADict.getMessage(), notADict.getMessage().contains("not an optimizer state_dict"));
    }
}
