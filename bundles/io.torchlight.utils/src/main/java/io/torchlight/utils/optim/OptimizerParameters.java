package io.torchlight.utils.optim;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Optimizer;
import org.bytedeco.pytorch.OptimizerParamGroupVector;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;

/**
 * The parameters an optimizer updates, group after group in order (how PyTorch numbers them in its state dict),
 * read through the groups: libtorch's own {@code Optimizer::parameters()} is deprecated and warns on the console.
 */
public final class OptimizerParameters {

    private OptimizerParameters() {
    }

    public static List<Tensor> of(Optimizer optimizer) {
        List<Tensor> out = new ArrayList<>();
        try (OptimizerParamGroupVector groups = optimizer.param_groups()) {
            for (long g = 0; g < groups.size(); g++) {
                TensorVector params = groups.get(g).params();
                for (long i = 0; i < params.size(); i++) {
                    out.add(params.get(i));
                }
            }
        }
        return out;
    }

    /** The same, as the vector libtorch's functions (clip_grad_norm_) take. */
    public static TensorVector vector(Optimizer optimizer) {
        return new TensorVector(of(optimizer).toArray(new Tensor[0]));
    }
}
