package io.torchlight.launcher;

import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where the dashboard listens. Felix HTTP takes its settings from the framework properties and from the
 * configuration {@code etc/org.apache.felix.http.cfg}; the launcher reads that file too, so that the first start
 * already binds where the user asked (and the address printed under the banner is the final one). By default it
 * binds to 127.0.0.1:{@value #DEFAULT_PORT}, and only the interactive shell serves it: one-shot commands share the
 * installation with a running shell and must not take its port.
 */
final class WebSettings {

    static final String PORT = "org.osgi.service.http.port";
    static final String HOST = "org.apache.felix.http.host";
    static final String ENABLE = "org.apache.felix.http.enable";
    static final String CONFIG = "org.apache.felix.http.cfg";
    static final String DEFAULT_PORT = "8686";
    static final String ADDRESS_FILE = "dashboard.url";

    private WebSettings() {
    }

    /** The framework properties for Felix HTTP in this mode; a value in etc/ wins over the default. */
    static void apply(Layout layout, boolean serve, Map<String, Object> properties) {
        Properties cfg = new Properties();
        Path file = layout.etc().resolve(CONFIG);
        if (Files.isRegularFile(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                cfg.load(in);
            } catch (IOException | IllegalArgumentException e) {
                System.err.println("torchlight: cannot read " + file + " (" + e.getMessage() + "); the dashboard uses its defaults");
            }
        }
        properties.put(HOST, cfg.getProperty(HOST, "127.0.0.1").trim());
        properties.put(PORT, cfg.getProperty(PORT, DEFAULT_PORT).trim());
        properties.put(ENABLE, String.valueOf(serve));
        // Jetty logs through SLF4J; only its warnings and errors are worth a line on the console
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        System.setProperty("org.slf4j.simpleLogger.logFile", System.getProperty("org.slf4j.simpleLogger.logFile", "System.err"));
    }

    /**
     * The address (with its token) of the dashboard a running shell of this installation serves, read from
     * {@code <data>/dashboard.url}; empty when there is none or nothing answers there any more.
     */
    static Optional<String> runningDashboard(Layout layout) {
        Path file = layout.data().resolve(ADDRESS_FILE);
        try {
            List<String> lines = Files.isRegularFile(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
            if (lines.isEmpty()) {
                return Optional.empty();
            }
            String url = lines.get(0).trim();
            URI uri = URI.create(url);
            try (Socket socket = new Socket()) {
                // a dead shell's port refuses at once; the wait only matters for a busy live one (a loaded machine)
                socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 3000);
            }
            return Optional.of(url);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty(); // left behind by a shell that was killed
        }
    }
}
