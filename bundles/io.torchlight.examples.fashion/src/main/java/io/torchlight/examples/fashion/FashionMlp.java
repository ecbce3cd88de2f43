package io.torchlight.examples.fashion;

import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** A 784-128-10 multilayer perceptron. */
public class FashionMlp extends FashionModule {

    private final LinearImpl hidden = registerModule("hidden", new LinearImpl(784, 128));
    private final LinearImpl out = registerModule("out", new LinearImpl(128, 10));

    @Override
    public Tensor forward(Tensor images) {
        return out.forward(torch.relu(hidden.forward(images.flatten(1, -1))));
    }
}
