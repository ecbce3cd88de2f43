package io.torchlight.core.internal.plugins;

import org.bytedeco.pytorch.global.torch.DeviceType;

import io.torchlight.api.TorchlightException;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.accelerator.Accelerator;

/** How plug-ins are picked by name, the same for instances, the class path and the service registry. */
final class PluginRules {

    private PluginRules() {
    }

    /** Whether the accelerator answers to {@code requested}: its name, or Lightning 1.6's {@code gpu} for the CUDA device type. */
    static boolean answersTo(Accelerator accelerator, String requested) {
        return accelerator.name().equals(requested) || requested.equals("gpu") && accelerator.deviceType() == DeviceType.CUDA;
    }

    /** The strategy a run asks for: {@code auto} is the single-device strategy. */
    static String strategyName(TrainerConfig config) {
        return config.strategy().equals("auto") ? "single_device" : config.strategy();
    }

    /** The accelerator, if it can be used; else an error with its reason and {@code hint} (what else to use). */
    static Accelerator usable(Accelerator accelerator, String hint) {
        if (!accelerator.isAvailable()) {
            throw new TorchlightException("accelerator " + accelerator.name() + " is not available: "
                    + accelerator.unavailableReason().orElse("no reason given") + hint);
        }
        return accelerator;
    }
}
