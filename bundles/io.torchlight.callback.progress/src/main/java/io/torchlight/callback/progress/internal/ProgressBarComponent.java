package io.torchlight.callback.progress.internal;

import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ServiceScope;

import io.torchlight.api.Callback;
import io.torchlight.api.Configured;
import io.torchlight.callback.progress.ProgressBar;
import io.torchlight.utils.config.ConfigurationException;
import io.torchlight.utils.config.PluginSettings;

/**
 * The progress bar as the callback service {@code progress_bar}, one instance per run; configuration
 * ({@code io.torchlight.callback.progress}: {@code refresh_rate}, batches between updates, 0 automatic;
 * {@code mode}, auto, terminal or lines) is optional.
 */
@Component(service = Callback.class, scope = ServiceScope.PROTOTYPE, configurationPid = ProgressBarComponent.PID,
        property = Callback.PROPERTY_NAME + "=" + ProgressBar.NAME)
public class ProgressBarComponent extends ProgressBar implements Configured {

    static final String PID = "io.torchlight.callback.progress";

    private final Optional<ConfigurationException> problem;

    @Activate
    public ProgressBarComponent(Map<String, Object> properties) {
        this(PluginSettings.of(PID, properties));
    }

    private ProgressBarComponent(PluginSettings config) {
        super(new Settings(config.integer("refresh_rate", 0), config.choice("mode", Mode.AUTO), System.out));
        this.problem = config.problem();
    }

    @Override
    public Optional<ConfigurationException> configurationProblem() {
        return problem;
    }
}
