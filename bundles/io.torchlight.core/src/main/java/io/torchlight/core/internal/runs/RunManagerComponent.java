package io.torchlight.core.internal.runs;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentServiceObjects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import io.torchlight.api.LightningDataModule;
import io.torchlight.api.LightningModule;
import io.torchlight.api.run.MetricRecord;
import io.torchlight.api.run.ModuleInfo;
import io.torchlight.api.run.PluginInfo;
import io.torchlight.api.run.RunManager;
import io.torchlight.api.run.RunRequest;
import io.torchlight.api.run.RunSnapshot;
import io.torchlight.core.internal.TrainerSessions;
import io.torchlight.utils.config.PluginSettings;

/**
 * The {@link RunManager} service over {@link RunManagerImpl}: tracks module and data-module services
 * (prototype scope, by {@code torchlight.module.name} / {@code torchlight.datamodule.name}). Runs go to
 * {@code torchlight.runs.dir} (the container's {@code runs/}). Configuration PID {@code io.torchlight.runs}:
 * {@code threads} (runs that train at once; more wait in line) and {@code stop_timeout} (seconds a stop may
 * take before the run is marked failed); it can change while runs go on.
 */
@Component(service = RunManager.class, immediate = true, configurationPid = RunManagerComponent.PID)
public class RunManagerComponent implements RunManager {

    static final String PID = "io.torchlight.runs";

    /** Framework property: false disables autorun and run configurations (the CLI runs exactly what it is told). */
    public static final String AUTOSTART = "torchlight.autostart";

    private final RunManagerImpl runs;
    private final boolean autostart;
    private final Logger log;
    private final PluginInventory plugins;
    private final Map<ComponentServiceObjects<?>, ModuleSource<?>> sources = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile LogReaderService logReader;

    @Activate
    public RunManagerComponent(@Reference TrainerSessions factory, @Reference(service = LoggerFactory.class) Logger log,
            BundleContext context, Map<String, Object> properties) {
        this.log = log;
        String dir = context.getProperty("torchlight.runs.dir");
        this.runs = new RunManagerImpl(factory::session, Path.of(dir == null ? "runs" : dir), options(properties), log::warn);
        runs.onError((message, error) -> log.error(message, error));
        String home = context.getProperty("torchlight.home");
        String data = context.getProperty("torchlight.data.dir");
        if (home != null && data != null) {
            runs.distribution(Path.of(home), Path.of(data));
        }
        this.autostart = !"false".equals(context.getProperty(AUTOSTART));
        this.plugins = new PluginInventory(context);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        runs.options(options(properties));
    }

    /** The settings; an invalid one is said in the log and the default is used (the runs cannot fail for it). */
    private RunManagerImpl.Options options(Map<String, Object> properties) {
        PluginSettings settings = PluginSettings.of(PID, properties);
        int threads = settings.integer("threads", 1);
        long stopTimeout = settings.longInteger("stop_timeout", RunManagerImpl.Options.defaults().stopTimeout().toSeconds());
        settings.problem().ifPresent(p -> log.error(p.getMessage() + "; using the defaults for the invalid values"));
        return new RunManagerImpl.Options(threads, Duration.ofSeconds(Math.max(1, stopTimeout)));
    }

    /** The message of the newest error the framework log holds for this bundle (e.g. why SCR could not activate a module). */
    private Optional<String> lastError(Bundle bundle) {
        LogReaderService reader = logReader;
        if (reader == null || bundle == null) {
            return Optional.empty();
        }
        for (Enumeration<LogEntry> e = reader.getLog(); e.hasMoreElements();) {
            LogEntry entry = e.nextElement();
            if (entry.getBundle() == bundle && entry.getLogLevel() == LogLevel.ERROR) {
                Throwable t = entry.getException();
                while (t != null && t.getCause() != null && t.getCause() != t) {
                    t = t.getCause();
                }
                return Optional.of(t == null ? entry.getMessage() : t.getClass().getSimpleName() + ": " + t.getMessage());
            }
        }
        return Optional.empty();
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
                String.valueOf(properties.get(LightningModule.PROPERTY_NAME)), objects, props, this::lastError);
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
                String.valueOf(properties.get(LightningDataModule.PROPERTY_NAME)), objects, properties, this::lastError);
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
        Map<String, Object> copy = new HashMap<>(properties);
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
    public RunSnapshot move(String id, String target) {
        return runs.move(id, target);
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

    @Override
    public List<PluginInfo> plugins() {
        return plugins.list(this);
    }

    @Override
    public Optional<RunRequest> request(String id) {
        return runs.request(id);
    }

    @Override
    public List<MetricRecord> metrics(String id, long fromSeq) {
        return runs.metrics(id, fromSeq);
    }
}
