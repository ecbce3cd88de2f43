package io.torchlight.features;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;

import org.osgi.service.feature.Feature;
import org.osgi.service.feature.FeatureService;
import org.osgi.service.feature.ID;

/** Reads OSGi Feature files (through Felix's Feature Service implementation) into bundle coordinates. */
public final class FeatureBundles {

    /** Bundle metadata key: bundles start in ascending order (default 1); ties keep the listed order. */
    public static final String START_ORDER = "start-order";

    /** Bundle metadata key: true puts the bundle into the distribution's deploy/ folder instead of the platform. */
    public static final String DEPLOY = "deploy";

    private final FeatureService features;

    public FeatureBundles() {
        this(ServiceLoader.load(FeatureService.class, FeatureBundles.class.getClassLoader()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi FeatureService implementation on the class path")));
    }

    FeatureBundles(FeatureService features) {
        this.features = features;
    }

    /** The feature's id and its bundles, in the order the file lists them. */
    public FeatureContent read(Path file) throws IOException {
        Feature feature;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            feature = features.readFeature(reader);
        } catch (RuntimeException e) {
            throw new IOException("feature file " + file + " is not a valid OSGi feature: " + e.getMessage(), e);
        }
        List<BundleCoordinates> bundles = feature.getBundles().stream()
                .map(b -> BundleCoordinates.of(b.getID(), startOrder(file, b.getMetadata().get(START_ORDER)),
                        Boolean.parseBoolean(String.valueOf(b.getMetadata().get(DEPLOY)))))
                .toList();
        return new FeatureContent(feature.getID().toString(), bundles);
    }

    private static int startOrder(Path file, Object value) throws IllegalArgumentException {
        if (value == null) {
            return 1;
        }
        try {
            return Integer.parseInt(String.valueOf(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("feature file " + file + ": start-order must be an integer, got " + value, e);
        }
    }

    /** A feature's identity and bundles. */
    public record FeatureContent(String id, List<BundleCoordinates> bundles) {
    }

    /** Maven coordinates of one bundle named by a feature. */
    public record BundleCoordinates(String groupId, String artifactId, String version, String type, String classifier,
            int startOrder, boolean deploy) {

        static BundleCoordinates of(ID id, int startOrder, boolean deploy) {
            return new BundleCoordinates(id.getGroupId(), id.getArtifactId(), id.getVersion(),
                    id.getType().orElse("jar"), id.getClassifier().orElse(null), startOrder, deploy);
        }

        /** The file name Maven gives this artifact. */
        public String fileName() {
            return artifactId + "-" + version + (classifier == null ? "" : "-" + classifier) + "." + type;
        }

        /** Where the artifact lies in a repository with Maven's layout. */
        public Path repositoryPath(Path repository) {
            return repository.resolve(groupId.replace('.', '/')).resolve(artifactId).resolve(version).resolve(fileName());
        }

        @Override
        public String toString() {
            return groupId + ":" + artifactId + ":" + version + (classifier == null ? "" : ":" + classifier);
        }
    }
}
