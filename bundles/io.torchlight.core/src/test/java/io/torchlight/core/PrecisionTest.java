package io.torchlight.core;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.DeviceType;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.Test;

import io.torchlight.api.Limit;
import io.torchlight.api.Trainer;
import io.torchlight.api.data.Batch;
import io.torchlight.api.demos.BoringModel;

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

    private static Recording fit(String precision) {
        Recording model = new Recording();
        Trainer trainer = Torchlight.trainer(TestTrainers.cpu().precision(precision).maxEpochs(1)
                .limitTrainBatches(Limit.count(4)).limitValBatches(Limit.count(2)).build());
        trainer.fit(model);
        assertEquals(4, trainer.globalStep());
        assertTrue(Double.isFinite(trainer.callbackMetrics().get("train_loss")));
        return model;
    }

    @Test
    public void bf16MixedAutocastsTheLinearLayersAndKeepsFloat32Parameters() {
        Recording model = fit("bf16-mixed");

        assertEquals(ScalarType.Float, model.inputs.get(0));
        assertEquals(List.of(ScalarType.BFloat16), model.outputs.stream().distinct().toList());
        assertEquals(List.of(ScalarType.BFloat16), model.validationOutputs.stream().distinct().toList());
        assertEquals(ScalarType.Float, model.parameters().get(0).scalar_type().intern());
        assertFalse("autocast is off again after the run", torch.is_autocast_enabled(DeviceType.CPU));
    }

    @Test
    public void sixtyFourBitTrainsInDouble() {
        Recording model = fit("64");

        assertEquals(List.of(ScalarType.Double), model.inputs.stream().distinct().toList());
        assertEquals(List.of(ScalarType.Double), model.outputs.stream().distinct().toList());
        assertEquals(ScalarType.Double, model.parameters().get(0).scalar_type().intern());
    }

    @Test
    public void thirtyTwoBitIsUntouched() {
        Recording model = fit("32");

        assertEquals(List.of(ScalarType.Float), model.outputs.stream().distinct().toList());
    }
}
