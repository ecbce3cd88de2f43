package io.torchlight.utils.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;


/**
 * A plug-in's configuration (its component properties, e.g. from {@code etc/<pid>.cfg}) read strictly. A key
 * may be spelt as in Lightning ({@code every_n_train_steps}), with dots ({@code every.n.train.steps}) or in
 * camelCase ({@code everyNTrainSteps}). A value that does not parse, and a key that no getter asks for, are
 * collected as problems naming the configuration and the key; {@link #problem()} turns them into one
 * {@link ConfigurationException} for the plug-in to throw when a run uses it. Framework properties
 * ({@code service.*}, {@code component.*}, {@code felix.*}, {@code osgi.*}, {@code torchlight.*},
 * {@code objectClass}, and DS's reference properties {@code <reference>.target} and
 * {@code <reference>.cardinality.minimum}) are not the plug-in's and are ignored.
 */
public final class PluginSettings {

    private static final List<String> FRAMEWORK_PREFIXES = List.of("service.", "component.", "felix.", "osgi.", "torchlight.",
            "objectclass");

    private final String pid;
    /** Normalised key to the user's spelling and value. */
    private final Map<String, Map.Entry<String, Object>> given = new LinkedHashMap<>();
    /** Normalised key to the documented spelling, for every key a getter asked for. */
    private final Map<String, String> known = new LinkedHashMap<>();
    private final List<String> errors = new ArrayList<>();

    private PluginSettings(String pid, Map<String, ?> properties) {
        this.pid = pid;
        properties.forEach((key, value) -> {
            String lower = key.toLowerCase(Locale.ROOT);
            if (FRAMEWORK_PREFIXES.stream().noneMatch(lower::startsWith) && !lower.endsWith(".target")
                    && !lower.endsWith(".cardinality.minimum")) {
                given.put(normalise(key), Map.entry(key, value));
            }
        });
    }

    /** The settings of configuration {@code pid} (named in messages). */
    public static PluginSettings of(String pid, Map<String, ?> properties) {
        return new PluginSettings(pid, properties);
    }

    /** The text under {@code key} (any of its spellings), or {@code fallback} when it is not set. */
    public String string(String key, String fallback) {
        return read(key, fallback, "a text", v -> v);
    }

    /** The int under {@code key}; a value that is not one is a problem and gives {@code fallback}. */
    public int integer(String key, int fallback) {
        return read(key, fallback, "an integer", v -> Integer.parseInt(v));
    }

    /** The long under {@code key}; a value that is not one is a problem and gives {@code fallback}. */
    public long longInteger(String key, long fallback) {
        return read(key, fallback, "an integer", v -> Long.parseLong(v));
    }

    /** The number under {@code key} (NaN is refused); a value that is not one is a problem and gives {@code fallback}. */
    public double decimal(String key, double fallback) {
        return read(key, fallback, "a number", v -> {
            double d = Double.parseDouble(v);
            if (Double.isNaN(d)) {
                throw new IllegalArgumentException("NaN");
            }
            return d;
        });
    }

    /** {@code true} or {@code false} (any case) under {@code key}; anything else is a problem and gives {@code fallback}. */
    public boolean flag(String key, boolean fallback) {
        return read(key, fallback, "true or false", v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(v);
        });
    }

    /** One of the enum's constants, case-insensitive. */
    public <E extends Enum<E>> E choice(String key, E fallback) {
        Class<E> type = fallback.getDeclaringClass();
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        return read(key, fallback, "one of " + String.join(", ", names), v -> Enum.valueOf(type, v.toUpperCase(Locale.ROOT)));
    }

    /**
     * Builds the plug-in's settings from the values read; an {@link IllegalArgumentException} it throws (a
     * combination that makes no sense) becomes a problem, and {@code fallback} is returned instead.
     */
    public <T> T build(Supplier<T> settings, T fallback) {
        try {
            return settings.get();
        } catch (IllegalArgumentException e) {
            errors.add(e.getMessage());
            return fallback;
        }
    }

    /** Records {@code problem} unless {@code condition} holds (a value that parses but is out of range). */
    public void require(boolean condition, String problem) {
        if (!condition) {
            errors.add(problem);
        }
    }

    /** Every problem: values that did not parse and keys that no getter asked for. */
    public List<String> problems() {
        List<String> out = new ArrayList<>(errors);
        given.forEach((normalised, entry) -> {
            if (!known.containsKey(normalised)) {
                out.add("unknown key '" + entry.getKey() + "'" + suggestion(normalised) + " (known: "
                        + String.join(", ", known.values()) + ")");
            }
        });
        return out;
    }

    /** The problems as one exception naming the configuration, for the plug-in to throw when a run uses it. */
    public Optional<ConfigurationException> problem() {
        List<String> all = problems();
        if (all.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ConfigurationException("configuration " + pid + " is invalid: " + String.join("; ", all)
                + " (fix etc/" + pid + ".cfg)"));
    }

    private <T> T read(String key, T fallback, String expected, Function<String, T> parse) {
        String normalised = normalise(key);
        known.putIfAbsent(normalised, key);
        Map.Entry<String, Object> entry = given.get(normalised);
        if (entry == null || entry.getValue() == null) {
            return fallback;
        }
        Object value = entry.getValue();
        if (fallback != null && fallback.getClass().isInstance(value)) {
            @SuppressWarnings("unchecked")
            T typed = (T) value;
            return typed;
        }
        String text = String.valueOf(value).trim();
        try {
            return parse.apply(text);
        } catch (IllegalArgumentException e) {
            errors.add(entry.getKey() + ": expected " + expected + ", got '" + text + "'");
            return fallback;
        }
    }

    private String suggestion(String normalised) {
        return Names.closest(normalised, known.keySet(), 2).map(k -> "; did you mean " + known.get(k) + "?").orElse("");
    }

    /** Lower case without separators: every spelling of a key maps to the same text. */
    private static String normalise(String key) {
        return key.replace("_", "").replace(".", "").replace("-", "").toLowerCase(Locale.ROOT);
    }
}
