package io.torchlight.utils.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.osgi.annotation.versioning.ConsumerType;

/** Turns the samples of one batch into a {@link Batch}, like a {@code collate_fn}. */
@ConsumerType
@FunctionalInterface
public interface Collate<T> {

    /** Makes one batch of these samples (in sampling order). */
    Batch collate(List<T> samples);

    /** The default for batches of per-sample tensors: stacks position i of every sample into tensor i. */
    static Collate<Batch> stack() {
        return samples -> {
            int width = samples.get(0).count();
            List<Tensor> stacked = new ArrayList<>(width);
            for (int i = 0; i < width; i++) {
                try (TensorVector column = new TensorVector()) {
                    for (Batch sample : samples) {
                        column.push_back(sample.get(i));
                    }
                    stacked.add(torch.stack(column));
                }
            }
            Batch first = samples.get(0);
            return first.names().isPresent() ? Batch.named(zip(first.names().get(), stacked)) : Batch.of(stacked);
        };
    }

    private static Map<String, Tensor> zip(List<String> names, List<Tensor> tensors) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            m.put(names.get(i), tensors.get(i));
        }
        return m;
    }
}
