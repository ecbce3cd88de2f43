package io.torchlight.shell.internal.features;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;

import io.torchlight.api.TorchlightException;
import io.torchlight.api.feature.FeatureInfo;

/**
 * Puts a feature's bundles into the running framework and takes them out again. Bundles are installed by reference
 * from the distribution's {@code bundles/} folder, as the launcher installs them, so a feature's bundle the launcher
 * installed is recognised by its location. A failed install removes what it added; an uninstall leaves the bundles
 * other installed features name and is refused while other bundles are wired to the feature's packages.
 */
final class FeatureInstaller {

    private static final Map<String, String> FIXED = Map.of(
            "torch-cpu", "the libtorch runtime layer is never changed in a running JVM",
            "torch-gpu", "the libtorch runtime layer is never changed in a running JVM",
            "platform", "it is the container's own platform (logging, SCR, ConfigAdmin, FileInstall, Gogo)",
            "core", "it holds the Trainer, the run manager and these commands");

    private final BundleContext context;
    private final Path bundlesDir;

    FeatureInstaller(BundleContext context, Path bundlesDir) {
        this.context = context;
        this.bundlesDir = bundlesDir;
    }

    FeatureInfo info(FeatureFile feature) {
        return new FeatureInfo(feature.shortName(), feature.id(), feature.title(), feature.description(),
                feature.bundles().stream().map(FeatureFile.BundleFile::fileName).toList(), installed(feature), fixedBecause(feature));
    }

    boolean installed(FeatureFile feature) {
        return feature.bundles().stream().filter(b -> !b.deploy()).allMatch(b -> context.getBundle(location(b)) != null);
    }

    static String fixedBecause(FeatureFile feature) {
        if (FIXED.containsKey(feature.shortName())) {
            return FIXED.get(feature.shortName());
        }
        if (feature.bundles().stream().anyMatch(FeatureFile.BundleFile::deploy)) {
            return "its bundles are drop-ins: add or remove them in deploy/";
        }
        return null;
    }

    void install(FeatureFile feature) {
        refuseFixed(feature, "installed");
        if (installed(feature)) {
            throw new TorchlightException("feature " + feature.shortName() + " is already installed");
        }
        List<Bundle> added = new ArrayList<>();
        String current = null;
        try {
            for (FeatureFile.BundleFile file : feature.bundles()) {
                current = file.fileName();
                Path jar = bundlesDir.resolve(file.fileName());
                if (!Files.isRegularFile(jar)) {
                    throw new BundleException("the distribution has no " + jar);
                }
                if (context.getBundle(location(file)) == null) {
                    added.add(context.installBundle(location(file)));
                }
            }
            for (Bundle bundle : added) {
                current = bundle.getSymbolicName() + " " + bundle.getVersion();
                if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    bundle.start();
                }
            }
        } catch (BundleException | IllegalStateException | SecurityException e) {
            remove(added);
            throw new TorchlightException("feature " + feature.shortName() + " was not installed: " + current + ": "
                    + e.getMessage() + "; the bundles it had added were removed again", e);
        }
    }

    /** {@code others}: the other features, whose installed bundles stay. */
    void uninstall(FeatureFile feature, List<FeatureFile> others) {
        refuseFixed(feature, "uninstalled");
        if (!installed(feature)) {
            throw new TorchlightException("feature " + feature.shortName() + " is not installed");
        }
        Set<String> keep = new LinkedHashSet<>();
        others.stream().filter(o -> !o.id().equals(feature.id()) && installed(o))
                .forEach(o -> o.bundles().forEach(b -> keep.add(location(b))));
        List<Bundle> remove = new ArrayList<>();
        for (FeatureFile.BundleFile file : feature.bundles()) {
            Bundle bundle = context.getBundle(location(file));
            if (bundle != null && !keep.contains(location(file))) {
                remove.add(bundle);
            }
        }
        Set<String> users = new TreeSet<>();
        for (Bundle bundle : remove) {
            BundleWiring wiring = bundle.adapt(BundleWiring.class);
            if (wiring == null) {
                continue;
            }
            for (BundleWire wire : wiring.getProvidedWires(null)) {
                Bundle user = wire.getRequirer().getBundle();
                if (user.getBundleId() != 0 && !remove.contains(user) && user.getState() != Bundle.UNINSTALLED) {
                    users.add(user.getSymbolicName() + " (uses " + bundle.getSymbolicName() + ")");
                }
            }
        }
        if (!users.isEmpty()) {
            throw new TorchlightException("feature " + feature.shortName() + " is in use by " + String.join(", ", users)
                    + ": uninstall what uses it first");
        }
        remove(remove);
    }

    private void refuseFixed(FeatureFile feature, String what) {
        String fixed = fixedBecause(feature);
        if (fixed != null) {
            throw new TorchlightException("feature " + feature.shortName() + " cannot be " + what + " at runtime: " + fixed);
        }
    }

    /** Stops and uninstalls the bundles, newest first, then lets the framework drop their wiring. */
    private void remove(List<Bundle> bundles) {
        List<Bundle> reversed = new ArrayList<>(bundles);
        Collections.reverse(reversed);
        for (Bundle bundle : reversed) {
            try {
                bundle.uninstall();
            } catch (BundleException | IllegalStateException e) {
                // already gone
            }
        }
        if (!bundles.isEmpty()) {
            context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class).refreshBundles(bundles);
        }
    }

    String location(FeatureFile.BundleFile file) {
        return "reference:" + bundlesDir.resolve(file.fileName()).toUri();
    }
}
