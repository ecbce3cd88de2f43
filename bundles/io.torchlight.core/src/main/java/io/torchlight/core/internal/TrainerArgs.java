package io.torchlight.core.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;

import io.torchlight.api.AccumulationSchedule;
import io.torchlight.api.Flag;
import io.torchlight.api.GradientClipAlgorithm;
import io.torchlight.api.Limit;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.accelerator.Precision;
import io.torchlight.utils.config.Names;

/**
 * Trainer arguments as text ({@code max_epochs=3}, {@code maxEpochs=3}) applied to a {@link TrainerConfig.Builder},
 * and a configuration written back as plain values. The keys, their types and the builder methods all come from the
 * {@link Flag} accessors of {@link TrainerConfig}: a new flag needs nothing here unless its type is new. Errors name
 * the key and the expected type; an unknown key suggests the nearest known one.
 */
public final class TrainerArgs {

    /** How text becomes a value of one flag type, and what to say when it does not. */
    private record Reader(String expected, Function<String, Object> parse) {
    }

    private static final Map<Class<?>, Reader> READERS = Map.ofEntries(
            Map.entry(int.class, new Reader("an integer", Integer::valueOf)),
            Map.entry(long.class, new Reader("an integer", Long::valueOf)),
            Map.entry(double.class, new Reader("a number", Double::valueOf)),
            Map.entry(boolean.class, new Reader("true or false", TrainerArgs::bool)),
            Map.entry(String.class, new Reader("a name", t -> t)),
            Map.entry(Limit.class, new Reader("a batch count or a fraction", Limit::parse)),
            Map.entry(AccumulationSchedule.class, new Reader("epoch:factor pairs such as 0:1,4:2", AccumulationSchedule::parse)),
            Map.entry(Duration.class, new Reader("a duration (seconds, PT1H30M or DD:HH:MM:SS)", TrainerArgs::duration)),
            Map.entry(Path.class, new Reader("a folder", Path::of)),
            Map.entry(Precision.class, new Reader("32, 64, bf16-mixed or 16-mixed", Precision::parse)),
            Map.entry(GradientClipAlgorithm.class, new Reader("norm or value", t -> GradientClipAlgorithm.valueOf(t.toUpperCase(Locale.ROOT)))));

    /** One flag: its accessor and the builder method taking its plain value type. */
    private record Key(Method accessor, Method setter, Reader reader) {

        void apply(String name, String text, TrainerConfig.Builder builder) {
            Object value;
            try {
                value = accessor.getName().equals("fastDevRun") ? fastDevRun(text.trim()) : reader.parse.apply(text.trim());
            } catch (RuntimeException e) {
                String accepts = accessor.getAnnotation(Flag.class).accepts();
                throw new TorchlightException(name + ": expected " + (accepts.isEmpty() ? reader.expected : accepts) + ", got '"
                        + text + "'");
            }
            try {
                // checked alone first, so the error names the key as the user wrote it
                set(TrainerConfig.builder(), value).build();
            } catch (IllegalArgumentException e) {
                throw new TorchlightException(name + ": " + e.getMessage());
            }
            set(builder, value);
        }

        private TrainerConfig.Builder set(TrainerConfig.Builder builder, Object value) {
            try {
                setter.invoke(builder, value);
                return builder;
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot set flag " + accessor.getName(), e);
            }
        }
    }

    private static final Map<String, Key> KEYS = keys();

    private TrainerArgs() {
    }

    private static Map<String, Key> keys() {
        Map<String, Key> keys = new LinkedHashMap<>();
        Arrays.stream(TrainerConfig.class.getDeclaredMethods()).filter(m -> m.isAnnotationPresent(Flag.class))
                .sorted(Comparator.comparing(Method::getName)).forEach(accessor -> {
                    Class<?> type = plainType(accessor.getGenericReturnType());
                    Reader reader = READERS.get(type);
                    if (reader == null) {
                        throw new IllegalStateException("flag " + accessor.getName() + " has a type key=value cannot read: " + type);
                    }
                    try {
                        Method setter = TrainerConfig.Builder.class.getMethod(accessor.getName(), type);
                        setter.setAccessible(true); // declared public by the generated, package-private builder
                        keys.put(accessor.getName(), new Key(accessor, setter, reader));
                    } catch (NoSuchMethodException e) {
                        throw new IllegalStateException("flag " + accessor.getName() + " has no builder method", e);
                    }
                });
        return keys;
    }

    /** The type a builder method takes for a flag: {@code OptionalInt} takes an int, {@code Optional<Duration>} a Duration. */
    private static Class<?> plainType(Type type) {
        if (type == OptionalInt.class) {
            return int.class;
        } else if (type == OptionalLong.class) {
            return long.class;
        } else if (type == OptionalDouble.class) {
            return double.class;
        } else if (type instanceof ParameterizedType p && p.getRawType() == Optional.class) {
            return (Class<?>) p.getActualTypeArguments()[0];
        }
        return (Class<?>) type;
    }

    /** The snake_case keys, in name order. */
    public static List<String> keyNames() {
        return KEYS.keySet().stream().map(TrainerArgs::snake).toList();
    }

    /** Whether a (snake_case or camelCase) key is a trainer argument. */
    public static boolean known(String key) {
        return KEYS.containsKey(camel(key));
    }

    /** Applies every argument; the first bad one is an error naming it as given. */
    public static TrainerConfig.Builder apply(Map<String, String> args, TrainerConfig.Builder builder) {
        args.forEach((name, text) -> {
            // Lightning takes a schedule in the same argument: accumulate_grad_batches={0: 1, 4: 2}
            boolean schedule = camel(name).equals("accumulateGradBatches") && text.contains(":");
            Key key = KEYS.get(schedule ? "accumulationSchedule" : camel(name));
            if (key == null) {
                throw new TorchlightException("unknown trainer argument '" + name + "'" + suggestion(name)
                        + "; known: " + String.join(", ", keyNames()));
            }
            key.apply(name, text, builder);
        });
        return builder;
    }

    /** Parses arguments into a configuration, checking every value. */
    public static TrainerConfig parse(Map<String, String> args) {
        TrainerConfig.Builder builder = apply(args, TrainerConfig.builder());
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new TorchlightException(e.getMessage());
        }
    }

    /**
     * Every flag that is set, as snake_case key and text that {@link #apply} reads back: what a checkpoint or
     * {@code hparams.yaml} can hold.
     */
    public static Map<String, String> asArgs(TrainerConfig config) {
        Map<String, String> out = new LinkedHashMap<>();
        KEYS.forEach((name, key) -> {
            Object value;
            try {
                value = key.accessor.invoke(config);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException(e);
            }
            if (value instanceof OptionalInt o) {
                value = o.isPresent() ? o.getAsInt() : null;
            } else if (value instanceof OptionalLong o) {
                value = o.isPresent() ? o.getAsLong() : null;
            } else if (value instanceof OptionalDouble o) {
                value = o.isPresent() ? o.getAsDouble() : null;
            } else if (value instanceof Optional<?> o) {
                value = o.orElse(null);
            }
            if (value != null) {
                out.put(snake(name), value instanceof Enum<?> e && !(value instanceof Precision) ? e.name().toLowerCase(Locale.ROOT)
                        : String.valueOf(value));
            }
        });
        return out;
    }

    /** {@code max_epochs} to {@code maxEpochs}; camelCase stays. */
    static String camel(String key) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : key.trim().toCharArray()) {
            if (c == '_' || c == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    /** {@code maxEpochs} to {@code max_epochs}. */
    static String snake(String key) {
        return key.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
    }

    private static String suggestion(String name) {
        return Names.closest(camel(name), KEYS.keySet(), 3).map(best -> " (did you mean " + snake(best) + "?)").orElse("");
    }

    private static boolean bool(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException(text);
        };
    }

    /** Lightning's {@code fast_dev_run}: true (1 batch), false (off) or a batch count. */
    private static int fastDevRun(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        return t.equals("true") ? 1 : t.equals("false") ? 0 : Integer.parseInt(t);
    }

    private static Duration duration(String text) {
        if (text.startsWith("P") || text.startsWith("p")) {
            return Duration.parse(text.toUpperCase(Locale.ROOT));
        }
        if (text.contains(":")) {
            String[] parts = text.split(":");
            if (parts.length != 4) {
                throw new IllegalArgumentException(text);
            }
            return Duration.ofDays(Long.parseLong(parts[0])).plusHours(Long.parseLong(parts[1]))
                    .plusMinutes(Long.parseLong(parts[2])).plusSeconds(Long.parseLong(parts[3]));
        }
        return Duration.ofMillis(Math.round(Double.parseDouble(text) * 1000));
    }
}
