package io.torchlight.callback.progress.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ServiceScope;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.torchlight.api.callback.Callback;
import io.torchlight.callback.progress.ProgressBar;

/** The progress bar as the callback service {@code progress_bar}, one instance per run; configuration is optional. */
@Component(service = Callback.class, scope = ServiceScope.PROTOTYPE, configurationPid = "io.torchlight.callback.progress",
        property = Callback.PROPERTY_NAME + "=" + ProgressBar.NAME)
@Designate(ocd = ProgressBarComponent.Config.class)
public class ProgressBarComponent extends ProgressBar {

    /** The settings, with Lightning's names. */
    @ObjectClassDefinition(name = "Torchlight progress bar")
    public @interface Config {
        /** Batches between updates; 0: automatic. */
        int refresh_rate() default 0;

        /** auto, terminal or lines. */
        String mode() default "auto";
    }

    @Activate
    public ProgressBarComponent(Config config) {
        super(new Settings(config.refresh_rate(), mode(config.mode()), System.out));
    }
}
