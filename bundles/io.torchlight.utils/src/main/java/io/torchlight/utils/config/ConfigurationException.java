package io.torchlight.utils.config;

/**
 * A plug-in's configuration is invalid (a bad value, an unknown key). It fails the run that uses the plug-in,
 * rather than the plug-in being detached and the run going on without it: a run silently missing its
 * checkpoints or early stopping is worse than one that stops and says why.
 */
public class ConfigurationException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }
}
