package io.torchlight.callback.progress.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.ServiceScope;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.torchlight.api.callback.Callback;
import io.torchlight.api.optim.Interval;
import io.torchlight.callback.progress.LearningRateMonitor;

/**
 * LearningRateMonitor as the callback service {@code lr_monitor}. Lightning adds it only when asked, so it exists
 * only with a configuration of {@code io.torchlight.callback.lrmonitor} (e.g. {@code etc/io.torchlight.callback.lrmonitor.cfg}
 * with {@code logging_interval=step}).
 */
@Component(service = Callback.class, scope = ServiceScope.PROTOTYPE, configurationPolicy = ConfigurationPolicy.REQUIRE,
        configurationPid = "io.torchlight.callback.lrmonitor", property = Callback.PROPERTY_NAME + "=" + LearningRateMonitor.NAME)
@Designate(ocd = LearningRateMonitorComponent.Config.class)
public class LearningRateMonitorComponent extends LearningRateMonitor {

    /** The settings, with Lightning's names. */
    @ObjectClassDefinition(name = "Torchlight LearningRateMonitor")
    public @interface Config {
        /** step or epoch. */
        String logging_interval() default "step";
    }

    @Activate
    public LearningRateMonitorComponent(Config config) {
        super(interval(config.logging_interval()));
    }

    private static Interval interval(String name) {
        return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "step" -> Interval.STEP;
            case "epoch" -> Interval.EPOCH;
            default -> throw new IllegalArgumentException("lr_monitor logging_interval must be step or epoch, not '" + name + "'");
        };
    }
}
