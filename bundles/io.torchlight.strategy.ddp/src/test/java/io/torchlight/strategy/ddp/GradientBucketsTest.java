package io.torchlight.strategy.ddp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorArrayRefOptional;
import org.bytedeco.pytorch.global.torch;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import io.torchlight.api.TorchlightException;

/**
 * The buckets inside one process, on real autograd: the "other rank" of these tests sent exactly this rank's bucket,
 * so an all-reduce doubles it and the mean is this rank's gradient again. What they pin: the all-reduces start while
 * backward runs, last layer first; accumulated gradients are averaged whole; an unused parameter keeps no gradient;
 * a gradient arriving twice in one pass is a clear error; closed buckets leave the parameters alone.
 * (Two real ranks, where the mean differs from each rank's own, are {@link DdpEquivalenceTest}'s.)
 */
public class GradientBucketsTest {

    private LinearImpl first;
    private LinearImpl second;
    private LinearImpl unused;
    private final List<String> launches = new ArrayList<>();
    private boolean inBackward;
    private GradientBuckets buckets;

    @Before
    public void layers() {
        torch.manual_seed(3);
        first = new LinearImpl(5, 4);
        second = new LinearImpl(4, 2);
        unused = new LinearImpl(4, 2);
    }

    @After
    public void close() {
        if (buckets != null) {
            buckets.close();
        }
    }

    /** Buckets over the three layers' parameters (weight, bias each), recording each all-reduce as it starts. */
    private GradientBuckets buckets(GradientBuckets.Caps caps) {
        List<Tensor> params = List.of(first.weight(), first.bias(), second.weight(), second.bias(), unused.weight(), unused.bias());
        buckets = new GradientBuckets(params, caps, 2, (flat, what) -> {
            launches.add(flat.numel() + (inBackward ? " during backward" : " after backward"));
            flat.mul_(new Scalar(2.0));
            return () -> { };
        });
        return buckets;
    }

    private Tensor loss(long seed) {
        torch.manual_seed(seed);
        return second.forward(torch.relu(first.forward(torch.randn(8, 5)))).pow(new Scalar(2.0)).mean();
    }

    private void backward(Tensor loss, boolean retainGraph) {
        inBackward = true;
        try {
            loss.backward(new Tensor(), new BoolOptional(retainGraph), false, new TensorArrayRefOptional());
        } finally {
            inBackward = false;
        }
    }

    @Test
    public void eachFullBucketStartsWhileBackwardRunsLastLayerFirst() {
        GradientBuckets b = buckets(new GradientBuckets.Caps(1, 1)); // one parameter a bucket
        assertEquals(6, b.bucketCount());
        backward(loss(1), false);
        // buckets 0, 1 hold the unused layer (reverse order), which no hook completes: nothing can start before them
        assertEquals(List.of(), launches);
        b.finish();
        assertEquals("the unused layer's buckets start after backward, then every other in index order (size + used-flag, "
                + "the last + the control number)", List.of("3 after backward", "9 after backward", "3 after backward",
                        "9 after backward", "5 after backward", "22 after backward"), launches);

        launches.clear();
        buckets.close();
        buckets = new GradientBuckets(List.of(first.weight(), first.bias(), second.weight(), second.bias()), new GradientBuckets.Caps(1, 1),
                2, (flat, what) -> {
                    launches.add(flat.numel() + (inBackward ? " during backward" : " after backward"));
                    return () -> { };
                });
        backward(loss(1), false);
        assertEquals("every bucket of used parameters starts inside backward, the last layer's bias first (1 + its used-flag)",
                List.of("3 during backward", "9 during backward", "5 during backward", "22 during backward"), launches);
        buckets.finish();
        assertEquals(4, launches.size());
    }

    @Test
    public void theMeanCoversTheWholeAccumulatedGradient() {
        GradientBuckets b = buckets(GradientBuckets.Caps.DEFAULT);
        assertEquals("small layers of one dtype fill one bucket", 1, b.bucketCount());
        backward(loss(1), false);
        Tensor once = first.weight().grad().clone();
        b.finish();
        assertTrue("one pass: the mean of two equal ranks is this rank's gradient", torch.allclose(once, first.weight().grad()));

        backward(loss(2), false);
        Tensor accumulated = first.weight().grad().clone();
        assertFalse(torch.allclose(once, accumulated));
        b.finish();
        assertTrue("a second pass averages the accumulated sum, not just its own part",
                torch.allclose(accumulated, first.weight().grad()));

        b.control(3); // what ddp's stop agreement sends: summed over the ranks, apart from the gradients
        backward(loss(3), false);
        Tensor third = first.weight().grad().clone();
        b.finish();
        assertEquals("both ranks' 3", 6.0, b.receivedControl(), 0);
        assertTrue(torch.allclose(third, first.weight().grad()));
    }

    @Test
    public void aParameterNoRankUsedKeepsNoGradientAndAnAccumulatedOneKeepsItsOwn() {
        GradientBuckets b = buckets(GradientBuckets.Caps.DEFAULT);
        backward(loss(1), false);
        b.finish();
        assertFalse("used by no rank: no gradient, so optimizers skip it as torch's DDP leaves it", unused.weight().grad().defined());
        assertTrue(second.weight().grad().defined());

        Tensor secondGrad = second.weight().grad().clone();
        torch.manual_seed(4);
        backward(first.forward(torch.randn(8, 5)).sum(), false); // a pass through the first layer only
        b.finish();
        assertTrue("unused this pass but with a gradient from the last: that gradient, averaged",
                torch.allclose(secondGrad, second.weight().grad()));
    }

    @Test
    public void aGradientArrivingTwiceInOnePassFailsClearlyAndTheNextPassWorks() {
        GradientBuckets b = buckets(GradientBuckets.Caps.DEFAULT);
        Tensor loss = loss(1);
        backward(loss, true);
        backward(loss, false);
        TorchlightException e = assertThrows(TorchlightException.class, b::finish);
        assertTrue(e.getMessage(), e.getMessage().contains("received its gradient twice in one backward pass"));
        assertTrue(e.getMessage(), e.getMessage().contains("call backward once per training step (sum the losses first)"));

        first.weight().grad().zero_();
        backward(loss(1), false);
        Tensor grad = first.weight().grad().clone();
        b.finish();
        assertTrue(torch.allclose(grad, first.weight().grad()));
    }

    @Test
    public void closedBucketsLeaveTheParametersAlone() {
        buckets(GradientBuckets.Caps.DEFAULT).close();
        buckets = null;
        backward(loss(1), false);
        assertEquals("the hooks are gone", List.of(), launches);
        assertTrue(first.weight().grad().defined());
    }
}
