package io.torchlight.core.internal.checkpoint;

import java.util.List;
import java.util.function.Function;

import org.bytedeco.pytorch.Adagrad;
import org.bytedeco.pytorch.AdagradOptions;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.AdamW;
import org.bytedeco.pytorch.AdamWOptions;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Optimizer;
import org.bytedeco.pytorch.RMSprop;
import org.bytedeco.pytorch.RMSpropOptions;
import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/** Each libtorch optimizer Torchlight translates, set up to keep every kind of state it has, and a few steps of it. */
final class StatefulOptimizers {

    /** SGD with Nesterov momentum, Adam with AMSGrad, AdamW, centred RMSprop with momentum, Adagrad. */
    static final List<Function<TensorVector, Optimizer>> ALL = List.of(
            p -> new SGD(p, sgd()),
            p -> new Adam(p, amsgrad()),
            p -> new AdamW(p, new AdamWOptions(0.01)),
            p -> new RMSprop(p, rmsprop()),
            p -> new Adagrad(p, new AdagradOptions(0.05)));

    private StatefulOptimizers() {
    }

    private static SGDOptions sgd() {
        SGDOptions o = new SGDOptions(0.1);
        o.momentum().put(0.9);
        o.nesterov().put(true);
        return o;
    }

    private static RMSpropOptions rmsprop() {
        RMSpropOptions o = new RMSpropOptions(0.01);
        o.momentum().put(0.5);
        o.centered().put(true);
        return o;
    }

    private static AdamOptions amsgrad() {
        AdamOptions o = new AdamOptions(0.01);
        o.amsgrad().put(true);
        return o;
    }

    /** How many state tensors the optimizer keeps per parameter, as set up here. */
    static int stateTensorsPerParameter(Optimizer optimizer) {
        if (optimizer instanceof Adam || optimizer instanceof RMSprop) {
            return 3; // exp_avg, exp_avg_sq, max_exp_avg_sq / square_avg, momentum_buffer, grad_avg
        }
        return optimizer instanceof AdamW ? 2 : 1; // exp_avg, exp_avg_sq / momentum_buffer / sum
    }

    /** Steps on a fixed input, the layer's squared output summed as the loss. */
    static void train(LinearImpl layer, Optimizer optimizer, int steps) {
        Tensor x = torch.linspace(new Scalar(-1), new Scalar(1), 24).reshape(8, 3);
        for (int i = 0; i < steps; i++) {
            optimizer.zero_grad();
            layer.forward(x).pow(new Scalar(2)).sum().backward();
            optimizer.step();
        }
    }
}
