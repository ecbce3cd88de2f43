package io.torchlight.core.internal.plugins;

import java.util.List;
import java.util.Optional;

import org.bytedeco.pytorch.global.torch.DeviceType;

import io.torchlight.api.TorchlightException;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.accelerator.Accelerator;
import io.torchlight.api.profiler.Profiler;
import io.torchlight.core.internal.TrainerSetup;
import io.torchlight.utils.config.ConfigurationException;

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

    /**
     * The profiler to use: the given instance, or else the one named by the {@code profiler} flag among
     * {@code installed}; none when the flag is empty or {@code none}. An unknown name is an error listing what is there.
     */
    static Optional<Profiler> profiler(TrainerSetup setup, List<Profiler> installed, String hint) {
        if (setup.instances().profiler().isPresent()) {
            return setup.instances().profiler();
        }
        String name = setup.config().profiler();
        if (name.isEmpty() || name.equals("none")) {
            return Optional.empty();
        }
        return Optional.of(installed.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new ConfigurationException("profiler=" + name + ": no profiler of that name; installed: "
                        + installed.stream().map(Profiler::name).sorted().toList() + hint)));
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
