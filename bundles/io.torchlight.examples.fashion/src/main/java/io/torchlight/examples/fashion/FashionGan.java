package io.torchlight.examples.fashion;

import java.util.List;

import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.LeakyReLUImpl;
import org.bytedeco.pytorch.LeakyReLUOptions;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.SequentialImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import io.torchlight.api.LightningModule;
import io.torchlight.api.LogOptions;
import io.torchlight.api.Stage;
import io.torchlight.api.optim.OptimizerConfig;
import io.torchlight.utils.data.Batch;
import io.torchlight.utils.data.DataLoader;

/**
 * A generative adversarial network on Fashion-MNIST, Lightning's basic GAN example: a generator from 64 noise values
 * to 28x28 images and a discriminator of real from generated, each with its own Adam; the training step gets the
 * optimizer's index (0 the generator, 1 the discriminator), and the trainer lets only that optimizer's parameters
 * take gradients while it steps. Logs {@code g_loss} and {@code d_loss}.
 */
public class FashionGan extends LightningModule {

    /** Noise values per generated image. */
    public static final int LATENT = 64;

    private final SequentialImpl generator = registerModule("generator", new SequentialImpl());
    private final SequentialImpl discriminator = registerModule("discriminator", new SequentialImpl());
    private final FashionDataModule data = new FashionDataModule(null, 64, 0);

    public FashionGan() {
        generator.push_back("fc1", new LinearImpl(LATENT, 256));
        generator.push_back("act", leakyRelu());
        generator.push_back("fc2", new LinearImpl(256, 784));
        discriminator.push_back("fc1", new LinearImpl(784, 256));
        discriminator.push_back("act", leakyRelu());
        discriminator.push_back("fc2", new LinearImpl(256, 1));
    }

    private static LeakyReLUImpl leakyRelu() {
        LeakyReLUOptions options = new LeakyReLUOptions();
        options.negative_slope().put(0.2);
        return new LeakyReLUImpl(options);
    }

    /** Images in [-1, 1], [N, 1, 28, 28], from noise [N, 64]. */
    @Override
    public Tensor forward(Tensor noise) {
        return torch.tanh(generator.forward(noise)).view(-1, 1, 28, 28);
    }

    /** The discriminator's logit that each image is real. */
    public Tensor realness(Tensor images) {
        return discriminator.forward(images.flatten(1, -1));
    }

    @Override
    public void prepareData() {
        data.prepareData();
    }

    @Override
    public void setup(Stage stage) {
        data.setup(stage);
    }

    @Override
    public DataLoader trainDataloader() {
        return data.trainDataloader();
    }

    @Override
    public Object trainingStep(Batch batch, int batchIdx, int optimizerIdx) {
        // the data module normalises by Fashion-MNIST's mean and std; the generator draws in [-1, 1]
        Tensor real = batch.input().mul(scalar(FashionData.STD)).add(scalar(FashionData.MEAN)).mul(scalar(2)).sub(scalar(1));
        Tensor noise = torch.randn(real.size(0), LATENT);
        Tensor fake = forward(noise);
        if (optimizerIdx == 0) {
            Tensor gLoss = torch.binary_cross_entropy_with_logits(realness(fake), torch.ones(real.size(0), 1));
            log("g_loss", gLoss, LogOptions.defaults().progBar(true));
            return gLoss;
        }
        Tensor realLoss = torch.binary_cross_entropy_with_logits(realness(real), torch.ones(real.size(0), 1));
        Tensor fakeLoss = torch.binary_cross_entropy_with_logits(realness(fake.detach()), torch.zeros(real.size(0), 1));
        Tensor dLoss = realLoss.add(fakeLoss).div(scalar(2));
        log("d_loss", dLoss, LogOptions.defaults().progBar(true));
        return dLoss;
    }

    @Override
    public Object configureOptimizers() {
        return OptimizerConfig.of(List.of(new Adam(generator.parameters(), adam()), new Adam(discriminator.parameters(), adam())));
    }

    /** Lightning's GAN example: lr 2e-4, betas (0.5, 0.999). */
    private static AdamOptions adam() {
        AdamOptions options = new AdamOptions(2e-4);
        options.betas().put(0, 0.5);
        options.betas().put(1, 0.999);
        return options;
    }

    private static Scalar scalar(double v) {
        return new Scalar(v);
    }
}
