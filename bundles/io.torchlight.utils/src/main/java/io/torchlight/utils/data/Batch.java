package io.torchlight.utils.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
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
    /** The per-loader batches of a combined batch (Lightning's CombinedLoader), else null. */
    private final Map<String, Batch> parts;
    /** Values that are not tensors (texts, ids, ...), carried along as they are; empty for most batches. */
    private final Map<String, Object> values;
    private long size = -1;

    private Batch(List<Tensor> tensors, List<String> names) {
        this(tensors, names, null, Map.of());
    }

    private Batch(List<Tensor> tensors, List<String> names, Map<String, Batch> parts) {
        this(tensors, names, parts, Map.of());
    }

    private Batch(List<Tensor> tensors, List<String> names, Map<String, Batch> parts, Map<String, Object> values) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("a batch holds at least one tensor");
        }
        this.tensors = Collections.unmodifiableList(tensors);
        this.names = names == null ? null : Collections.unmodifiableList(names);
        this.parts = parts == null ? null : Collections.unmodifiableMap(parts);
        this.values = values;
    }

    /**
     * This batch with values that are not tensors (a collate function's texts, sample ids, ...), by name: they travel
     * with the batch unchanged (never moved to a device) and are read with {@link #value(String)}.
     */
    public Batch withValues(Map<String, ?> more) {
        Map<String, Object> all = new LinkedHashMap<>(values);
        more.forEach((k, v) -> {
            if (v instanceof Tensor) {
                throw new IllegalArgumentException("value '" + k + "' is a tensor: put tensors in the batch itself (Batch.named)");
            }
            all.put(k, v);
        });
        return new Batch(new ArrayList<>(tensors), names == null ? null : new ArrayList<>(names), parts == null ? null
                : new LinkedHashMap<>(parts), Collections.unmodifiableMap(all));
    }

    /** A value given with {@link #withValues}; an error naming the ones there are when missing. */
    public Object value(String name) {
        if (!values.containsKey(name)) {
            throw new IllegalArgumentException("batch has no value named '" + name + "'; values: " + values.keySet());
        }
        return values.get(name);
    }

    /** The values that are not tensors, by name. */
    public Map<String, Object> values() {
        return values;
    }

    /**
     * One batch of each of several loaders, as Lightning's CombinedLoader gives a training step a dict of batches:
     * {@link #part(String)} is each loader's batch; {@link #tensors()} are all of theirs, named {@code <part>/<name or
     * index>}, so moving the batch to a device moves every part.
     */
    public static Batch combined(Map<String, Batch> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a combined batch holds at least one part");
        }
        List<Tensor> all = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Map<String, Batch> copy = new LinkedHashMap<>(parts);
        copy.forEach((key, part) -> {
            for (int i = 0; i < part.count(); i++) {
                all.add(part.get(i));
                names.add(key + "/" + (part.names == null ? String.valueOf(i) : part.names.get(i)));
            }
        });
        return new Batch(all, names, copy);
    }

    /** A combined batch of a list of loaders: parts {@code "0"}, {@code "1"}, ... ({@link #part(int)}). */
    public static Batch combined(List<Batch> parts) {
        Map<String, Batch> keyed = new LinkedHashMap<>();
        for (int i = 0; i < parts.size(); i++) {
            keyed.put(String.valueOf(i), parts.get(i));
        }
        return combined(keyed);
    }

    /** Whether this batch combines several loaders' batches. */
    public boolean isCombined() {
        return parts != null;
    }

    /** The batches of a combined batch by loader key, in order; empty for a plain batch. */
    public Map<String, Batch> parts() {
        return parts == null ? Map.of() : parts;
    }

    /** The batch of the loader with this key. */
    public Batch part(String key) {
        Batch part = parts == null ? null : parts.get(key);
        if (part == null) {
            throw new IllegalArgumentException(parts == null ? "not a combined batch: it has no part '" + key + "'"
                    : "the combined batch has no part '" + key + "'; parts: " + parts.keySet());
        }
        return part;
    }

    /** The batch of the loader at this position of a list of loaders. */
    public Batch part(int index) {
        return part(String.valueOf(index));
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

    /** The number of samples: dimension 0 of the first tensor (1 for a scalar); of a combined batch, its first part's. */
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
        combinedHasNo("input()");
        return tensors.get(0);
    }

    private void combinedHasNo(String what) {
        if (parts != null) {
            throw new IllegalStateException("this batch combines the loaders " + parts.keySet() + ": take part(key)." + what
                    + " (Lightning's batch[key])");
        }
    }

    /** The second tensor: the target by convention. */
    public Tensor target() {
        combinedHasNo("target()");
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
        if (parts != null) {
            Map<String, Batch> mapped = new LinkedHashMap<>();
            parts.forEach((key, part) -> mapped.put(key, part.map(transform)));
            return values.isEmpty() ? combined(mapped) : combined(mapped).withValues(values);
        }
        List<Tensor> out = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            out.add(transform.apply(t));
        }
        return new Batch(out, names == null ? null : new ArrayList<>(names), null, values);
    }

    /** This batch on the device, {@link Movable} values too; the same batch when it is already there. */
    public Batch to(Device device) {
        boolean cuda = device.is_cuda();
        int index = device.has_index() ? device.index() : 0;
        boolean there = true;
        for (Tensor t : tensors) {
            // checked without materialising a Device per tensor: this runs for every batch
            there &= cuda ? t.is_cuda() && t.device().index() == index : t.is_cpu();
        }
        Batch moved = there ? this : map(t -> t.to(device, t.scalar_type()));
        if (values.isEmpty() || values.values().stream().noneMatch(Movable.class::isInstance)) {
            return moved; // the usual batch has no values: nothing allocated here per batch
        }
        Map<String, Object> movedValues = new LinkedHashMap<>();
        values.forEach((k, v) -> movedValues.put(k, v instanceof Movable m ? m.to(device) : v));
        return moved.withValues(movedValues);
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
