package io.torchlight.core.internal.runs;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.torchlight.api.Stage;
import io.torchlight.api.run.RunRequest;

/** Reads a run configuration's properties into a {@link RunRequest}. */
public final class RunConfigs {

    static final String FACTORY_PID = "io.torchlight.run";

    private static final Set<String> FRAMEWORK_KEYS = Set.of("service.pid", "service.factoryPid", "service.bundleLocation",
            "component.name", "component.id", "felix.fileinstall.filename", "module", "stage", "datamodule");

    private RunConfigs() {
    }

    /** Where the configuration came from: its file when FileInstall made it, else its PID. */
    static String origin(Map<String, Object> properties) {
        Object file = properties.get("felix.fileinstall.filename");
        return file != null ? String.valueOf(file).replaceFirst("^file:", "") : String.valueOf(properties.get("service.pid"));
    }

    static RunRequest request(Map<String, Object> properties, String origin) {
        Object module = properties.get("module");
        if (module == null || String.valueOf(module).isBlank()) {
            throw new IllegalArgumentException("missing 'module' (e.g. module=fashion-mlp)");
        }
        Stage stage;
        String stageText = String.valueOf(properties.getOrDefault("stage", "fit")).trim();
        try {
            stage = Stage.valueOf(stageText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("stage: expected fit, validate, test or predict, got '" + stageText + "'", e);
        }
        Map<String, String> args = new LinkedHashMap<>();
        Map<String, Object> hparams = new LinkedHashMap<>();
        properties.forEach((k, v) -> {
            if (k.startsWith("hparams.")) {
                hparams.put(k.substring("hparams.".length()), v);
            } else if (!FRAMEWORK_KEYS.contains(k) && !k.startsWith("felix.") && !k.startsWith("component.")
                    && !k.startsWith("osgi.") && !k.startsWith("service.")) {
                args.put(k, String.valueOf(v));
            }
        });
        Object dataModule = properties.get("datamodule");
        return new RunRequest(String.valueOf(module).trim(), stage, args, hparams,
                dataModule == null ? null : String.valueOf(dataModule), "config " + origin, false, null, null,
                args.remove("loggers"), args.remove("callbacks"));
    }
}
