package io.torchlight.core.internal.runs;

import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import io.torchlight.api.TorchlightException;
import io.torchlight.api.run.RunManager;
import io.torchlight.api.run.RunRequest;

/**
 * One run per factory configuration of PID {@code io.torchlight.run} (a file
 * {@code etc/io.torchlight.run-<name>.cfg}): {@code module=}, {@code stage=}, trainer arguments,
 * {@code hparams.*}. A malformed configuration is logged as an error naming the file; nothing else is
 * affected.
 */
@Component(configurationPid = RunConfigs.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
public class RunConfigComponent {

    @Activate
    public RunConfigComponent(@Reference RunManager runs, @Reference(service = LoggerFactory.class) Logger log,
            BundleContext context, Map<String, Object> properties) {
        String origin = RunConfigs.origin(properties);
        if ("false".equals(context.getProperty(RunManagerComponent.AUTOSTART))) {
            log.info("run configuration {} not started: this container runs only what its command asks for", origin);
            return;
        }
        try {
            RunRequest request = RunConfigs.request(properties, origin);
            String id = runs.submit(request).id();
            log.info("run {} started from {}", id, origin);
        } catch (TorchlightException | IllegalArgumentException e) {
            log.error("run configuration {} is invalid: {}", origin, e.getMessage());
        }
    }
}
