package io.torchlight.web.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class RunFilesTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void onlyRegularFilesInsideTheRunFolderResolve() throws Exception {
        Path dir = tmp.newFolder("runs", "boring", "version_0").toPath();
        Files.writeString(dir.resolve("metrics.csv"), "loss\n1\n");
        Files.createDirectories(dir.resolve("checkpoints"));
        Files.writeString(dir.resolve("checkpoints/last.ckpt"), "x");
        Path secret = Files.writeString(tmp.getRoot().toPath().resolve("secret.txt"), "secret");
        Files.createSymbolicLink(dir.resolve("escape.txt"), secret);
        Files.writeString(tmp.getRoot().toPath().resolve("runs/boring/other.csv"), "x");

        assertEquals(dir.resolve("metrics.csv"), RunFiles.resolve(dir, "metrics.csv"));
        assertEquals(dir.resolve("checkpoints/last.ckpt"), RunFiles.resolve(dir, "checkpoints/last.ckpt"));
        for (String bad : List.of("../other.csv", "../../../secret.txt", "checkpoints/../../other.csv", "/etc/passwd",
                "checkpoints", "escape.txt", "nosuch.csv", "", "a\\..\\b", "x\0y")) {
            HttpError e = assertThrows(bad, HttpError.class, () -> RunFiles.resolve(dir, bad));
            assertEquals(bad, 404, e.status);
        }
        assertEquals(404, assertThrows(HttpError.class, () -> RunFiles.resolve(null, "metrics.csv")).status);
    }

    @Test
    public void theListingHoldsTheRunFolderFilesButNoLinks() throws Exception {
        Path dir = tmp.newFolder("version_0").toPath();
        Files.writeString(dir.resolve("metrics.csv"), "loss\n");
        Files.createDirectories(dir.resolve("checkpoints"));
        Files.writeString(dir.resolve("checkpoints/last.ckpt"), "abc");
        Files.createSymbolicLink(dir.resolve("link.csv"), dir.resolve("metrics.csv"));

        assertEquals(List.of(Map.of("path", "checkpoints/last.ckpt", "size", 3L), Map.of("path", "metrics.csv", "size", 5L)),
                RunFiles.list(dir));
        assertEquals(List.of(), RunFiles.list(dir.resolve("missing")));
    }
}
