package io.torchlight.utils.data;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.Test;

/**
 * Batches of nested structures: the batch size found as Lightning 1.6.5's {@code test_extract_batch_size}
 * (tests/utilities/test_data.py) asserts, and every tensor moved as its {@code test_single_gpu_batch_parse}
 * (tests/models/test_gpu.py) asserts for lists, dicts, nested collections and custom types with {@code .to()} — here
 * onto libtorch's meta device, so the move is seen on a machine without a GPU.
 */
public class BatchStructuresTest {

    private static final Device META = new Device("meta");

    /** A user type of its own, as Lightning's CustomBatch: moved through the interface, sized from its tensors. */
    record Tokens(Tensor ids, Tensor mask) implements Movable {
        @Override
        public Movable to(Device device) {
            return new Tokens(ids.to(device, ids.scalar_type()), mask.to(device, mask.scalar_type()));
        }

        @Override
        public List<Tensor> tensors() {
            return List.of(ids, mask);
        }
    }

    /** A user type that moves but does not say what it holds. */
    record Opaque(Tensor x) implements Movable {
        @Override
        public Movable to(Device device) {
            return new Opaque(x.to(device, x.scalar_type()));
        }
    }

    private static Tensor zeros(long... shape) {
        return torch.zeros(shape);
    }

    @Test
    public void theSizeIsTheFirstTensorsDimZeroWhereverItIsNested() {
        assertEquals(11, Batch.of(zeros(11, 10, 9, 8)).size());
        assertEquals(11, Batch.ofValues(Map.of("test", List.of(zeros(11, 10)))).size());
        assertEquals(11, Batch.ofValues(Map.of("test", List.of(Map.of("test", List.of(zeros(11, 10)))))).size());
        assertEquals(7, Batch.ofValues(Map.of("tokens", new Tokens(zeros(7, 3), zeros(7, 3)))).size());
        assertEquals(1, Batch.of(Tensor.create(3f).reshape()).size());
        // the batch's own tensors come before those in its values
        assertEquals(4, Batch.of(zeros(4, 2)).withValues(Map.of("more", List.of(zeros(9)))).size());
    }

    @Test
    public void allTensorsListsTheBatchsOwnThenTheNestedOnesInOrder() {
        Batch batch = Batch.of(zeros(10, 10)).withValues(Map.of("test", List.of(zeros(11, 10), Map.of("k", zeros(12)))));

        List<Long> sizes = new ArrayList<>();
        batch.allTensors().forEach(t -> sizes.add(Batch.sizeOf(t)));

        assertEquals(List.of(10L, 11L, 12L), sizes);
    }

    @Test
    public void aBatchWithoutTensorsHasNoSizeButStillDescribesItself() {
        Batch texts = Batch.ofValues(Map.of("test", List.of("some text", "some text", "some text")));
        Batch opaque = Batch.ofValues(Map.of("custom", new Opaque(zeros(7, 2))));

        IllegalStateException e = assertThrows(IllegalStateException.class, texts::size);
        assertTrue(e.getMessage(), e.getMessage().contains("no tensor") && e.getMessage().contains("[test]"));
        assertThrows(IllegalStateException.class, opaque::size);
        assertTrue(texts.toString(), texts.toString().contains("size=?"));
        IndexOutOfBoundsException noInput = assertThrows(IndexOutOfBoundsException.class, texts::input);
        assertTrue(noInput.getMessage(), noInput.getMessage().contains("value(name)"));
    }

    @Test
    public void everyNestedTensorGoesToTheDeviceAndTheRestStaysAsItIs() {
        Batch batch = Batch.of(zeros(2, 3)).withValues(Map.of(
                "list", List.of(zeros(2), List.of(zeros(2, 1))),
                "map", Map.of("a", zeros(2), "b", Map.of("c", zeros(2))),
                "tokens", new Tokens(zeros(2, 4), zeros(2, 4)),
                "texts", List.of("a", "b")));

        Batch moved = batch.to(META);

        assertEquals(7, moved.allTensors().size());
        moved.allTensors().forEach(t -> assertTrue(t.device().str().getString(), t.is_meta()));
        batch.allTensors().forEach(t -> assertTrue("the original batch is unchanged", t.is_cpu()));
        assertEquals(List.of("a", "b"), moved.value("texts"));
        Batch plain = Batch.of(zeros(2, 3)).withValues(Map.of("list", List.of(zeros(2)), "texts", List.of("a", "b")));
        assertSame("already there: nothing to move", plain, plain.to(new Device("cpu")));
    }

    @Test
    public void theCombinedBatchMovesItsPartsValues() {
        Batch first = Batch.of(zeros(2, 3)).withValues(Map.of("tokens", new Tokens(zeros(2, 4), zeros(2, 4))));
        Batch second = Batch.ofValues(Map.of("xs", List.of(zeros(5, 1))));

        Batch moved = Batch.combined(List.of(first, second)).to(META);

        assertTrue(((Tokens) moved.part(0).value("tokens")).ids().is_meta());
        assertTrue(moved.part(0).input().is_meta());
        assertTrue(moved.part(1).allTensors().get(0).is_meta());
        assertEquals(2, moved.size());
    }

    @Test
    public void mapTransformsNestedTensorsAndKeepsMovables() {
        Tokens tokens = new Tokens(zeros(2), zeros(2));
        Batch batch = Batch.ofValues(Map.of("xs", List.of(Tensor.create(1f, 2f)), "tokens", tokens));

        Batch doubled = batch.map(t -> t.mul(new Scalar(2f)));

        Tensor x = (Tensor) ((List<?>) doubled.value("xs")).get(0);
        assertEquals(4f, x.get(1).item_float(), 0f);
        assertSame(tokens, doubled.value("tokens"));
    }

    @Test
    public void aValueThatHoldsItselfIsRefusedRatherThanOverflowingTheStack() {
        List<Object> loop = new ArrayList<>();
        loop.add(loop);
        Batch batch = Batch.of(zeros(1)).withValues(Map.of("loop", loop));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> batch.to(META));
        assertTrue(e.getMessage(), e.getMessage().contains("hold itself"));
        assertThrows(IllegalArgumentException.class, batch::allTensors);
    }

    @Test
    public void aValuesOnlyBatchNeedsAValueAndATensorValueBelongsToTheTensors() {
        assertThrows(IllegalArgumentException.class, () -> Batch.ofValues(Map.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Batch.ofValues(Map.of("x", zeros(1))));
        assertTrue(e.getMessage(), e.getMessage().contains("Batch.named"));
        assertFalse(Batch.ofValues(Map.of("id", 3)).isCombined());
    }
}
