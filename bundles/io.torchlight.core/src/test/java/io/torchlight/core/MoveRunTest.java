package io.torchlight.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.LBFGS;
import org.bytedeco.pytorch.LBFGSOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.Test;

import io.torchlight.accelerator.cpu.CpuAccelerator;
import io.torchlight.api.Data;
import io.torchlight.api.Limit;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.TrainerPlugins;
import io.torchlight.api.accelerator.Precision;
import io.torchlight.api.optim.OptimizerConfig;
import io.torchlight.core.internal.DefaultTrainer;
import io.torchlight.core.internal.TrainerSetup;
import io.torchlight.core.internal.checkpoint.OptimizerStateDicts;
import io.torchlight.core.internal.hooks.Hooks;
import io.torchlight.core.internal.optim.TrainerOptimizer;
import io.torchlight.core.internal.plugins.Plugins;
import io.torchlight.demos.BoringModel;
import io.torchlight.demos.RandomDataset;
import io.torchlight.strategy.single.SingleDeviceStrategy;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.data.DataLoader;

/**
 * Moving a live fit to another accelerator at a step boundary (tl:move): here between two CPU accelerators with
 * different intra-op thread counts, which compute the same, so the moved run must end with the weights of one that
 * never moved, and every optimizer state tensor must be on the target device afterwards.
 */
public class MoveRunTest {

    /** Adam, so the optimizer has state tensors to carry along. */
    static class AdamModel extends BoringModel {
        final List<Integer> threadsSeen = new ArrayList<>();
        private final Consumer<Integer> atBatchEnd;

        AdamModel(Consumer<Integer> atBatchEnd) {
            this.atBatchEnd = atBatchEnd;
        }

        @Override
        public Object configureOptimizers() {
            return OptimizerConfig.of(new Adam(parameters(), new AdamOptions(0.01)));
        }

        @Override
        public Object trainingStep(Batch batch, int batchIdx) {
            threadsSeen.add(torch.get_num_threads());
            return super.trainingStep(batch, batchIdx);
        }

        @Override
        public void onTrainBatchEnd(Object outputs, Batch batch, int batchIdx) {
            atBatchEnd.accept(batchIdx);
        }

        Tensor weight() {
            return layer.weight().detach().clone();
        }

        Tensor bias() {
            return layer.bias().detach().clone();
        }
    }

    private static DefaultTrainer trainer(CpuAccelerator accelerator, int batches) {
        return DefaultTrainer.open(TrainerSetup.of(TestTrainers.cpu().maxEpochs(2).limitTrainBatches(Limit.count(batches))
                .limitValBatches(Limit.count(0)).build(), TrainerPlugins.of(accelerator, new SingleDeviceStrategy())),
                Plugins.instances(), Hooks.HookListener.NONE);
    }

    private static DataLoader data() {
        return DataLoader.of(new RandomDataset(32, 64)).batchSize(4).build();
    }

    private static Map<String, Tensor> weights(AdamModel model) {
        return Map.of("weight", model.weight(), "bias", model.bias());
    }

    @Test
    public void aRunMovedBetweenTwoCpuAcceleratorsEndsAsOneThatNeverMoved() throws Exception {
        CpuAccelerator one = new CpuAccelerator(1);
        CpuAccelerator two = new CpuAccelerator(2);
        AtomicReference<DefaultTrainer> moving = new AtomicReference<>();
        List<CompletableFuture<String>> moves = new ArrayList<>();
        torch.manual_seed(7);
        AdamModel moved = new AdamModel(batchIdx -> {
            if (batchIdx == 2 && moves.isEmpty()) {
                moves.add(moving.get().moveTo(two, 0));
            }
        });
        moving.set(trainer(one, 5));
        torch.manual_seed(7);
        AdamModel stayed = new AdamModel(batchIdx -> {
        });

        DataLoader same = data();
        moving.get().fit(moved, Data.of(same));
        trainer(one, 5).fit(stayed, Data.of(same));

        String done = moves.get(0).get();
        assertTrue(done, done.contains("moved from cpu") && done.contains("at step 3") && done.contains("1 optimizer state"));
        assertEquals("one thread for three steps, then two", List.of(1, 1, 1, 2, 2, 2, 2, 2, 2, 2), moved.threadsSeen);
        assertEquals(List.of(1, 1, 1, 1, 1, 1, 1, 1, 1, 1), stayed.threadsSeen);
        Map<String, Tensor> a = weights(moved);
        Map<String, Tensor> b = weights(stayed);
        for (String name : a.keySet()) {
            // exactly: sums this small stay under libtorch's grain size, so the thread count cannot reorder them
            assertTrue(name, torch.equal(a.get(name), b.get(name)));
        }
        assertFalse("the moved run trained", torch.equal(a.get("weight"), weights(new AdamModel(i -> { })).get("weight")));
        for (Object o : moving.get().view().optimizers()) {
            Map<?, ?> state = (Map<?, ?>) OptimizerStateDicts.of(((TrainerOptimizer) o).optimizer()).get("state");
            assertEquals("weight and bias have state", 2, state.size());
            state.values().forEach(s -> ((Map<?, ?>) s).values().forEach(v -> {
                if (v instanceof Tensor t) {
                    assertTrue("state tensor on the target device", t.is_cpu());
                }
            }));
        }
    }

    @Test
    public void aMoveIsRefusedAtOnceWithTheReason() {
        CpuAccelerator cpu = new CpuAccelerator(1);
        CpuAccelerator fp32Only = new CpuAccelerator(1) {
            @Override
            public Set<Precision> precisions() {
                return EnumSet.of(Precision.FP32);
            }
        };
        CpuAccelerator unavailable = new CpuAccelerator(1) {
            @Override
            public boolean isAvailable() {
                return false;
            }

            @Override
            public Optional<String> unavailableReason() {
                return Optional.of("misconfigured");
            }
        };
        AtomicReference<DefaultTrainer> trainer = new AtomicReference<>();
        List<String> refusals = new ArrayList<>();
        AdamModel model = new AdamModel(batchIdx -> {
            if (batchIdx != 0) {
                return;
            }
            for (Runnable attempt : List.<Runnable>of(() -> trainer.get().moveTo(cpu, 1), () -> trainer.get().moveTo(unavailable, 0),
                    () -> trainer.get().moveTo(fp32Only, 0), () -> trainer.get().move("cpu"))) {
                refusals.add(assertThrows(TorchlightException.class, attempt::run).getMessage());
            }
            trainer.get().moveTo(cpu, 0);
            refusals.add(assertThrows(TorchlightException.class, () -> trainer.get().moveTo(cpu, 0)).getMessage());
        });
        trainer.set(DefaultTrainer.open(TrainerSetup.of(TestTrainers.cpu().maxEpochs(1).limitTrainBatches(Limit.count(2))
                .limitValBatches(Limit.count(0)).precision(Precision.BF16_MIXED).build(),
                TrainerPlugins.of(cpu, new SingleDeviceStrategy())), Plugins.instances(), Hooks.HookListener.NONE));

        assertThrows("not fitting yet", TorchlightException.class, () -> trainer.get().moveTo(cpu, 0));
        trainer.get().fit(model, Data.of(data()));

        assertEquals(refusals.toString(), 5, refusals.size());
        assertTrue(refusals.get(0), refusals.get(0).contains("has 1 device(s): there is no device 1"));
        assertTrue(refusals.get(1), refusals.get(1).contains("not available: misconfigured"));
        assertTrue(refusals.get(2), refusals.get(2).contains("precision=bf16-mixed is not supported"));
        assertTrue(refusals.get(3), refusals.get(3).contains("DefaultTrainer.moveTo"));
        assertTrue(refusals.get(4), refusals.get(4).contains("pending already"));
    }

    @Test
    public void aMoveNotReachedBeforeTheFitEndsFailsItsFuture() {
        CpuAccelerator cpu = new CpuAccelerator(1);
        AtomicReference<DefaultTrainer> trainer = new AtomicReference<>();
        List<CompletableFuture<String>> moves = new ArrayList<>();
        AdamModel model = new AdamModel(batchIdx -> {
            if (batchIdx == 1 && trainer.get().view().currentEpoch() == 1) {
                moves.add(trainer.get().moveTo(cpu, 0)); // the last batch: no step boundary follows
            }
        });
        trainer.set(trainer(cpu, 2));

        trainer.get().fit(model, Data.of(data()));

        ExecutionException e = assertThrows(ExecutionException.class, () -> moves.get(0).get());
        assertTrue(e.getMessage(), e.getCause().getMessage().contains("ended before its next training step"));
    }

    @Test
    public void lbfgsWhoseStateCannotBeTakenAlongKeepsTheRunWhereItWas() {
        CpuAccelerator one = new CpuAccelerator(1);
        CpuAccelerator two = new CpuAccelerator(2);
        AtomicReference<DefaultTrainer> trainer = new AtomicReference<>();
        List<CompletableFuture<String>> moves = new ArrayList<>();
        AdamModel model = new AdamModel(batchIdx -> {
            if (batchIdx == 1 && moves.isEmpty()) {
                moves.add(trainer.get().moveTo(two, 0));
            }
        }) {
            @Override
            public Object configureOptimizers() {
                return OptimizerConfig.of(new LBFGS(parameters(), new LBFGSOptions(0.1)));
            }
        };
        trainer.set(trainer(one, 4));

        trainer.get().fit(model, Data.of(data()));

        ExecutionException e = assertThrows(ExecutionException.class, () -> moves.get(0).get());
        assertTrue(e.getCause().getMessage(), e.getCause().getMessage().contains("LBFGS")
                && e.getCause().getMessage().contains("goes on on cpu"));
        assertEquals("trained on with one thread", List.of(1, 1, 1, 1), model.threadsSeen.subList(0, 4));
        assertEquals(8, trainer.get().view().globalStep());
    }
}
