package io.torchlight.api.checkpoint;

import io.torchlight.api.TorchlightException;

/** A checkpoint that cannot be read or written; the message names the file and the problem. */
public final class CheckpointException extends TorchlightException {

    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
