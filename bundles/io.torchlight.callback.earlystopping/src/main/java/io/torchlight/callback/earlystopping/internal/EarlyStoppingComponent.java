package io.torchlight.callback.earlystopping.internal;

import java.util.Locale;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.ServiceScope;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.torchlight.api.callback.Callback;
import io.torchlight.callback.earlystopping.EarlyStopping;

/**
 * EarlyStopping as a callback service named {@code early_stopping}, one per factory configuration of
 * {@code io.torchlight.callback.earlystopping} (it needs a monitor, so there is none without one).
 */
@Component(service = Callback.class, scope = ServiceScope.PROTOTYPE, configurationPolicy = ConfigurationPolicy.REQUIRE,
        configurationPid = "io.torchlight.callback.earlystopping", property = Callback.PROPERTY_NAME + "=" + EarlyStopping.NAME)
@Designate(ocd = EarlyStoppingComponent.Config.class, factory = true)
public class EarlyStoppingComponent extends EarlyStopping {

    /** The settings, with Lightning's names. */
    @ObjectClassDefinition(name = "Torchlight EarlyStopping")
    public @interface Config {
        String monitor();

        double min_delta() default 0;

        int patience() default 3;

        String mode() default "min";

        boolean strict() default true;

        String stopping_threshold() default "";

        String divergence_threshold() default "";
    }

    @Activate
    public EarlyStoppingComponent(Config config) {
        super(new Settings(config.monitor(), config.min_delta(), config.patience(),
                Mode.valueOf(config.mode().toUpperCase(Locale.ROOT)), config.strict(), true,
                config.stopping_threshold().isBlank() ? null : Double.valueOf(config.stopping_threshold()),
                config.divergence_threshold().isBlank() ? null : Double.valueOf(config.divergence_threshold()), null));
    }
}
