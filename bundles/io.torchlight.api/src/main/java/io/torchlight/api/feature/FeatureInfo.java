package io.torchlight.api.feature;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A feature of the distribution: its short name ({@code tensorboard}), OSGi feature id, title and description, the
 * bundle files it names, whether all of them are installed now, and why it cannot be changed at runtime (null when
 * it can).
 */
@ProviderType
public record FeatureInfo(String name, String id, String title, String description, List<String> bundles,
        boolean installed, String fixedBecause) {

    public FeatureInfo {
        bundles = List.copyOf(bundles);
    }
}
