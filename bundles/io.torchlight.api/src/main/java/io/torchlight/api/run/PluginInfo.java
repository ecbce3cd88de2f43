package io.torchlight.api.run;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A plug-in service present in the container: its kind ({@code accelerator}, {@code strategy}, {@code logger},
 * {@code callback}), name, bundle and version; for accelerators whether they can be used and, if not, why
 * ({@code availability} is null for the other kinds); and the running runs a logger or callback is attached to.
 */
@ProviderType
public record PluginInfo(String kind, String name, String bundle, String version, String availability,
        List<String> attachedTo) {

    public PluginInfo {
        attachedTo = List.copyOf(attachedTo);
    }
}
