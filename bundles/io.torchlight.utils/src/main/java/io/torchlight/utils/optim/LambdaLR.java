package io.torchlight.utils.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    @Override
    protected void settings(Map<String, Object> state) {
        // PyTorch saves a plain function as None: it is code, not state
        List<Object> lambdas = new ArrayList<>();
        for (int g = 0; g < baseLrs().size(); g++) {
            lambdas.add(null);
        }
        state.put("lr_lambdas", lambdas);
    }
}
