package io.torchlight.profiler.internal;

import org.osgi.service.component.annotations.Component;

import io.torchlight.api.profiler.Profiler;
import io.torchlight.profiler.AdvancedProfiler;

/** Registers {@link AdvancedProfiler}; each stage gets its own JFR recording, so one instance serves every run. */
@Component(service = Profiler.class, property = Profiler.PROPERTY_NAME + "=" + AdvancedProfiler.NAME)
public class AdvancedProfilerComponent extends AdvancedProfiler {
}
