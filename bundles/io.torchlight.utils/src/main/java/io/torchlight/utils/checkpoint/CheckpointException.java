package io.torchlight.utils.checkpoint;

/** A checkpoint that cannot be read or written; the message names the file and the problem. */
public final class CheckpointException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
