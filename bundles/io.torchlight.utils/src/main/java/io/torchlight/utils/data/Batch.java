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
 * One batch: ordered tensors (inputs, targets, ...) with optional names, all sharing the batch dimension 0, and
 * optionally values of any other kind by name (texts, ids, lists and maps holding tensors, {@link Movable} types of
 * the user's own), as a Lightning collate function returns any structure. Immutable; the transforms return new
 * batches.
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
        if (tensors.isEmpty() && values.isEmpty() && parts == null) {
            throw new IllegalArgumentException("a batch holds at least one tensor or value");
        }
        this.tensors = Collections.unmodifiableList(tensors);
        this.names = names == null ? null : Collections.unmodifiableList(names);
        this.parts = parts == null ? null : Collections.unmodifiableMap(parts);
        this.values = values;
    }

    /**
     * This batch with more values by name (a collate function's texts, sample ids, token lists, ...), read with
     * {@link #value(String)}. Tensors inside lists and maps (to any depth) and {@link Movable} values go to the device
     * with the batch and are transformed by {@link #map}; anything else travels unchanged. A tensor itself belongs in
     * the batch's tensors ({@link #named}) and is refused here.
     */
    public Batch withValues(Map<String, ?> more) {
        return new Batch(new ArrayList<>(tensors), names == null ? null : new ArrayList<>(names), parts == null ? null
                : new LinkedHashMap<>(parts), joined(values, more));
    }

    private static Map<String, Object> joined(Map<String, Object> values, Map<String, ?> more) {
        Map<String, Object> all = new LinkedHashMap<>(values);
        more.forEach((k, v) -> {
            if (v instanceof Tensor) {
                throw new IllegalArgumentException("value '" + k + "' is a tensor: put tensors in the batch itself (Batch.named)");
            }
            all.put(k, v);
        });
        return Collections.unmodifiableMap(all);
    }

    /**
     * A batch of values only, for a structure with no top-level tensors (a dict of lists of tensors, a record of the
     * user's own type): its size is inferred from the first tensor found in the values, as Lightning does, or given
     * with {@code log(..., batchSize)}.
     */
    public static Batch ofValues(Map<String, ?> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("a batch of values needs at least one value");
        }
        return new Batch(new ArrayList<>(), null, null, joined(Map.of(), values));
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

    /**
     * The number of samples, as Lightning's {@code extract_batch_size} infers it: dimension 0 of the first tensor (1
     * for a scalar), the batch's own tensors first, then those in its values ({@link #allTensors()}); of a combined
     * batch, its first part's.
     *
     * @throws IllegalStateException when the batch holds no tensor to infer it from
     */
    public long size() {
        if (size < 0) {
            size = inferSize();
        }
        return size;
    }

    private long inferSize() {
        if (parts != null) {
            return parts.values().iterator().next().size();
        }
        Tensor first = tensors.isEmpty() ? null : tensors.get(0);
        if (first == null) {
            List<Tensor> nested = allTensors();
            if (nested.isEmpty()) {
                throw new IllegalStateException("the batch holds no tensor to infer its size from (values: " + values.keySet() + ")");
            }
            first = nested.get(0);
        }
        return sizeOf(first);
    }

    /** Dimension 0 of the tensor, 1 for a scalar: how many samples it holds. */
    public static long sizeOf(Tensor tensor) {
        return tensor.dim() == 0 ? 1 : tensor.size(0);
    }

    /** Every tensor the batch holds, in order: its own, then those in its values' lists, maps and {@link Movable}s. */
    public List<Tensor> allTensors() {
        if (values.isEmpty()) {
            return tensors;
        }
        List<Tensor> all = new ArrayList<>(tensors);
        values.values().forEach(v -> NestedTensors.collect(v, all));
        return Collections.unmodifiableList(all);
    }

    /** How many tensors the batch holds. */
    public int count() {
        return tensors.size();
    }

    /** The tensor at this position. */
    public Tensor get(int index) {
        if (index < 0 || index >= tensors.size()) {
            throw new IndexOutOfBoundsException("batch has " + tensors.size() + " tensors, no index " + index
                    + (values.isEmpty() ? "" : "; its values " + values.keySet() + " are read with value(name)"));
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
        return get(0);
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

    /**
     * A batch with every tensor transformed, those in its values' lists and maps too, names kept; {@link Movable}
     * values are kept as they are (they only know how to move).
     */
    public Batch map(UnaryOperator<Tensor> transform) {
        Map<String, Object> mappedValues = mapValues(v -> NestedTensors.map(v, transform));
        if (parts != null) {
            Map<String, Batch> mapped = new LinkedHashMap<>();
            parts.forEach((key, part) -> mapped.put(key, part.map(transform)));
            return mappedValues.isEmpty() ? combined(mapped) : combined(mapped).withValues(mappedValues);
        }
        List<Tensor> out = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            out.add(transform.apply(t));
        }
        return new Batch(out, names == null ? null : new ArrayList<>(names), null, mappedValues);
    }

    /**
     * This batch on the device: its tensors, the tensors in its values' lists and maps, and its {@link Movable}
     * values (Lightning's {@code move_data_to_device}); the same batch when everything is there already.
     */
    public Batch to(Device device) {
        Map<String, Object> movedValues = mapValues(v -> NestedTensors.to(v, device));
        if (parts != null) {
            Map<String, Batch> moved = new LinkedHashMap<>();
            boolean same = movedValues == values;
            for (Map.Entry<String, Batch> e : parts.entrySet()) {
                Batch part = e.getValue().to(device);
                same &= part == e.getValue();
                moved.put(e.getKey(), part);
            }
            return same ? this : movedValues.isEmpty() ? combined(moved) : combined(moved).withValues(movedValues);
        }
        boolean there = true;
        for (Tensor t : tensors) {
            there &= NestedTensors.isOn(t, device);
        }
        if (there && movedValues == values) {
            return this;
        }
        List<Tensor> out = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            out.add(NestedTensors.isOn(t, device) ? t : t.to(device, t.scalar_type()));
        }
        return new Batch(out, names == null ? null : new ArrayList<>(names), null, movedValues);
    }

    /** The values with each transformed; the same map when none changed (the usual batch has no values at all). */
    private Map<String, Object> mapValues(UnaryOperator<Object> transform) {
        if (values.isEmpty()) {
            return values;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        boolean changed = false;
        for (Map.Entry<String, Object> e : values.entrySet()) {
            Object v = transform.apply(e.getValue());
            changed |= v != e.getValue();
            out.put(e.getKey(), v);
        }
        return changed ? Collections.unmodifiableMap(out) : values;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Batch[size=").append(describeSize());
        for (int i = 0; i < tensors.size(); i++) {
            s.append(", ").append(names == null ? String.valueOf(i) : names.get(i)).append('=')
                    .append(Arrays.toString(tensors.get(i).sizes().vec().get()));
        }
        if (!values.isEmpty()) {
            s.append(", values=").append(values.keySet());
        }
        return s.append(']').toString();
    }

    private String describeSize() {
        try {
            return String.valueOf(size());
        } catch (IllegalStateException e) {
            return "?";
        }
    }
}
