package io.torchlight.api;

/**
 * A user-facing error: a misconfiguration or a hook that did something the trainer cannot accept. The
 * message names the culprit (hook, key, file) and what to do.
 */
public class TorchlightException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TorchlightException(String message) {
        super(message);
    }

    public TorchlightException(String message, Throwable cause) {
        super(message, cause);
    }
}
