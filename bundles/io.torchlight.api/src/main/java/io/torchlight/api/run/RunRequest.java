package io.torchlight.api.run;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

import io.torchlight.api.Stage;

/**
 * What to run: a module by name, the stage, trainer arguments as text (Lightning's snake_case or
 * camelCase keys, e.g. {@code max_epochs=3}), hyperparameters, an optional data module, and where the
 * request came from (for status and logs). {@code loggers} and {@code callbacks} select services by name,
 * comma-separated ({@code csv,tensorboard}; {@code *} = all, the default; empty or {@code none} = none). {@code version} names an existing {@code version_<n>} folder to
 * continue in (Lightning's logger {@code version}); null means a new folder, as every run gets by default,
 * resumed ones included.
 */
@ProviderType
public record RunRequest(String module, Stage stage, Map<String, String> trainerArgs, Map<String, Object> hparams,
        String dataModule, String source, boolean testAfterFit, String ckptPath, Integer version, String loggers,
        String callbacks) {

    public RunRequest {
        loggers = selection(loggers, "loggers");
        callbacks = selection(callbacks, "callbacks");
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(stage, "stage");
        trainerArgs = Map.copyOf(trainerArgs);
        hparams = Map.copyOf(hparams);
        Objects.requireNonNull(source, "source");
        if (version != null && version < 0) {
            throw new IllegalArgumentException("version: expected a version number >= 0, got " + version);
        }
    }

    /** A request that uses every logger and callback service. */
    public RunRequest(String module, Stage stage, Map<String, String> trainerArgs, Map<String, Object> hparams,
            String dataModule, String source, boolean testAfterFit, String ckptPath, Integer version) {
        this(module, stage, trainerArgs, hparams, dataModule, source, testAfterFit, ckptPath, version, ALL, ALL);
    }

    /** A request that writes into a new version folder. */
    public RunRequest(String module, Stage stage, Map<String, String> trainerArgs, Map<String, Object> hparams,
            String dataModule, String source, boolean testAfterFit, String ckptPath) {
        this(module, stage, trainerArgs, hparams, dataModule, source, testAfterFit, ckptPath, null);
    }

    /** A request without test-after-fit. */
    public RunRequest(String module, Stage stage, Map<String, String> trainerArgs, Map<String, Object> hparams,
            String dataModule, String source) {
        this(module, stage, trainerArgs, hparams, dataModule, source, false, null);
    }

    /** Selects every service of a kind ({@link #loggers()}, {@link #callbacks()}). */
    public static final String ALL = "*";

    private static String selection(String names, String key) {
        String value = names == null ? ALL : names.trim();
        return value.equalsIgnoreCase("none") ? "" : value;
    }

    /** A request without arguments. */
    public static RunRequest of(String module, Stage stage, String source) {
        return new RunRequest(module, stage, Map.of(), Map.of(), null, source);
    }

    /**
     * Parses {@code key=value} words: {@code hparams.x=...} become hyperparameters, {@code datamodule=} the data
     * module, {@code test_after_fit=true} tests the trained module right after fitting (as Lightning scripts
     * call {@code trainer.test(model)} after {@code trainer.fit(model)}), {@code ckpt_path=last} (the newest
     * checkpoint of the module's runs) or a file resumes a fit or evaluates its weights, {@code version=<n>}
     * writes into the existing {@code version_<n>} folder instead of a new one, {@code loggers=} and {@code callbacks=}
     * select services; the rest are trainer arguments.
     */
    public static RunRequest parse(String module, Stage stage, Iterable<String> words, String source) {
        Map<String, String> args = new LinkedHashMap<>();
        Map<String, Object> hparams = new LinkedHashMap<>();
        String dataModule = null;
        boolean testAfterFit = false;
        String ckptPath = null;
        Integer version = null;
        String loggers = ALL;
        String callbacks = ALL;
        for (String word : words) {
            int eq = word.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got '" + word + "' (e.g. max_epochs=3)");
            }
            String key = word.substring(0, eq).trim();
            String value = word.substring(eq + 1).trim();
            if (key.startsWith("hparams.")) {
                hparams.put(key.substring("hparams.".length()), value);
            } else if (key.equals("datamodule") || key.equals("data_module")) {
                dataModule = value;
            } else if (key.equals("ckpt_path") || key.equals("ckptPath")) {
                ckptPath = value;
            } else if (key.equals("loggers")) {
                loggers = value;
            } else if (key.equals("callbacks")) {
                callbacks = value;
            } else if (key.equals("version")) {
                try {
                    version = Integer.valueOf(value.startsWith("version_") ? value.substring("version_".length()) : value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("version: expected a version number (e.g. 0 or version_0), got '" + value + "'");
                }
            } else if (key.equals("test_after_fit") || key.equals("testAfterFit")) {
                if (!value.equals("true") && !value.equals("false")) {
                    throw new IllegalArgumentException("test_after_fit: expected true or false, got '" + value + "'");
                }
                testAfterFit = Boolean.parseBoolean(value);
            } else {
                args.put(key, value);
            }
        }
        return new RunRequest(module, stage, args, hparams, dataModule, source, testAfterFit, ckptPath, version, loggers,
                callbacks);
    }
}
