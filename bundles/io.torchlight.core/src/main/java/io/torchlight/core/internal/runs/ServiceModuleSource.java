package io.torchlight.core.internal.runs;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentServiceObjects;

/** A prototype-scope module (or data module) service: a fresh instance per run. */
public final class ServiceModuleSource<T> implements ModuleSource<T> {

    private final String name;
    private final ComponentServiceObjects<T> objects;
    private final Map<String, Object> properties;
    private final Bundle bundle;
    private final Function<Bundle, Optional<String>> lastError;

    ServiceModuleSource(String name, ComponentServiceObjects<T> objects, Map<String, Object> properties,
            Function<Bundle, Optional<String>> lastError) {
        this.lastError = lastError;
        this.name = name;
        this.objects = objects;
        this.properties = new HashMap<>(properties);
        ServiceReference<T> reference = objects.getServiceReference();
        this.bundle = reference.getBundle();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public T create() {
        T instance = objects.getService();
        if (instance == null) {
            throw new IllegalStateException("its constructor or activate method failed"
                    + lastError.apply(bundle).map(cause -> ": " + cause).orElse("") + " (the stack trace is in the container's log)");
        }
        return instance;
    }

    @Override
    public void release(T instance) {
        try {
            objects.ungetService(instance);
        } catch (IllegalStateException | IllegalArgumentException gone) {
            // the bundle went away with its service: nothing left to give back
        }
    }

    @Override
    public Map<String, Object> properties() {
        return properties;
    }

    @Override
    public String bundle() {
        return bundle == null ? "?" : bundle.getSymbolicName();
    }

    @Override
    public String version() {
        return bundle == null ? "?" : bundle.getVersion().toString();
    }

    @Override
    public String className() {
        Object components = properties.get("component.name");
        return components == null ? "?" : String.valueOf(components);
    }
}
