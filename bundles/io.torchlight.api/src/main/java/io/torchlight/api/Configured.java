package io.torchlight.api;

import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

import io.torchlight.utils.config.ConfigurationException;

/**
 * A plug-in service (callback, logger) whose configuration can be invalid. The container asks before a run
 * uses the plug-in, and a problem fails that run with its message, instead of the run going on without the
 * plug-in. Components typically return {@link PluginSettings#problem()} of the settings they were activated with.
 */
@ConsumerType
public interface Configured {

    /** What is wrong with this plug-in's configuration, if anything. */
    Optional<ConfigurationException> configurationProblem();
}
