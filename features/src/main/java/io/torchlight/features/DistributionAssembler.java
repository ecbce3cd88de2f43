package io.torchlight.features;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import io.torchlight.features.FeatureBundles.BundleCoordinates;
import io.torchlight.features.FeatureBundles.FeatureContent;

/**
 * Build-time tool: lays out a distribution's {@code bundles/} folder and its start list from feature
 * files, so the distribution contains exactly what the features name. Run by the distribution module.
 *
 * <pre>
 * DistributionAssembler &lt;repository&gt; &lt;distribution-dir&gt; &lt;feature.json&gt;...
 * </pre>
 */
public final class DistributionAssembler {

    /** Start list written into the distribution, one path relative to its home per line, in start order. */
    public static final String BUNDLE_LIST = "lib/bundles.list";

    /** The feature files, copied into the distribution for {@code tl:feature}. */
    public static final String FEATURES = "features";

    private final FeatureBundles reader;

    public DistributionAssembler(FeatureBundles reader) {
        this.reader = reader;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: DistributionAssembler <repository> <distribution-dir> <feature.json>...");
        }
        List<Path> features = Stream.of(args).skip(2).map(Path::of).toList();
        List<String> installed = new DistributionAssembler(new FeatureBundles())
                .assemble(Path.of(args[0]), Path.of(args[1]), features);
        System.out.println("[torchlight] distribution " + args[1] + ": " + installed.size() + " bundles from "
                + features.size() + " features");
    }

    /**
     * Copies every bundle named by the features from the repository into {@code home/bundles} (or
     * {@code home/deploy} for drop-in bundles), writes the start list, and makes the launcher scripts executable. Fails naming the feature and bundle when a
     * bundle is not in the repository.
     */
    public List<String> assemble(Path repository, Path home, List<Path> featureFiles) throws IOException {
        Path bundles = Files.createDirectories(home.resolve("bundles"));
        Path features = Files.createDirectories(home.resolve(FEATURES));
        List<BundleCoordinates> all = new ArrayList<>();
        for (Path file : featureFiles) {
            FeatureContent feature = reader.read(file);
            // the container lists, installs and uninstalls features at runtime from these copies (tl:feature)
            Files.copy(file, features.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            for (BundleCoordinates bundle : feature.bundles()) {
                Path source = bundle.repositoryPath(repository);
                if (!Files.isRegularFile(source)) {
                    throw new IOException("feature " + feature.id() + " names bundle " + bundle
                            + " but the distribution has no such artifact (looked for " + source
                            + "): add it as a dependency of distribution/pom.xml");
                }
                if (bundle.deploy()) {
                    // drop-in bundles are named without the version, as a user would name them
                    Path deploy = Files.createDirectories(home.resolve("deploy"));
                    Files.copy(source, deploy.resolve(bundle.artifactId() + ".jar"), StandardCopyOption.REPLACE_EXISTING);
                    continue;
                }
                Files.copy(source, bundles.resolve(bundle.fileName()), StandardCopyOption.REPLACE_EXISTING);
                all.add(bundle);
            }
        }
        Set<String> order = new LinkedHashSet<>();
        all.stream().sorted(Comparator.comparingInt(BundleCoordinates::startOrder))
                .forEach(b -> order.add("bundles/" + b.fileName()));
        Path list = home.resolve(BUNDLE_LIST);
        Files.createDirectories(list.getParent());
        List<String> lines = new ArrayList<>();
        lines.add("# Platform bundles in install order, generated from the feature files; do not edit.");
        lines.addAll(order);
        Files.write(list, lines, StandardCharsets.UTF_8);
        makeExecutable(home.resolve("bin"));
        return List.copyOf(order);
    }

    private static void makeExecutable(Path bin) throws IOException {
        if (!Files.isDirectory(bin)) {
            return;
        }
        try (Stream<Path> scripts = Files.list(bin)) {
            scripts.forEach(script -> {
                try {
                    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
