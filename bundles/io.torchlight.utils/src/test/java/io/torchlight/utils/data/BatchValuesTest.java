package io.torchlight.utils.data;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.junit.Test;

/** Batches of a user's own structure: values that are not tensors travel with the batch, movable ones move with it. */
public class BatchValuesTest {

    /** A sample of a text and its label. */
    record Review(String text, long label) {
    }

    /** A user type holding a tensor of its own. */
    record Mask(Tensor tensor, String device) implements Movable {
        @Override
        public Movable to(Device target) {
            return new Mask(tensor.to(target, tensor.scalar_type()), target.str().getString());
        }
    }

    @Test
    public void aCollateFunctionMayAddTextsAndIdsThatSurviveTransforms() {
        List<Review> reviews = List.of(new Review("good", 1), new Review("bad", 0), new Review("fine", 1));
        Collate<Review> collate = samples -> {
            List<String> texts = new ArrayList<>();
            long[] labels = new long[samples.size()];
            for (int i = 0; i < samples.size(); i++) {
                texts.add(samples.get(i).text());
                labels[i] = samples.get(i).label();
            }
            return Batch.named(Map.of("labels", Tensor.create(labels))).withValues(Map.of("texts", texts));
        };
        Dataset<Review> data = new Dataset<>() {
            @Override
            public Review get(long index) {
                return reviews.get((int) index);
            }

            @Override
            public long size() {
                return reviews.size();
            }
        };

        Batch first = DataLoader.of(data, collate).batchSize(2).build().iterator().next();

        assertEquals(List.of("good", "bad"), first.value("texts"));
        assertEquals(2, first.size());
        Batch mapped = first.map(t -> t.mul(new Scalar(2)));
        assertEquals(List.of("good", "bad"), mapped.value("texts"));
        assertEquals(2, mapped.get("labels").get(0).item_long());
        assertSame(first, first.to(new Device("cpu")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> first.value("ids"));
        assertTrue(e.getMessage(), e.getMessage().contains("values: [texts]"));
        assertThrows(IllegalArgumentException.class, () -> first.withValues(Map.of("t", Tensor.create(1L))));
    }

    @Test
    public void movableValuesGoToTheDeviceWithTheBatch() {
        Batch batch = Batch.of(Tensor.create(1f, 2f)).withValues(Map.of("mask", new Mask(Tensor.create(1L), "before"), "id", 7));

        Batch moved = batch.to(new Device("cpu"));

        assertEquals("cpu", ((Mask) moved.value("mask")).device());
        assertEquals(7, moved.value("id"));
    }
}
