package io.torchlight.core.internal.runs;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.torchlight.api.LightningDataModule;
import io.torchlight.api.LightningModule;
import io.torchlight.api.TrainerFactory;
import io.torchlight.api.run.ModuleInfo;
import io.torchlight.api.run.RunManager;
import io.torchlight.api.run.RunRequest;
import io.torchlight.api.run.RunSnapshot;

/**
 * The {@link RunManager} service over {@link RunManagerImpl}: tracks module and data-module services
 * (prototype scope, by {@code torchlight.module.name} / {@code torchlight.datamodule.name}). Runs go to
 * {@code torchlight.runs.dir} (the container's {@code runs/}).
 */
@Component(service = RunManager.class, immediate = true)
@Designate(ocd = RunManagerComponent.Config.class)
public class RunManagerComponent implements RunManager {

    /** Configuration of PID {@code io.torchlight.runs}. */
    @ObjectClassDefinition(name = "Torchlight runs", pid = "io.torchlight.runs")
    public @interface Config {
        @AttributeDefinition(description = "Runs that may train at the same time; more wait in a queue")
        int threads() default 1;
    }

    /** Framework property: false disables autorun and run configurations (the CLI runs exactly what it is told). */
    public static final String AUTOSTART = "torchlight.autostart";

    private final RunManagerImpl runs;
    private final boolean autostart;
    private final Map<ComponentServiceObjects<?>, ModuleSource<?>> sources = new ConcurrentHashMap<>();

    @Activate
    public RunManagerComponent(@Reference TrainerFactory factory, BundleContext context, Config config) {
        String dir = context.getProperty("torchlight.runs.dir");
        this.runs = new RunManagerImpl(factory::create, Path.of(dir == null ? "runs" : dir), Math.max(1, config.threads()));
        this.autostart = !"false".equals(context.getProperty(AUTOSTART));
    }

    /** Whether modules may start runs by themselves (autorun, run configurations). */
    boolean autostart() {
        return autostart;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(" + LightningModule.PROPERTY_NAME + "=*)")
    void addModule(ComponentServiceObjects<LightningModule> objects, Map<String, Object> properties) {
        Map<String, Object> props = autostart ? properties : withoutAutorun(properties);
        ServiceModuleSource<LightningModule> source = new ServiceModuleSource<>(
                String.valueOf(properties.get(LightningModule.PROPERTY_NAME)), objects, props);
        sources.put(objects, source);
        runs.addModule(source);
    }

    @SuppressWarnings("unchecked")
    void removeModule(ComponentServiceObjects<LightningModule> objects) {
        ModuleSource<?> source = sources.remove(objects);
        if (source != null) {
            runs.removeModule((ModuleSource<LightningModule>) source);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(" + LightningDataModule.PROPERTY_NAME + "=*)")
    void addDataModule(ComponentServiceObjects<LightningDataModule> objects, Map<String, Object> properties) {
        ServiceModuleSource<LightningDataModule> source = new ServiceModuleSource<>(
                String.valueOf(properties.get(LightningDataModule.PROPERTY_NAME)), objects, properties);
        sources.put(objects, source);
        runs.addDataModule(source);
    }

    @SuppressWarnings("unchecked")
    void removeDataModule(ComponentServiceObjects<LightningDataModule> objects) {
        ModuleSource<?> source = sources.remove(objects);
        if (source != null) {
            runs.removeDataModule((ModuleSource<LightningDataModule>) source);
        }
    }

    private static Map<String, Object> withoutAutorun(Map<String, Object> properties) {
        Map<String, Object> copy = new java.util.HashMap<>(properties);
        copy.remove(AUTORUN);
        return copy;
    }

    @Deactivate
    void deactivate() {
        runs.close();
    }

    @Override
    public RunSnapshot submit(RunRequest request) {
        return runs.submit(request);
    }

    @Override
    public List<RunSnapshot> runs() {
        return runs.runs();
    }

    @Override
    public Optional<RunSnapshot> run(String id) {
        return runs.run(id);
    }

    @Override
    public RunSnapshot stop(String id, String reason) {
        return runs.stop(id, reason);
    }

    @Override
    public RunSnapshot await(String id, Duration timeout) throws InterruptedException {
        return runs.await(id, timeout);
    }

    @Override
    public List<ModuleInfo> modules() {
        return runs.modules();
    }

    @Override
    public List<String> attachedPlugins(String id) {
        return runs.attachedPlugins(id);
    }
}
