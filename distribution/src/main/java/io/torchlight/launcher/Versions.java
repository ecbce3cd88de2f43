package io.torchlight.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Versions recorded at build time. */
final class Versions {

    private final Properties values = new Properties();

    Versions() {
        try (InputStream in = Versions.class.getResourceAsStream("torchlight.properties")) {
            if (in != null) {
                values.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String torchlight() {
        return values.getProperty("torchlight.version", "unknown");
    }
}
