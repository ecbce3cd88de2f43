package io.torchlight.utils.optim;

import java.util.function.IntToDoubleFunction;

import org.bytedeco.pytorch.Optimizer;

/** Sets the rate to the initial rate times {@code lambda(step)}. */
public final class LambdaLR extends LrScheduler {

    private final IntToDoubleFunction lambda;

    public LambdaLR(Optimizer optimizer, IntToDoubleFunction lambda) {
        super(optimizer);
        this.lambda = lambda;
        initialize();
    }

    @Override
    protected double lrAt(int epoch, double baseLr) {
        return baseLr * lambda.applyAsDouble(epoch);
    }
}
