package io.torchlight.shell.internal.features;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One feature file of the distribution: id, name, description, and its bundles as the files the distribution holds
 * ({@code bundles/<artifactId>-<version>[-<classifier>].<type>}, or drop-ins in {@code deploy/}).
 */
record FeatureFile(String shortName, String id, String title, String description, List<BundleFile> bundles) {

    /** One bundle of a feature; {@code deploy} bundles are drop-ins of deploy/, managed there. */
    record BundleFile(String fileName, boolean deploy) {
    }

    /** Files larger than this are not feature files. */
    static final long MAX_SIZE = 1 << 20;

    static FeatureFile read(Path file) throws IOException {
        if (Files.size(file) > MAX_SIZE) {
            throw new IOException(file + " is larger than " + MAX_SIZE + " bytes: not a feature file");
        }
        try {
            Object json = JsonReader.parse(Files.readString(file, StandardCharsets.UTF_8));
            if (!(json instanceof Map<?, ?> root) || !(root.get("id") instanceof String id)) {
                throw new IllegalArgumentException("no \"id\"");
            }
            List<BundleFile> bundles = new ArrayList<>();
            if (root.get("bundles") instanceof List<?> list) {
                for (Object entry : list) {
                    if (!(entry instanceof Map<?, ?> bundle) || !(bundle.get("id") instanceof String bundleId)) {
                        throw new IllegalArgumentException("a bundle without an \"id\"");
                    }
                    bundles.add(new BundleFile(fileName(bundleId), Boolean.TRUE.equals(bundle.get("deploy"))));
                }
            }
            return new FeatureFile(shortName(id), id, text(root.get("name"), id), text(root.get("description"), ""), bundles);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is not a valid feature file: " + e.getMessage(), e);
        }
    }

    /** {@code io.torchlight:torchlight-tensorboard:osgifeature:1.0} is {@code tensorboard}. */
    static String shortName(String id) {
        String[] parts = id.split(":");
        String artifact = parts.length > 1 ? parts[1] : id;
        return artifact.startsWith("torchlight-") ? artifact.substring("torchlight-".length()) : artifact;
    }

    /** Maven's file name for {@code group:artifact[:type[:classifier]]:version}. */
    static String fileName(String bundleId) {
        String[] p = bundleId.split(":");
        return switch (p.length) {
            case 3 -> p[1] + "-" + p[2] + ".jar";
            case 4 -> p[1] + "-" + p[3] + "." + p[2];
            case 5 -> p[1] + "-" + p[4] + "-" + p[3] + "." + p[2];
            default -> throw new IllegalArgumentException("bundle id '" + bundleId + "' is not group:artifact[:type[:classifier]]:version");
        };
    }

    private static String text(Object value, String fallback) {
        return value instanceof String s ? s : fallback;
    }
}
