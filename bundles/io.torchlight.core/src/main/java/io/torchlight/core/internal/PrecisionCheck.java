package io.torchlight.core.internal;

import io.torchlight.api.TorchlightException;
import io.torchlight.api.accelerator.Accelerator;

/**
 * Refuses, when the trainer is made, a precision this build cannot honour, instead of training in another one
 * silently: 16-mixed needs CUDA, and only 32-bit training is implemented so far.
 */
final class PrecisionCheck {

    private PrecisionCheck() {
    }

    static void check(String precision, Accelerator accelerator) {
        if (precision.equals("32")) {
            return;
        }
        if (precision.equals("16-mixed") && !accelerator.name().equals("cuda")) {
            throw new TorchlightException("precision=16-mixed needs accelerator=cuda (float16 autocast and a gradient scaler"
                    + " are a GPU feature); on " + accelerator.name() + " use precision=32");
        }
        throw new TorchlightException("precision=" + precision + " is not implemented in this version of Torchlight; use precision=32");
    }
}
