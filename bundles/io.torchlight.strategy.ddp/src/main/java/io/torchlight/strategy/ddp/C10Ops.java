package io.torchlight.strategy.ddp;

import org.bytedeco.pytorch.AllreduceOptions;
import org.bytedeco.pytorch.ReduceOp;

/** Torchlight's reduce operations as c10d's all-reduce options (a mean is a sum divided by the world size after). */
final class C10Ops {

    private C10Ops() {
    }

    static AllreduceOptions allreduce(io.torchlight.api.strategy.ReduceOp op) {
        ReduceOp.RedOpType type = switch (op) {
            case SUM, MEAN -> ReduceOp.RedOpType.SUM;
            case MAX -> ReduceOp.RedOpType.MAX;
            case MIN -> ReduceOp.RedOpType.MIN;
        };
        return new AllreduceOptions().reduceOp(new ReduceOp(type));
    }
}
