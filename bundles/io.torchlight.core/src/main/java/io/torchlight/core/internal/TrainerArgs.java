package io.torchlight.core.internal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

import io.torchlight.api.GradientClipAlgorithm;
import io.torchlight.api.Limit;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.TrainerConfig;
import io.torchlight.utils.config.Names;

/**
 * Trainer arguments given as text ({@code max_epochs=3}, {@code maxEpochs=3}) applied to a
 * {@link TrainerConfig.Builder}. Errors name the key and the expected type; an unknown key suggests the
 * nearest known one.
 */
public final class TrainerArgs {

    private record Key<T>(String type, Function<String, T> parse, BiConsumer<TrainerConfig.Builder, T> set) {
        void apply(String name, String text, TrainerConfig.Builder builder) {
            T value;
            try {
                value = parse.apply(text.trim());
            } catch (RuntimeException e) {
                throw new TorchlightException(name + ": expected " + type + ", got '" + text + "'");
            }
            try {
                set.accept(builder, value);
            } catch (IllegalArgumentException e) {
                throw new TorchlightException(name + ": " + e.getMessage());
            }
        }
    }

    private static final Map<String, Key<?>> KEYS = new LinkedHashMap<>();

    static {
        key("maxEpochs", "an integer (-1 = unbounded)", Integer::parseInt, TrainerConfig.Builder::maxEpochs);
        key("minEpochs", "an integer", Integer::parseInt, TrainerConfig.Builder::minEpochs);
        key("maxSteps", "an integer (-1 = unbounded)", Long::parseLong, TrainerConfig.Builder::maxSteps);
        key("minSteps", "an integer", Long::parseLong, TrainerConfig.Builder::minSteps);
        key("maxTime", "a duration (seconds, PT1H30M or DD:HH:MM:SS)", TrainerArgs::duration, TrainerConfig.Builder::maxTime);
        key("limitTrainBatches", "a batch count or a fraction", Limit::parse, TrainerConfig.Builder::limitTrainBatches);
        key("limitValBatches", "a batch count or a fraction", Limit::parse, TrainerConfig.Builder::limitValBatches);
        key("limitTestBatches", "a batch count or a fraction", Limit::parse, TrainerConfig.Builder::limitTestBatches);
        key("limitPredictBatches", "a batch count or a fraction", Limit::parse, TrainerConfig.Builder::limitPredictBatches);
        key("valCheckInterval", "a batch count or a fraction", Limit::parse, TrainerConfig.Builder::valCheckInterval);
        key("checkValEveryNEpoch", "an integer or none", t -> t.equalsIgnoreCase("none") ? null : Integer.valueOf(t),
                TrainerConfig.Builder::checkValEveryNEpoch);
        key("numSanityValSteps", "an integer (-1 = all)", Integer::parseInt, TrainerConfig.Builder::numSanityValSteps);
        key("accumulateGradBatches", "an integer", Integer::parseInt, TrainerConfig.Builder::accumulateGradBatches);
        key("gradientClipVal", "a number", Double::valueOf, TrainerConfig.Builder::gradientClipVal);
        key("gradientClipAlgorithm", "norm or value", t -> GradientClipAlgorithm.valueOf(t.toUpperCase(Locale.ROOT)),
                TrainerConfig.Builder::gradientClipAlgorithm);
        key("deterministic", "true or false", TrainerArgs::bool, TrainerConfig.Builder::deterministic);
        key("seed", "an integer", Long::valueOf, TrainerConfig.Builder::seed);
        key("fastDevRun", "true, false or a batch count", TrainerArgs::fastDevRun, TrainerConfig.Builder::fastDevRun);
        key("overfitBatches", "a batch count or a fraction", Limit::parse, TrainerConfig.Builder::overfitBatches);
        key("logEveryNSteps", "an integer", Integer::parseInt, TrainerConfig.Builder::logEveryNSteps);
        key("defaultRootDir", "a folder", java.nio.file.Path::of, TrainerConfig.Builder::defaultRootDir);
        key("detectAnomaly", "true or false", TrainerArgs::bool, TrainerConfig.Builder::detectAnomaly);
        key("enableProgressBar", "true or false", TrainerArgs::bool, TrainerConfig.Builder::enableProgressBar);
        key("enableModelSummary", "true or false", TrainerArgs::bool, TrainerConfig.Builder::enableModelSummary);
        key("enableCheckpointing", "true or false", TrainerArgs::bool, TrainerConfig.Builder::enableCheckpointing);
        key("accelerator", "auto, cpu or cuda", t -> t, TrainerConfig.Builder::accelerator);
        key("devices", "auto, a count, -1 or a list like [0,2]", t -> t, TrainerConfig.Builder::devices);
        key("strategy", "a strategy name", t -> t, TrainerConfig.Builder::strategy);
        key("precision", "32, 64, bf16-mixed or 16-mixed", t -> t, TrainerConfig.Builder::precision);
        key("loggers", "logger names (csv,tensorboard), * or none", t -> t.equalsIgnoreCase("none") ? "" : t,
                TrainerConfig.Builder::loggerSelection);
        key("callbacks", "callback names, * or none", t -> t.equalsIgnoreCase("none") ? "" : t,
                TrainerConfig.Builder::callbackSelection);
    }

    private static <T> void key(String name, String type, Function<String, T> parse, BiConsumer<TrainerConfig.Builder, T> set) {
        KEYS.put(name, new Key<>(type, parse, set));
    }

    private TrainerArgs() {
    }

    /** Whether a (snake_case or camelCase) key is a trainer argument. */
    public static boolean known(String key) {
        return KEYS.containsKey(camel(key));
    }

    /** Applies every argument; the first bad one is an error naming it as given. */
    public static TrainerConfig.Builder apply(Map<String, String> args, TrainerConfig.Builder builder) {
        args.forEach((name, text) -> {
            Key<?> key = KEYS.get(camel(name));
            if (key == null) {
                throw new TorchlightException("unknown trainer argument '" + name + "'" + suggestion(name)
                        + "; known: " + String.join(", ", KEYS.keySet().stream().map(TrainerArgs::snake).toList()));
            }
            key.apply(name, text, builder);
        });
        return builder;
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

    private static int fastDevRun(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        if (t.equals("true")) {
            return 1;
        }
        if (t.equals("false")) {
            return 0;
        }
        return Integer.parseInt(t);
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
