package io.torchlight.bench;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import io.torchlight.api.strategy.ReduceOp;
import io.torchlight.strategy.ddp.DdpStrategy;

/**
 * One rank of the all-reduce floor (bench/ddp.sh starts two): the ranks do nothing but sum a float tensor of the
 * given length over Gloo, 20 times to warm up and 100 times measured; prints the mean time of one. What a training
 * step's gradient all-reduce costs on this machine at best. Argument: {@code <floats>}.
 */
public final class AllReduceLatency {

    private AllReduceLatency() {
    }

    public static void main(String[] args) {
        DdpStrategy ddp = new DdpStrategy();
        long floats = Long.parseLong(args[0]);
        Tensor values = torch.ones(floats);
        for (int i = 0; i < 20; i++) {
            ddp.reduce(values, ReduceOp.SUM);
        }
        ddp.barrier("measure");
        long start = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            ddp.reduce(values, ReduceOp.SUM);
        }
        System.out.printf("rank %d of %d: all-reduce of %d floats %.2f ms%n", ddp.globalRank(), ddp.worldSize(), floats,
                (System.nanoTime() - start) / 1e6 / 100);
    }
}
