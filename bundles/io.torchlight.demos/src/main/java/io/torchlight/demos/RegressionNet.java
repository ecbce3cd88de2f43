package io.torchlight.demos;

import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import io.torchlight.api.LightningModule;
import io.torchlight.api.LogOptions;
import io.torchlight.api.optim.OptimizerConfig;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.data.DataLoader;
import io.torchlight.utils.data.TensorDataset;
import io.torchlight.utils.optim.StepLR;

/**
 * A small regression MLP that uses everything an exact resume has to restore: dropout (the random generator),
 * shuffled batches, Adam's moments and an epoch StepLR. Its layers ({@code hidden}, {@code out}) take their initial
 * weights from the generator when it is made: seed first for repeatable runs. For resume, kill and soak tests.
 */
public class RegressionNet extends LightningModule {

    private final LinearImpl hidden;
    private final LinearImpl out;
    private final Tensor x;
    private final Tensor y;
    private final int batchSize;
    private final double dropout;
    private final double gamma;

    /**
     * @param x         inputs, one row per sample
     * @param y         targets, one row per sample
     * @param width     the hidden layer's width
     * @param batchSize samples per batch
     * @param dropout   dropout probability after the hidden layer
     * @param gamma     the StepLR factor applied after every epoch
     */
    public RegressionNet(Tensor x, Tensor y, int width, int batchSize, double dropout, double gamma) {
        this.hidden = registerModule("hidden", new LinearImpl(x.size(1), width));
        this.out = registerModule("out", new LinearImpl(width, y.size(1)));
        this.x = x;
        this.y = y;
        this.batchSize = batchSize;
        this.dropout = dropout;
        this.gamma = gamma;
    }

    @Override
    public Tensor forward(Tensor input) {
        return out.forward(torch.dropout(torch.relu(hidden.forward(input)), dropout, is_training()));
    }

    @Override
    public Object trainingStep(Batch batch, int batchIdx) {
        Tensor loss = torch.mse_loss(forward(batch.input()), batch.target());
        log("train_loss", loss, LogOptions.defaults().onEpoch(true));
        return loss;
    }

    @Override
    public Object configureOptimizers() {
        Adam adam = new Adam(parameters(), new AdamOptions(0.01));
        return OptimizerConfig.of(adam).scheduler(new StepLR(adam, 1, gamma));
    }

    @Override
    public DataLoader trainDataloader() {
        return DataLoader.of(new TensorDataset(x, y)).batchSize(batchSize).shuffle(true).build();
    }
}
