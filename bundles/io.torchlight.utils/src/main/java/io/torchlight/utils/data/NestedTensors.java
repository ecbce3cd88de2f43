package io.torchlight.utils.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;

/**
 * The tensors inside a batch's values, found as Lightning's {@code apply_to_collection} finds them: in lists and maps
 * to any depth and in {@link Movable} values; anything else (texts, ids) is left as it is. A structure nested deeper
 * than {@value #MAX_DEPTH} levels (a list that holds itself) is refused instead of overflowing the stack.
 */
final class NestedTensors {

    static final int MAX_DEPTH = 64;

    private NestedTensors() {
    }

    /** The value with every tensor in it on {@code device}; the same object when all of them are there already. */
    static Object to(Object value, Device device) {
        return to(value, device, 0);
    }

    private static Object to(Object value, Device device, int depth) {
        if (value instanceof Tensor t) {
            return isOn(t, device) ? t : t.to(device, t.scalar_type());
        }
        if (value instanceof Movable m) {
            return m.to(device);
        }
        return rebuild(value, v -> to(v, device, depth + 1), depth);
    }

    /** The value with {@code transform} applied to every tensor in lists and maps; {@link Movable} values are kept. */
    static Object map(Object value, UnaryOperator<Tensor> transform) {
        return map(value, transform, 0);
    }

    private static Object map(Object value, UnaryOperator<Tensor> transform, int depth) {
        if (value instanceof Tensor t) {
            return transform.apply(t);
        }
        return rebuild(value, v -> map(v, transform, depth + 1), depth);
    }

    /** A list or map with each element replaced, or the same object when nothing changed or it is neither. */
    private static Object rebuild(Object value, UnaryOperator<Object> element, int depth) {
        if (!(value instanceof List<?>) && !(value instanceof Map<?, ?>)) {
            return value;
        }
        checkDepth(depth);
        boolean changed = false;
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object v : list) {
                Object w = element.apply(v);
                changed |= w != v;
                out.add(w);
            }
            return changed ? Collections.unmodifiableList(out) : value;
        }
        Map<Object, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
            Object w = element.apply(e.getValue());
            changed |= w != e.getValue();
            out.put(e.getKey(), w);
        }
        return changed ? Collections.unmodifiableMap(out) : value;
    }

    /** Adds every tensor in the value to {@code out}, in order, those of {@link Movable#tensors()} included. */
    static void collect(Object value, List<Tensor> out) {
        collect(value, out, 0);
    }

    private static void collect(Object value, List<Tensor> out, int depth) {
        if (value instanceof Tensor t) {
            out.add(t);
        } else if (value instanceof Movable m) {
            out.addAll(m.tensors());
        } else if (value instanceof List<?> list) {
            checkDepth(depth);
            list.forEach(v -> collect(v, out, depth + 1));
        } else if (value instanceof Map<?, ?> map) {
            checkDepth(depth);
            map.values().forEach(v -> collect(v, out, depth + 1));
        }
    }

    private static void checkDepth(int depth) {
        if (depth >= MAX_DEPTH) {
            throw new IllegalArgumentException("a batch value nests lists or maps more than " + MAX_DEPTH
                    + " levels deep (does a list or map hold itself?)");
        }
    }

    /** Whether the tensor is on the device, checked without making a Device per tensor (this runs for every batch). */
    static boolean isOn(Tensor t, Device device) {
        if (device.is_cpu()) {
            return t.is_cpu();
        }
        if (device.is_cuda()) {
            return t.is_cuda() && t.device().index() == (device.has_index() ? device.index() : 0);
        }
        return t.device().type().value == device.type().value; // meta and the rest: rare enough to afford the Device
    }
}
