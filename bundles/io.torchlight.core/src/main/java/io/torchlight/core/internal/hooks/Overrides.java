package io.torchlight.core.internal.hooks;

import io.torchlight.api.LightningModule;
import io.torchlight.utils.data.Batch;

/**
 * Whether a module overrides a hook, like Lightning's {@code is_overridden}: decides once per run whether
 * to keep step outputs for an epoch-end hook and whether a module validates or tests at all. Looked up
 * by signature, never used to dispatch.
 */
public final class Overrides {

    private Overrides() {
    }

    public static boolean overridden(LightningModule module, String method, Class<?>... parameters) {
        for (Class<?> c = module.getClass(); c != null && c != LightningModule.class; c = c.getSuperclass()) {
            try {
                c.getDeclaredMethod(method, parameters);
                return true;
            } catch (NoSuchMethodException e) {
                // keep looking in the superclass
            }
        }
        return false;
    }

    /** Whether a step ({@code validationStep}, {@code testStep}) is overridden in its one- or several-dataloader form. */
    public static boolean overridesStep(LightningModule module, String step) {
        return overridden(module, step, Batch.class, int.class) || overridden(module, step, Batch.class, int.class, int.class);
    }
}
