package io.torchlight.utils.checkpoint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.StringTensorDictItem;
import org.bytedeco.pytorch.Tensor;

/** A module's parameters and buffers by name, like {@code state_dict()} / {@code load_state_dict()}. */
public final class StateDicts {

    private StateDicts() {
    }

    /** Parameters then buffers, by their registered names ({@code layer.weight}). */
    public static OrderedMap<String, Object> of(Module module) {
        OrderedMap<String, Object> state = new OrderedMap<>();
        add(state, module.named_parameters());
        add(state, module.named_buffers());
        return state;
    }

    private static void add(Map<String, Object> state, StringTensorDict dict) {
        for (long i = 0; i < dict.size(); i++) {
            StringTensorDictItem item = dict.get(i);
            state.put(item.key().getString(), item.value().detach());
        }
    }

    /**
     * Copies the values into the module's tensors. Strict: a missing or unexpected key, or a shape
     * mismatch, is an error listing them all; not strict: what matches is loaded, the rest reported back.
     */
    public static List<String> load(Module module, Map<String, Object> state, boolean strict, String source) {
        OrderedMap<String, Object> own = of(module);
        List<String> missing = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        for (Map.Entry<String, Object> e : own.entrySet()) {
            Object value = state.get(e.getKey());
            if (!(value instanceof Tensor saved)) {
                missing.add(e.getKey());
            } else if (!Arrays.equals(saved.sizes().vec().get(), ((Tensor) e.getValue()).sizes().vec().get())) {
                mismatched.add(e.getKey() + " (checkpoint " + Arrays.toString(saved.sizes().vec().get()) + ", model "
                        + Arrays.toString(((Tensor) e.getValue()).sizes().vec().get()) + ")");
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String key : state.keySet()) {
            if (!own.containsKey(key)) {
                unexpected.add(key);
            }
        }
        List<String> problems = new ArrayList<>();
        if (!missing.isEmpty()) {
            problems.add("missing keys " + missing);
        }
        if (!unexpected.isEmpty()) {
            problems.add("unexpected keys " + unexpected);
        }
        if (!mismatched.isEmpty()) {
            problems.add("shape mismatches " + mismatched);
        }
        if (strict && !problems.isEmpty()) {
            throw new CheckpointException("the state_dict of " + source + " does not fit " + module.getClass().getName() + ": "
                    + String.join("; ", problems) + " (load with strict=false to load what matches)");
        }
        boolean grad = GradMode.is_enabled();
        GradMode.set_enabled(false);
        try {
            for (Map.Entry<String, Object> e : own.entrySet()) {
                Object value = state.get(e.getKey());
                if (value instanceof Tensor saved && mismatched.stream().noneMatch(m -> m.startsWith(e.getKey() + " "))) {
                    Tensor target = (Tensor) e.getValue();
                    target.copy_(saved.to(target.device(), target.scalar_type()));
                }
            }
        } finally {
            GradMode.set_enabled(grad);
        }
        return problems;
    }
}
