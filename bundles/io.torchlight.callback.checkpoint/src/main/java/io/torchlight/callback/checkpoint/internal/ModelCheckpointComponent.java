package io.torchlight.callback.checkpoint.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.ServiceScope;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.torchlight.api.callback.Callback;
import io.torchlight.callback.checkpoint.ModelCheckpoint;

/**
 * ModelCheckpoint as a callback service named {@code checkpoint}: prototype scope (each run its own
 * state), configured by PID {@code io.torchlight.callback.checkpoint} or by factory configurations of it
 * ({@code etc/io.torchlight.callback.checkpoint-best.cfg} with another {@code name}).
 */
@Component(service = Callback.class, scope = ServiceScope.PROTOTYPE, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        configurationPid = "io.torchlight.callback.checkpoint", property = Callback.PROPERTY_NAME + "=" + ModelCheckpoint.NAME)
@Designate(ocd = ModelCheckpointComponent.Config.class, factory = true)
public class ModelCheckpointComponent extends ModelCheckpoint {

    /** The settings, with Lightning's names. */
    @ObjectClassDefinition(name = "Torchlight ModelCheckpoint")
    public @interface Config {
        @AttributeDefinition(description = "Folder; empty = the run's checkpoints/ folder")
        String dirpath() default "";

        @AttributeDefinition(description = "Name template, e.g. {epoch}-{step}-{val_loss:.3f}")
        String filename() default "{epoch}-{step}";

        @AttributeDefinition(description = "Metric that ranks checkpoints; empty = newest is best")
        String monitor() default "";

        @AttributeDefinition(description = "min or max")
        String mode() default "min";

        int save_top_k() default 1;

        boolean save_last() default false;

        boolean save_weights_only() default false;

        int every_n_train_steps() default 0;

        int every_n_epochs() default 1;

        @AttributeDefinition(description = "Seconds between saves during training; 0 = off")
        long train_time_interval() default 0;
    }

    @Activate
    public ModelCheckpointComponent(Config config) {
        super(new Settings(config.dirpath().isBlank() ? null : Path.of(config.dirpath()), config.filename(),
                config.monitor().isBlank() ? null : config.monitor(), Mode.valueOf(config.mode().toUpperCase(Locale.ROOT)),
                config.save_top_k(), config.save_last(), config.save_weights_only(), config.every_n_train_steps(),
                config.every_n_epochs(), config.train_time_interval() > 0 ? Duration.ofSeconds(config.train_time_interval()) : null,
                null));
    }
}
