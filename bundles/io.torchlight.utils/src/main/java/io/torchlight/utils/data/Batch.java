package io.torchlight.utils.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;

/**
 * One batch: ordered tensors (inputs, targets, ...) with optional names, all sharing the batch
 * dimension 0. Immutable; the transforms return new batches.
 */
public final class Batch {

    private final List<Tensor> tensors;
    private final List<String> names;
    private long size = -1;

    private Batch(List<Tensor> tensors, List<String> names) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("a batch holds at least one tensor");
        }
        this.tensors = Collections.unmodifiableList(tensors);
        this.names = names == null ? null : Collections.unmodifiableList(names);
    }

    /** A batch of these tensors, in order (e.g. input, target). */
    public static Batch of(Tensor... tensors) {
        return new Batch(List.of(tensors), null);
    }

    /** A batch of these tensors, in order. */
    public static Batch of(List<Tensor> tensors) {
        return new Batch(new ArrayList<>(tensors), null);
    }

    /** A batch of named tensors, in the map's iteration order. */
    public static Batch named(Map<String, Tensor> tensors) {
        return new Batch(new ArrayList<>(tensors.values()), new ArrayList<>(tensors.keySet()));
    }

    /** The number of samples: dimension 0 of the first tensor (1 for a scalar). */
    public long size() {
        if (size < 0) {
            Tensor first = tensors.get(0);
            size = first.dim() == 0 ? 1 : first.size(0);
        }
        return size;
    }

    /** How many tensors the batch holds. */
    public int count() {
        return tensors.size();
    }

    /** The tensor at this position. */
    public Tensor get(int index) {
        if (index < 0 || index >= tensors.size()) {
            throw new IndexOutOfBoundsException("batch has " + tensors.size() + " tensors, no index " + index);
        }
        return tensors.get(index);
    }

    /** The tensor with this name. */
    public Tensor get(String name) {
        int i = names == null ? -1 : names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("batch has no tensor named '" + name + "'; names: " + names().orElse(List.of()));
        }
        return tensors.get(i);
    }

    /** The first tensor: the model input by convention. */
    public Tensor input() {
        return tensors.get(0);
    }

    /** The second tensor: the target by convention. */
    public Tensor target() {
        return get(1);
    }

    public List<Tensor> tensors() {
        return tensors;
    }

    public Optional<List<String>> names() {
        return Optional.ofNullable(names);
    }

    /** A batch with every tensor transformed, names kept. */
    public Batch map(UnaryOperator<Tensor> transform) {
        List<Tensor> out = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            out.add(transform.apply(t));
        }
        return new Batch(out, names == null ? null : new ArrayList<>(names));
    }

    /** This batch on the device; the same batch when it is already there. */
    public Batch to(Device device) {
        boolean cuda = device.is_cuda();
        int index = device.has_index() ? device.index() : 0;
        boolean there = true;
        for (Tensor t : tensors) {
            // checked without materialising a Device per tensor: this runs for every batch
            there &= cuda ? t.is_cuda() && t.device().index() == index : t.is_cpu();
        }
        return there ? this : map(t -> t.to(device, t.scalar_type()));
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Batch[size=").append(size());
        for (int i = 0; i < tensors.size(); i++) {
            s.append(", ").append(names == null ? String.valueOf(i) : names.get(i)).append('=')
                    .append(Arrays.toString(tensors.get(i).sizes().vec().get()));
        }
        return s.append(']').toString();
    }
}
