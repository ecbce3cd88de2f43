package io.torchlight.callback.earlystopping.internal;

import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.ServiceScope;

import io.torchlight.api.Callback;
import io.torchlight.api.Configured;
import io.torchlight.callback.earlystopping.EarlyStopping;
import io.torchlight.utils.config.ConfigurationException;
import io.torchlight.utils.config.PluginSettings;

/**
 * EarlyStopping as a callback service named {@code early_stopping}, one per factory configuration of
 * {@code io.torchlight.callback.earlystopping} (it needs a monitor, so there is none without one). Keys, with
 * Lightning's names: {@code monitor}, {@code min_delta}, {@code patience}, {@code mode}, {@code strict},
 * {@code stopping_threshold}, {@code divergence_threshold}. A bad value, a missing monitor or an unknown key
 * fails every run that uses it, naming the key.
 */
@Component(service = Callback.class, scope = ServiceScope.PROTOTYPE, configurationPolicy = ConfigurationPolicy.REQUIRE,
        configurationPid = EarlyStoppingComponent.PID, property = Callback.PROPERTY_NAME + "=" + EarlyStopping.NAME)
public class EarlyStoppingComponent extends EarlyStopping implements Configured {

    static final String PID = "io.torchlight.callback.earlystopping";

    private final Optional<ConfigurationException> problem;

    @Activate
    public EarlyStoppingComponent(Map<String, Object> properties) {
        this(PluginSettings.of(PID, properties));
    }

    private EarlyStoppingComponent(PluginSettings config) {
        super(settings(config));
        this.problem = config.problem();
    }

    private static Settings settings(PluginSettings c) {
        String monitor = c.string("monitor", "");
        double minDelta = c.decimal("min_delta", 0);
        int patience = c.integer("patience", 3);
        Mode mode = c.choice("mode", Mode.MIN);
        boolean strict = c.flag("strict", true);
        double stopping = c.decimal("stopping_threshold", Double.NaN);
        double divergence = c.decimal("divergence_threshold", Double.NaN);
        return c.build(() -> new Settings(monitor, minDelta, patience, mode, strict, true, Double.isNaN(stopping) ? null : stopping,
                Double.isNaN(divergence) ? null : divergence, null), Settings.of("none"));
    }

    @Override
    public Optional<ConfigurationException> configurationProblem() {
        return problem;
    }
}
