package io.torchlight.callback.progress.internal;

import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ServiceScope;

import io.torchlight.api.Callback;
import io.torchlight.api.Configured;
import io.torchlight.callback.progress.ModelSummary;
import io.torchlight.utils.config.ConfigurationException;
import io.torchlight.utils.config.PluginSettings;

/**
 * ModelSummary as the callback service {@code model_summary}, one instance per run; configuration
 * ({@code io.torchlight.callback.modelsummary}: {@code max_depth}, -1 for all) is optional.
 */
@Component(service = Callback.class, scope = ServiceScope.PROTOTYPE, configurationPid = ModelSummaryComponent.PID,
        property = Callback.PROPERTY_NAME + "=" + ModelSummary.NAME)
public class ModelSummaryComponent extends ModelSummary implements Configured {

    static final String PID = "io.torchlight.callback.modelsummary";

    private final Optional<ConfigurationException> problem;

    @Activate
    public ModelSummaryComponent(Map<String, Object> properties) {
        this(PluginSettings.of(PID, properties));
    }

    private ModelSummaryComponent(PluginSettings config) {
        super(config.integer("max_depth", 1), System.out);
        this.problem = config.problem();
    }

    @Override
    public Optional<ConfigurationException> configurationProblem() {
        return problem;
    }
}
