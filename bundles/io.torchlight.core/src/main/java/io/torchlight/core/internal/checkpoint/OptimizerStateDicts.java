package io.torchlight.core.internal.checkpoint;

import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.pytorch.Adagrad;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamW;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.InputArchive;
import org.bytedeco.pytorch.Optimizer;
import org.bytedeco.pytorch.OptimizerParamGroupVector;
import org.bytedeco.pytorch.OutputArchive;
import org.bytedeco.pytorch.RMSprop;
import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.StringVector;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.Tuple;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import io.torchlight.api.TorchlightException;

/**
 * Optimizer state in PyTorch's own {@code optimizer.state_dict()} layout, so Python's {@code optimizer.load_state_dict}
 * reads what Torchlight saved and Torchlight resumes from what PyTorch or Lightning saved: {@code state} keyed by the
 * parameter's index across the groups, {@code param_groups} with the hyperparameters and {@code params} indices. It is
 * translated from and to libtorch's own optimizer archive, whose entries carry the same names as PyTorch's, for SGD,
 * Adam, AdamW, RMSprop and Adagrad (their subclasses included).
 */
public final class OptimizerStateDicts {

    /** PyTorch options libtorch has no counterpart for; these values are the only ones it can honour. */
    private static final Map<String, Object> UNSUPPORTED_UNLESS = Map.of("maximize", false);
    private static final String VERSION = "pytorch_version";

    private OptimizerStateDicts() {
    }

    /** Whether this optimizer's state is kept in PyTorch's layout (else as libtorch's archive bytes). */
    static boolean supports(Optimizer optimizer) {
        return optimizer instanceof SGD || optimizer instanceof Adam || optimizer instanceof AdamW || optimizer instanceof RMSprop
                || optimizer instanceof Adagrad;
    }

    /** The optimizer's state as PyTorch's {@code state_dict()} holds it. */
    public static Map<String, Object> of(Optimizer optimizer) {
        return of(OptimizerArchives.of(optimizer));
    }

    /** An optimizer archive's state as PyTorch's {@code state_dict()} holds it. */
    static Map<String, Object> of(InputArchive archive) {
        InputArchive groups = child(archive, "param_groups");
        InputArchive states = child(archive, "state");
        Map<Object, Object> state = new LinkedHashMap<>();
        List<Object> paramGroups = new ArrayList<>();
        long index = 0;
        for (long g = 0; g < size(groups, "param_groups/size"); g++) {
            InputArchive group = child(groups, "param_groups/" + g);
            Map<String, Object> entry = new LinkedHashMap<>();
            InputArchive options = child(group, "options");
            for (String key : keys(options)) {
                entry.put(key, value(options, key));
            }
            List<Object> params = new ArrayList<>();
            for (long p = 0; p < size(group, "params/size"); p++) {
                String address = text(group, "params/" + p);
                InputArchive paramState = new InputArchive();
                if (states.try_read(address, paramState)) {
                    Map<String, Object> values = new LinkedHashMap<>();
                    for (String key : keys(paramState)) {
                        Object v = value(paramState, key);
                        // PyTorch keeps the step count as a float tensor since 1.12
                        values.put(key, key.equals("step") && v instanceof Long n ? scalarFloat(n) : v);
                    }
                    state.put(index, values);
                }
                params.add(index++);
            }
            entry.put("params", params);
            paramGroups.add(entry);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("state", state);
        out.put("param_groups", paramGroups);
        return out;
    }

    /**
     * Loads a state in PyTorch's layout into the optimizer, as {@code optimizer.load_state_dict}: the groups and their
     * sizes must match; hyperparameters are taken from the dict, state tensors cast to their parameter's type and
     * device. {@code where} names the checkpoint and key for errors.
     */
    static void load(Optimizer optimizer, Map<?, ?> dict, String where) {
        if (!(dict.get("param_groups") instanceof List<?> savedGroups) || !(dict.get("state") instanceof Map<?, ?> savedState)) {
            throw new TorchlightException(where + " is not an optimizer state_dict (no 'state' and 'param_groups')");
        }
        Map<String, Object> current = of(optimizer);
        List<?> currentGroups = (List<?>) current.get("param_groups");
        if (savedGroups.size() != currentGroups.size()) {
            throw new TorchlightException(where + " has " + savedGroups.size() + " parameter groups, but the "
                    + optimizer.getClass().getSimpleName() + " has " + currentGroups.size());
        }
        List<List<Tensor>> params = params(optimizer);
        OutputArchive root = new OutputArchive();
        root.write(VERSION, new IValue("1.5.0"));
        OutputArchive states = new OutputArchive(root.compilation_unit());
        OutputArchive groups = new OutputArchive(root.compilation_unit());
        groups.write("param_groups/size", torch.scalar_tensor(new Scalar((long) savedGroups.size())));
        long index = 0;
        for (int g = 0; g < savedGroups.size(); g++) {
            String groupWhere = where + ".param_groups[" + g + "]";
            Map<?, ?> saved = map(savedGroups.get(g), groupWhere);
            Map<?, ?> now = (Map<?, ?>) currentGroups.get(g);
            List<?> savedParams = saved.get("params") instanceof List<?> l ? l : List.of();
            if (savedParams.size() != params.get(g).size()) {
                throw new TorchlightException(groupWhere + " holds " + savedParams.size() + " parameters, but the "
                        + optimizer.getClass().getSimpleName() + "'s group holds " + params.get(g).size());
            }
            OutputArchive group = new OutputArchive(root.compilation_unit());
            group.write("params/size", torch.scalar_tensor(new Scalar((long) savedParams.size())));
            for (int p = 0; p < savedParams.size(); p++) {
                // libtorch matches saved states to parameters by position; the key only has to be a number
                String key = String.valueOf(index++);
                group.write("params/" + p, new IValue(key));
                Object paramState = savedState.get(savedParams.get(p));
                String stateWhere = where + ".state[" + savedParams.get(p) + "]";
                if (paramState instanceof Map<?, ?> s) {
                    states.write(key, stateArchive(root, s, params.get(g).get(p), stateWhere));
                } else if (paramState != null) {
                    throw new TorchlightException(stateWhere + " is not a dict");
                }
            }
            group.write("options", optionsArchive(root, saved, now, groupWhere));
            groups.write("param_groups/" + g, group);
        }
        root.write("state", states);
        root.write("param_groups", groups);
        optimizer.load(OptimizerArchives.readBack(root));
    }

    private static OutputArchive stateArchive(OutputArchive root, Map<?, ?> saved, Tensor param, String where) {
        OutputArchive out = new OutputArchive(root.compilation_unit());
        for (Map.Entry<?, ?> e : saved.entrySet()) {
            String key = String.valueOf(e.getKey());
            Object v = e.getValue();
            if (v == null) {
                continue; // SGD without momentum keeps momentum_buffer: None
            }
            if (key.equals("step")) {
                out.write(key, new IValue(v instanceof Tensor t ? (long) t.item_double() : ((Number) v).longValue()));
            } else if (v instanceof Tensor t) {
                out.write(key, new IValue(t.to(param.device(), param.scalar_type())));
            } else {
                throw new TorchlightException(where + "." + key + " is a " + v.getClass().getSimpleName()
                        + "; optimizer state entries are tensors");
            }
        }
        return out;
    }

    /** Every option libtorch keeps for the group, from the saved group where it has it, typed as libtorch stores it. */
    private static OutputArchive optionsArchive(OutputArchive root, Map<?, ?> saved, Map<?, ?> now, String where) {
        UNSUPPORTED_UNLESS.forEach((key, only) -> {
            if (saved.containsKey(key) && !only.equals(saved.get(key))) {
                throw new TorchlightException(where + " sets " + key + "=" + saved.get(key) + ", which libtorch's optimizers "
                        + "do not support");
            }
        });
        OutputArchive out = new OutputArchive(root.compilation_unit());
        for (Map.Entry<?, ?> e : now.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (key.equals("params")) {
                continue;
            }
            Object v = saved.containsKey(key) ? saved.get(key) : e.getValue();
            Object like = e.getValue();
            if (like instanceof Boolean) {
                out.write(key, new IValue(v instanceof Boolean b ? b : number(v, where, key) != 0));
            } else if (like instanceof Object[] pair) {
                List<?> values = v instanceof Object[] a ? List.of(a) : v instanceof List<?> l ? l : List.of();
                if (values.size() != pair.length) {
                    throw new TorchlightException(where + "." + key + " must hold " + pair.length + " numbers, got " + v);
                }
                out.write(key, new IValue(Tuple.create(new IValue(number(values.get(0), where, key)),
                        new IValue(number(values.get(1), where, key)))));
            } else {
                out.write(key, new IValue(number(v, where, key)));
            }
        }
        return out;
    }

    private static double number(Object v, String where, String key) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof Tensor t && t.numel() == 1) {
            return t.item_double();
        }
        throw new TorchlightException(where + "." + key + " must be a number, got " + v);
    }

    private static List<List<Tensor>> params(Optimizer optimizer) {
        List<List<Tensor>> out = new ArrayList<>();
        try (OptimizerParamGroupVector groups = optimizer.param_groups()) {
            for (long g = 0; g < groups.size(); g++) {
                TensorVector params = groups.get(g).params();
                out.add(List.of(params.get()));
            }
        }
        return out;
    }

    private static Object value(InputArchive archive, String key) {
        IValue v = new IValue();
        archive.read(key, v);
        if (v.isTensor()) {
            // toTensor() lends a reference into v's payload, which the GC may free as soon as v is unreachable (it did,
            // mid-checkpoint); the tensor returned holds its own reference
            Tensor owned = new Tensor(v.toTensor());
            Reference.reachabilityFence(v);
            return owned;
        }
        if (v.isDouble()) {
            return v.toDouble();
        }
        if (v.isBool()) {
            return v.toBool();
        }
        if (v.isInt()) {
            return v.toInt();
        }
        if (v.isString()) {
            return v.toStringRef().getString();
        }
        if (v.isTuple()) {
            Tuple t = v.toTuple();
            Object[] out = new Object[(int) t.size()];
            for (int i = 0; i < out.length; i++) {
                IValue element = t.elements().get(i);
                out[i] = element.isDouble() ? element.toDouble() : element.toInt();
            }
            return out;
        }
        throw new TorchlightException("optimizer archive entry '" + key + "' has an unexpected type " + v.tagKind().getString());
    }

    private static InputArchive child(InputArchive archive, String key) {
        InputArchive out = new InputArchive();
        archive.read(key, out);
        return out;
    }

    private static long size(InputArchive archive, String key) {
        Tensor t = new Tensor();
        archive.read(key, t);
        return t.item_long();
    }

    private static String text(InputArchive archive, String key) {
        IValue v = new IValue();
        archive.read(key, v);
        return v.toStringRef().getString();
    }

    private static List<String> keys(InputArchive archive) {
        List<String> out = new ArrayList<>();
        try (StringVector keys = archive.keys()) {
            for (long i = 0; i < keys.size(); i++) {
                out.add(keys.get(i).getString());
            }
        }
        return out;
    }

    private static Map<?, ?> map(Object value, String where) {
        if (!(value instanceof Map<?, ?> m)) {
            throw new TorchlightException(where + " is not a dict");
        }
        return m;
    }

    /** A 0-dim float tensor, as PyTorch keeps its step entries. */
    private static Tensor scalarFloat(double v) {
        return torch.scalar_tensor(new Scalar(v)).to(ScalarType.Float);
    }
}
