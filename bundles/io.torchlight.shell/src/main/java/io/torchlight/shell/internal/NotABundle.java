package io.torchlight.shell.internal;

import java.io.File;
import java.io.IOException;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * FileInstall silently skips a {@code .jar} in deploy/ that is not a bundle (not a zip, or a jar without
 * {@code Bundle-SymbolicName}). This installer takes exactly those files and says what is wrong with each, as
 * an error in the container's log, which {@link ErrorLog} puts on the console; it installs nothing.
 */
@Component(service = ArtifactInstaller.class)
public class NotABundle implements ArtifactInstaller {

    private final Logger log;

    @Activate
    public NotABundle(@Reference(service = LoggerFactory.class) Logger log) {
        this.log = log;
    }

    @Override
    public boolean canHandle(File artifact) {
        return artifact.getName().endsWith(".jar") && problem(artifact).isPresent();
    }

    @Override
    public void install(File artifact) {
        problem(artifact).ifPresent(p -> log.error(artifact + " in deploy/ is not installed: " + p));
    }

    @Override
    public void update(File artifact) {
        install(artifact);
    }

    @Override
    public void uninstall(File artifact) {
        // nothing was installed
    }

    /** Why the file is not an OSGi bundle, or empty when it is one (or cannot be read right now). */
    static Optional<String> problem(File file) {
        if (!file.isFile()) {
            return Optional.empty();
        }
        try (JarFile jar = new JarFile(file)) {
            Manifest manifest = jar.getManifest();
            if (manifest == null) {
                return Optional.of("the jar has no META-INF/MANIFEST.MF (build it as an OSGi bundle, e.g. with bnd-maven-plugin)");
            }
            if (manifest.getMainAttributes().getValue("Bundle-SymbolicName") == null) {
                return Optional.of("its manifest has no Bundle-SymbolicName: a plain jar, not an OSGi bundle (build it with "
                        + "bnd-maven-plugin, or wrap it)");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("not a readable jar (" + e.getMessage() + "): a broken or partly copied file");
        }
    }
}
