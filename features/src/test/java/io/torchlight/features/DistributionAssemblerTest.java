package io.torchlight.features;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class DistributionAssemblerTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final DistributionAssembler assembler = new DistributionAssembler(new FeatureBundles());

    @Test
    public void copiesFeatureBundlesInOrderAndWritesTheStartList() throws IOException {
        Path repo = tmp.newFolder("repo").toPath();
        artifact(repo, "org/example/a/1.0/a-1.0.jar");
        artifact(repo, "org/example/b/2.0/b-2.0-linux.jar");
        Path feature = feature("f.json", "org.example:a:1.0", "org.example:b:jar:linux:2.0\", \"start-order\": \"0");
        Path home = tmp.newFolder("home").toPath();
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("bin/tool"), "#!/bin/sh\n");

        List<String> installed = assembler.assemble(repo, home, List.of(feature));

        assertEquals("start-order 0 comes first", List.of("bundles/b-2.0-linux.jar", "bundles/a-1.0.jar"), installed);
        assertTrue(Files.isRegularFile(home.resolve("bundles/b-2.0-linux.jar")));
        List<String> list = Files.readAllLines(home.resolve(DistributionAssembler.BUNDLE_LIST));
        assertEquals(installed, list.subList(1, list.size()));
        assertTrue(Files.getPosixFilePermissions(home.resolve("bin/tool")).contains(PosixFilePermission.OWNER_EXECUTE));
        assertEquals("the feature file goes along for tl:feature", Files.readString(feature),
                Files.readString(home.resolve(DistributionAssembler.FEATURES).resolve("f.json")));
    }

    @Test
    public void aBundleMissingFromTheRepositoryNamesFeatureAndBundle() throws IOException {
        Path repo = tmp.newFolder("repo").toPath();
        Path feature = feature("f.json", "org.example:missing:3.1");

        IOException e = assertThrows(IOException.class,
                () -> assembler.assemble(repo, tmp.newFolder("home").toPath(), List.of(feature)));

        assertTrue(e.getMessage(), e.getMessage().contains("org.example:missing:3.1"));
        assertTrue(e.getMessage(), e.getMessage().contains("org.example:f:osgifeature:1.0"));
    }

    @Test
    public void shippedFeaturesNameThePlatformAndTheTorchLayer() throws IOException {
        FeatureBundles reader = new FeatureBundles();
        Path features = Path.of("target/classes/features");

        List<String> platform = reader.read(features.resolve("torchlight-platform.json")).bundles().stream()
                .map(FeatureBundles.BundleCoordinates::artifactId).toList();
        List<String> torch = reader.read(features.resolve("torchlight-torch-cpu.json")).bundles().stream()
                .map(FeatureBundles.BundleCoordinates::artifactId).toList();

        assertTrue(platform.toString(), platform.containsAll(List.of("org.apache.felix.scr",
                "org.osgi.service.component", "org.apache.felix.configadmin", "org.apache.felix.fileinstall",
                "org.apache.felix.gogo.runtime")));
        assertEquals(List.of("io.torchlight.torch", "io.torchlight.torch.linux-x86_64"), torch);
        List<String> core = reader.read(features.resolve("torchlight-core.json")).bundles().stream()
                .map(FeatureBundles.BundleCoordinates::artifactId).toList();
        assertTrue(core.toString(), core.containsAll(List.of("io.torchlight.api", "io.torchlight.core",
                "io.torchlight.accelerator.cpu", "io.torchlight.strategy.single")));
    }

    private static void artifact(Path repo, String path) throws IOException {
        Path file = repo.resolve(path);
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[] {1, 2, 3});
    }

    private Path feature(String name, String... bundleIds) throws IOException {
        StringBuilder json = new StringBuilder("{\"feature-resource-version\":\"1.0\",\"id\":\"org.example:f:osgifeature:1.0\",\"bundles\":[");
        for (int i = 0; i < bundleIds.length; i++) {
            json.append(i == 0 ? "" : ",").append("{\"id\":\"").append(bundleIds[i]).append("\"}");
        }
        Path file = tmp.getRoot().toPath().resolve(name);
        Files.writeString(file, json.append("]}").toString(), StandardCharsets.UTF_8);
        return file;
    }
}
