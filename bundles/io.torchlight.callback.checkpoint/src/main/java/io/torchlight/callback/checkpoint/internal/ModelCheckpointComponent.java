package io.torchlight.callback.checkpoint.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.ServiceScope;

import io.torchlight.api.Callback;
import io.torchlight.api.Configured;
import io.torchlight.callback.checkpoint.ModelCheckpoint;
import io.torchlight.utils.config.ConfigurationException;
import io.torchlight.utils.config.PluginSettings;

/**
 * ModelCheckpoint as a callback service named {@code checkpoint}: prototype scope (each run its own
 * state), configured by PID {@code io.torchlight.callback.checkpoint} or by factory configurations of it
 * ({@code etc/io.torchlight.callback.checkpoint-best.cfg} with another {@code torchlight.callback.name}).
 * Keys, with Lightning's names: {@code dirpath}, {@code filename}, {@code monitor}, {@code mode},
 * {@code save_top_k}, {@code save_last}, {@code save_weights_only}, {@code every_n_train_steps},
 * {@code every_n_epochs}, {@code train_time_interval} (seconds). A bad value or an unknown key fails every run
 * that uses this callback, naming the key (read by {@link PluginSettings}, not DS's coercion, which falls
 * back to defaults silently).
 */
@Component(service = Callback.class, scope = ServiceScope.PROTOTYPE, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        configurationPid = ModelCheckpointComponent.PID, property = Callback.PROPERTY_NAME + "=" + ModelCheckpoint.NAME)
public class ModelCheckpointComponent extends ModelCheckpoint implements Configured {

    static final String PID = "io.torchlight.callback.checkpoint";

    private final Optional<ConfigurationException> problem;

    @Activate
    public ModelCheckpointComponent(Map<String, Object> properties) {
        this(PluginSettings.of(PID, properties));
    }

    private ModelCheckpointComponent(PluginSettings config) {
        super(settings(config));
        this.problem = config.problem();
    }

    private static Settings settings(PluginSettings c) {
        String dirpath = c.string("dirpath", "");
        String filename = c.string("filename", "{epoch}-{step}");
        String monitor = c.string("monitor", "");
        Mode mode = c.choice("mode", Mode.MIN);
        int topK = c.integer("save_top_k", 1);
        boolean last = c.flag("save_last", false);
        boolean weightsOnly = c.flag("save_weights_only", false);
        int everySteps = c.integer("every_n_train_steps", 0);
        int everyEpochs = c.integer("every_n_epochs", 1);
        long interval = c.longInteger("train_time_interval", 0);
        return c.build(() -> new Settings(dirpath.isBlank() ? null : Path.of(dirpath), filename, monitor.isBlank() ? null : monitor,
                mode, topK, last, weightsOnly, everySteps, everyEpochs, interval > 0 ? Duration.ofSeconds(interval) : null, null),
                Settings.defaults());
    }

    @Override
    public Optional<ConfigurationException> configurationProblem() {
        return problem;
    }
}
