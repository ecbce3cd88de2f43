package io.torchlight.callback.progress.internal;

import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.ServiceScope;

import io.torchlight.api.Callback;
import io.torchlight.api.Configured;
import io.torchlight.api.optim.Interval;
import io.torchlight.callback.progress.LearningRateMonitor;
import io.torchlight.utils.config.ConfigurationException;
import io.torchlight.utils.config.PluginSettings;

/**
 * LearningRateMonitor as the callback service {@code lr_monitor}. Lightning adds it only when asked, so it exists
 * only with a configuration of {@code io.torchlight.callback.lrmonitor} (e.g. {@code etc/io.torchlight.callback.lrmonitor.cfg}
 * with {@code logging_interval=step}, or {@code epoch}). A bad value or unknown key fails the runs that use it.
 */
@Component(service = Callback.class, scope = ServiceScope.PROTOTYPE, configurationPolicy = ConfigurationPolicy.REQUIRE,
        configurationPid = LearningRateMonitorComponent.PID, property = Callback.PROPERTY_NAME + "=" + LearningRateMonitor.NAME)
public class LearningRateMonitorComponent extends LearningRateMonitor implements Configured {

    static final String PID = "io.torchlight.callback.lrmonitor";

    private final Optional<ConfigurationException> problem;

    @Activate
    public LearningRateMonitorComponent(Map<String, Object> properties) {
        this(PluginSettings.of(PID, properties));
    }

    private LearningRateMonitorComponent(PluginSettings config) {
        super(config.choice("logging_interval", Interval.STEP));
        this.problem = config.problem();
    }

    @Override
    public Optional<ConfigurationException> configurationProblem() {
        return problem;
    }
}
