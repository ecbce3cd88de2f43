package io.torchlight.core.internal.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The Torchlight version this core was built as (written into checkpoints as {@code torchlight_version}). */
public final class BuildVersion {

    private BuildVersion() {
    }

    static String read() {
        try (InputStream in = BuildVersion.class.getResourceAsStream("torchlight.properties")) {
            if (in == null) {
                throw new IllegalStateException("torchlight.properties is missing from the core bundle: a broken build");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
