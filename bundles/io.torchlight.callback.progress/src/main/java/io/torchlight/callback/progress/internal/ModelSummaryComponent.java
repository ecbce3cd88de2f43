package io.torchlight.callback.progress.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ServiceScope;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.torchlight.api.callback.Callback;
import io.torchlight.callback.progress.ModelSummary;

/** ModelSummary as the callback service {@code model_summary}, one instance per run; configuration is optional. */
@Component(service = Callback.class, scope = ServiceScope.PROTOTYPE, configurationPid = "io.torchlight.callback.modelsummary",
        property = Callback.PROPERTY_NAME + "=" + ModelSummary.NAME)
@Designate(ocd = ModelSummaryComponent.Config.class)
public class ModelSummaryComponent extends ModelSummary {

    /** The settings, with Lightning's names. */
    @ObjectClassDefinition(name = "Torchlight ModelSummary")
    public @interface Config {
        /** How deep to list nested layers; -1 for all. */
        int max_depth() default 1;
    }

    @Activate
    public ModelSummaryComponent(Config config) {
        super(config.max_depth(), System.out);
    }
}
