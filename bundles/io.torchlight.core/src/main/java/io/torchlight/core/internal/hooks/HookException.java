package io.torchlight.core.internal.hooks;

import io.torchlight.api.TorchlightException;

/** A hook threw: the message names the hook and who implements it (module or callback). */
public final class HookException extends TorchlightException {

    private static final long serialVersionUID = 1L;

    public HookException(String message, Throwable cause) {
        super(message, cause);
    }
}
