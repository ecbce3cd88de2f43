package io.torchlight.bench.soak;

import java.nio.file.Files;
import java.nio.file.Path;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import io.torchlight.accelerator.cpu.CpuAccelerator;
import io.torchlight.api.Callback;
import io.torchlight.api.CkptPath;
import io.torchlight.api.Data;
import io.torchlight.api.LightningModule;
import io.torchlight.api.Limit;
import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.TrainerPlugins;
import io.torchlight.api.TrainerView;
import io.torchlight.callback.checkpoint.ModelCheckpoint;
import io.torchlight.core.Torchlight;
import io.torchlight.demos.RegressionNet;
import io.torchlight.strategy.single.SingleDeviceStrategy;
import io.torchlight.utils.data.Batch;

/**
 * One training process of the soak's kill loop: a small net (shuffled data, dropout, Adam, an epoch StepLR)
 * with ModelCheckpoint every 8 steps and last.ckpt in {@code args[0]}, resumed from last.ckpt when present;
 * prints each step so the soak can kill it anywhere, and saves the end state to {@code args[1]}.
 */
public final class SoakChild {

    static final int EPOCHS = 4;
    static final int BATCHES = 50;
    static final long STEPS = (long) EPOCHS * BATCHES;

    private SoakChild() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        Path last = dir.resolve("last.ckpt");
        ModelCheckpoint checkpoint = new ModelCheckpoint(ModelCheckpoint.Settings.defaults().file(dir, "{step}")
                .every(8, 0).last(true));
        Callback announce = new Callback() {
            @Override
            public void onTrainBatchEnd(TrainerView trainer, LightningModule module, Object outputs, Batch batch, int batchIdx) {
                System.out.println("step " + trainer.globalStep());
            }
        };
        Trainer trainer = Torchlight.trainer(TrainerConfig.builder()
                .maxEpochs(EPOCHS).limitValBatches(Limit.NONE).seed(5L).deterministic(true)
                .enableProgressBar(false).enableModelSummary(false).defaultRootDir(dir.resolve("run"))
                .build(), TrainerPlugins.of(new CpuAccelerator(1), new SingleDeviceStrategy()).withCallback(checkpoint).withCallback(announce));
        torch.manual_seed(11);
        Tensor x = torch.randn(BATCHES * 8, 32);
        Tensor y = torch.randn(BATCHES * 8, 1);
        RegressionNet net = new RegressionNet(x, y, 64, 8, 0.3, 0.7);
        if (Files.exists(last)) {
            trainer.fit(net, Data.fromModule(), CkptPath.of(last));
        } else {
            trainer.fit(net);
        }
        trainer.saveCheckpoint(Path.of(args[1]), false);
        System.out.println("done " + trainer.view().globalStep());
    }
}
