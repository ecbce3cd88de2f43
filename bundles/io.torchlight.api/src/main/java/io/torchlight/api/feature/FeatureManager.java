package io.torchlight.api.feature;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Installs and uninstalls the distribution's features while the container runs. An install puts every bundle of
 * the feature in, in the feature's order, and starts them; if any cannot be installed, resolved or started, the
 * bundles it added are removed again and the container is as it was. An uninstall is refused while bundles outside
 * the feature use its packages; bundles another installed feature names stay. Changes last for the container's life:
 * {@code lib/bundles.list} decides what the next start installs.
 */
@ProviderType
public interface FeatureManager {

    /** Every feature of the distribution, with its state. */
    List<FeatureInfo> features();

    /**
     * Installs a feature by short name; returns its new state. Fails with a message naming the feature and the bundle
     * that failed (and why) for an unknown feature, one that cannot change at runtime, or a bundle that does not resolve.
     */
    FeatureInfo install(String name);

    /** Uninstalls a feature by short name; fails naming the bundles that still use it. */
    FeatureInfo uninstall(String name);
}
