package io.torchlight.web.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.log.Logger;

/**
 * Makes the dashboard's address with its token known once the HTTP runtime has an endpoint: a
 * {@link DashboardAddress} service (the shell prints it under its banner) and the file {@code dashboard.url} in the
 * container's data folder ({@code torchlight.data.dir}), readable by its owner only, for {@code bin/torchlight info}.
 * Both go away with the runtime or the bundle.
 */
final class AddressPublisher {

    static final String FILE = "dashboard.url";

    private final BundleContext context;
    private final String token;
    private final Logger log;
    private ServiceRegistration<DashboardAddress> registration;
    private Path written;

    AddressPublisher(BundleContext context, String token, Logger log) {
        this.context = context;
        this.token = token;
        this.log = log;
    }

    synchronized void publish(String endpoint) {
        withdraw();
        if (endpoint == null || endpoint.isBlank()) {
            return; // HTTP is off in this container (one-shot commands)
        }
        String url = (endpoint.endsWith("/") ? endpoint : endpoint + "/") + "?token=" + token;
        registration = context.registerService(DashboardAddress.class, new DashboardAddress(url),
                FrameworkUtil.asDictionary(Map.of(DashboardAddress.PROPERTY, url)));
        String data = context.getProperty("torchlight.data.dir");
        if (data != null) {
            Path file = Path.of(data, FILE);
            try {
                Files.deleteIfExists(file);
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, url + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
                written = file;
            } catch (IOException | UnsupportedOperationException e) {
                log.warn("dashboard: cannot write " + file + " (" + e.getMessage() + "); bin/torchlight info will not show the address");
            }
        }
    }

    synchronized void withdraw() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // the bundle is stopping and its services are gone already
            }
            registration = null;
        }
        if (written != null) {
            try {
                Files.deleteIfExists(written);
            } catch (IOException e) {
                log.warn("dashboard: cannot remove " + written + ": " + e.getMessage());
            }
            written = null;
        }
    }
}
