package io.torchlight.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bytedeco.pytorch.LBFGS;
import org.bytedeco.pytorch.LBFGSOptions;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.DeviceType;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.Test;

import io.torchlight.accelerator.cpu.CpuAccelerator;
import io.torchlight.api.Limit;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerPlugins;
import io.torchlight.api.accelerator.Accelerator;
import io.torchlight.api.accelerator.Precision;
import io.torchlight.demos.BoringModel;
import io.torchlight.strategy.single.SingleDeviceStrategy;
import io.torchlight.utils.checkpoint.CheckpointFile;
import io.torchlight.utils.data.Batch;

/** The precision flag changes the dtypes the step methods compute in. */
public class PrecisionTest {

    /** Records the dtypes a training and a validation step see. */
    static final class Recording extends BoringModel {
        final List<ScalarType> inputs = new ArrayList<>();
        final List<ScalarType> outputs = new ArrayList<>();
        final List<ScalarType> validationOutputs = new ArrayList<>();

        @Override
        public Object trainingStep(Batch batch, int batchIdx) {
            Tensor out = forward(batch.input());
            inputs.add(batch.input().scalar_type().intern());
            outputs.add(out.scalar_type().intern());
            Tensor loss = loss(out);
            log("train_loss", loss);
            return loss;
        }

        @Override
        public Object validationStep(Batch batch, int batchIdx) {
            validationOutputs.add(forward(batch.input()).scalar_type().intern());
            return null;
        }
    }

    private static Recording fit(Precision precision) {
        Recording model = new Recording();
        Trainer trainer = Torchlight.trainer(TestTrainers.cpu().precision(precision).maxEpochs(1)
                .limitTrainBatches(Limit.count(4)).limitValBatches(Limit.count(2)).build(), TestTrainers.plugins());
        trainer.fit(model);
        assertEquals(4, trainer.view().globalStep());
        assertTrue(Double.isFinite(trainer.view().callbackMetrics().get("train_loss")));
        return model;
    }

    @Test
    public void bf16MixedAutocastsTheLinearLayersAndKeepsFloat32Parameters() {
        Recording model = fit(Precision.BF16_MIXED);

        assertEquals(ScalarType.Float, model.inputs.get(0));
        assertEquals(List.of(ScalarType.BFloat16), model.outputs.stream().distinct().toList());
        assertEquals(List.of(ScalarType.BFloat16), model.validationOutputs.stream().distinct().toList());
        assertEquals(ScalarType.Float, model.parameters().get(0).scalar_type().intern());
        assertFalse("autocast is off again after the run", torch.is_autocast_enabled(DeviceType.CPU));
    }

    @Test
    public void sixtyFourBitTrainsInDouble() {
        Recording model = fit(Precision.FP64);

        assertEquals(List.of(ScalarType.Double), model.inputs.stream().distinct().toList());
        assertEquals(List.of(ScalarType.Double), model.outputs.stream().distinct().toList());
        assertEquals(ScalarType.Double, model.parameters().get(0).scalar_type().intern());
    }

    @Test
    public void thirtyTwoBitIsUntouched() {
        Recording model = fit(Precision.FP32);

        assertEquals(List.of(ScalarType.Float), model.outputs.stream().distinct().toList());
    }

    /**
     * The 16-mixed wiring, observed on the CPU: an accelerator that declares the CUDA device type and every precision
     * but hands out the CPU device (CUDA autocast then leaves the CPU maths alone, the loss scaling is what is exercised).
     */
    private static Accelerator cpuCalledCuda() {
        return new CpuAccelerator() {
            @Override
            public DeviceType deviceType() {
                return DeviceType.CUDA;
            }

            @Override
            public Set<Precision> precisions() {
                return EnumSet.allOf(Precision.class);
            }
        };
    }

    @Test
    public void sixteenMixedSkipsAStepWithInfiniteGradientsHalvesTheScaleAndCheckpointsIt() throws Exception {
        List<Double> weightAfterStep = new ArrayList<>();
        BoringModel model = new BoringModel() {
            @Override
            public Object trainingStep(Batch batch, int batchIdx) {
                Tensor loss = loss(forward(batch.input()));
                return batchIdx == 1 ? loss.mul(new Scalar(Double.POSITIVE_INFINITY)) : loss;
            }

            @Override
            public void onTrainStart() {
                weightAfterStep.add(parameters().get(0).sum().item_double());
            }

            @Override
            public void onTrainBatchEnd(Object outputs, Batch batch, int batchIdx) {
                weightAfterStep.add(parameters().get(0).sum().item_double());
            }
        };
        Path dir = Files.createTempDirectory("precision");
        Trainer trainer = Torchlight.trainer(TestTrainers.cpu().precision(Precision.FP16_MIXED).maxEpochs(1)
                .limitTrainBatches(Limit.count(3)).limitValBatches(Limit.count(0)).defaultRootDir(dir).build(), TrainerPlugins.of(cpuCalledCuda(), new SingleDeviceStrategy()));
        trainer.fit(model);
        Path ckpt = dir.resolve("amp.ckpt");
        trainer.saveCheckpoint(ckpt, false);

        assertEquals(3, trainer.view().globalStep());
        // weights at the start, then after steps 0, 1 and 2
        assertTrue("step 0 updates", !weightAfterStep.get(0).equals(weightAfterStep.get(1)));
        assertEquals("the step with infinite gradients left the weights alone", weightAfterStep.get(1), weightAfterStep.get(2));
        assertTrue("step 2 updates again", !weightAfterStep.get(2).equals(weightAfterStep.get(3)));
        Map<?, ?> scaler = (Map<?, ?>) CheckpointFile.read(ckpt)
                .get("native_amp_scaling_state");
        assertEquals(32768.0, ((Number) scaler.get("scale")).doubleValue(), 0.0);
    }

    /** Lightning 1.6.5's NativeMixedPrecisionPlugin.optimizer_step: native AMP and LBFGS are not compatible. */
    @Test
    public void sixteenMixedRefusesLbfgs() {
        BoringModel model = new BoringModel() {
            @Override
            public Object configureOptimizers() {
                return new LBFGS(parameters(), new LBFGSOptions(1.0));
            }
        };
        Trainer trainer = Torchlight.trainer(TestTrainers.cpu().precision(Precision.FP16_MIXED).maxEpochs(1)
                .limitTrainBatches(Limit.count(1)).limitValBatches(Limit.NONE).build(),
                TrainerPlugins.of(cpuCalledCuda(), new SingleDeviceStrategy()));

        TorchlightException e = assertThrows(TorchlightException.class, () -> trainer.fit(model));

        assertTrue(e.getMessage(), e.getMessage().startsWith("precision=16-mixed and the LBFGS optimizer of "));
        assertEquals("nothing trained", 0, trainer.view().globalStep());
    }
}
