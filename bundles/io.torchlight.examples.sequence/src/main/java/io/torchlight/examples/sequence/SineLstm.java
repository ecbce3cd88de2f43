package io.torchlight.examples.sequence;

import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.LSTMCellImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import io.torchlight.api.LightningModule;
import io.torchlight.api.LogOptions;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.data.DataLoader;
import io.torchlight.utils.data.TensorDataset;

/**
 * An LSTM cell that predicts the next value of noisy sine waves, trained with truncated back-propagation through
 * time as Lightning's {@code truncated_bptt_steps}: each batch of {@value #LENGTH} time steps is split into
 * {@value #SPLIT}-step pieces, one optimizer step each, the cell's {@code (h, c)} carried from one piece to the next
 * (detached by the trainer). Validation runs whole sequences from a zero state and logs {@code val_loss}.
 */
public class SineLstm extends LightningModule {

    /** Time steps per sequence. */
    public static final int LENGTH = 40;
    /** Time steps per truncated back-propagation piece. */
    public static final int SPLIT = 10;
    private static final int HIDDEN = 32;

    private final LSTMCellImpl cell = registerModule("cell", new LSTMCellImpl(1, HIDDEN));
    private final LinearImpl head = registerModule("head", new LinearImpl(HIDDEN, 1));

    public SineLstm() {
        truncatedBpttSteps(SPLIT);
    }

    /** Predictions for every step of {@code x} [B, T, 1] from the state {@code (h, c)} (null: zeros); returns them and the last state. */
    private Map<String, Object> run(Tensor x, List<?> state) {
        long batch = x.size(0);
        Tensor h = state == null ? torch.zeros(batch, HIDDEN) : (Tensor) state.get(0);
        Tensor c = state == null ? torch.zeros(batch, HIDDEN) : (Tensor) state.get(1);
        TensorVector outputs = new TensorVector();
        for (long t = 0; t < x.size(1); t++) {
            T_TensorTensor_T next = cell.forward(x.select(1, t), new T_TensorTensor_T(h, c));
            h = next.get0();
            c = next.get1();
            outputs.push_back(head.forward(h));
        }
        return Map.of("predictions", torch.stack(outputs, 1), "state", List.of(h, c));
    }

    @Override
    public Tensor forward(Tensor x) {
        return (Tensor) run(x, null).get("predictions");
    }

    @Override
    public Object trainingStep(Batch split, int batchIdx, int optimizerIdx, Object hiddens) {
        Map<String, Object> out = run(split.input(), (List<?>) hiddens);
        Tensor loss = torch.mse_loss((Tensor) out.get("predictions"), split.target());
        log("train_loss", loss, LogOptions.defaults().progBar(true));
        return Map.of("loss", loss, "hiddens", out.get("state"));
    }

    @Override
    public Object validationStep(Batch batch, int batchIdx) {
        log("val_loss", torch.mse_loss(forward(batch.input()), batch.target()), LogOptions.defaults().progBar(true));
        return null;
    }

    @Override
    public Object configureOptimizers() {
        return new Adam(parameters(), new AdamOptions(0.01));
    }

    @Override
    public DataLoader trainDataloader() {
        return DataLoader.of(waves(256, 1)).batchSize(32).shuffle(true).build();
    }

    @Override
    public DataLoader valDataloader() {
        return DataLoader.of(waves(64, 2)).batchSize(64).build();
    }

    /** {@code n} sine waves of random frequency and phase: inputs are steps 0..T-1, targets steps 1..T. */
    static TensorDataset waves(int n, long seed) {
        torch.manual_seed(seed);
        Tensor freq = torch.rand(n, 1).mul(new Scalar(0.3)).add(new Scalar(0.1));
        Tensor phase = torch.rand(n, 1).mul(new Scalar(2 * Math.PI));
        Tensor t = torch.arange(new Scalar(LENGTH + 1)).to(torch.ScalarType.Float).unsqueeze(0);
        Tensor wave = torch.sin(t.mul(freq).add(phase)).unsqueeze(2);
        return new TensorDataset(wave.narrow(1, 0, LENGTH).contiguous(), wave.narrow(1, 1, LENGTH).contiguous());
    }
}
