package io.torchlight.shell.internal.features;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import io.torchlight.api.TorchlightException;
import io.torchlight.api.feature.FeatureInfo;
import io.torchlight.api.feature.FeatureManager;

/**
 * The {@link FeatureManager} of the container: the feature files of {@code torchlight.features.dir} (the
 * distribution's {@code features/}), their bundles in {@code <torchlight.home>/bundles}. Changes are made one at a time.
 */
@Component(service = FeatureManager.class)
public class FeatureManagerComponent implements FeatureManager {

    private final Path dir;
    private final FeatureInstaller installer;

    @Activate
    public FeatureManagerComponent(BundleContext context) {
        String features = context.getProperty("torchlight.features.dir");
        String home = context.getProperty("torchlight.home");
        this.dir = features == null ? null : Path.of(features);
        this.installer = new FeatureInstaller(context, Path.of(home == null ? "." : home).resolve("bundles"));
    }

    @Override
    public List<FeatureInfo> features() {
        return files().stream().map(installer::info).toList();
    }

    @Override
    public synchronized FeatureInfo install(String name) {
        FeatureFile feature = find(name);
        installer.install(feature);
        return installer.info(feature);
    }

    @Override
    public synchronized FeatureInfo uninstall(String name) {
        FeatureFile feature = find(name);
        installer.uninstall(feature, files());
        return installer.info(feature);
    }

    private FeatureFile find(String name) {
        List<FeatureFile> all = files();
        return all.stream().filter(f -> f.shortName().equals(name)).findFirst()
                .orElseThrow(() -> new TorchlightException("unknown feature '" + name + "'; available: "
                        + String.join(", ", all.stream().map(FeatureFile::shortName).toList())));
    }

    /** The feature files, sorted by name; one that cannot be read is an error naming it. */
    private List<FeatureFile> files() {
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<FeatureFile> out = new ArrayList<>();
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                out.add(FeatureFile.read(file));
            }
            return out;
        } catch (IOException e) {
            throw new TorchlightException("cannot read the features in " + dir + ": " + e.getMessage(), e);
        }
    }
}
