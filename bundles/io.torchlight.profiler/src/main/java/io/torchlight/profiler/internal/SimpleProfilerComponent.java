package io.torchlight.profiler.internal;

import org.osgi.service.component.annotations.Component;

import io.torchlight.api.profiler.Profiler;
import io.torchlight.profiler.SimpleProfiler;

/** Registers {@link SimpleProfiler}; it keeps nothing between stages, so one instance serves every run. */
@Component(service = Profiler.class, property = Profiler.PROPERTY_NAME + "=" + SimpleProfiler.NAME)
public class SimpleProfilerComponent extends SimpleProfiler {
}
