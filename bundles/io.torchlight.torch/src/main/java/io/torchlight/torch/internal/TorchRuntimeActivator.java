package io.torchlight.torch.internal;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

import io.torchlight.torch.TorchRuntime;

/**
 * Starts the runtime layer: extract every native library, load libtorch, then register
 * {@link TorchRuntime}. An activator rather than a DS component because the service must not exist
 * until the natives are in place, and a failure must fail this bundle's start with the reason.
 */
public final class TorchRuntimeActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) throws BundleException {
        try {
            NativeLibraries.extractAll(context.getBundle().findEntries("org/bytedeco", "*.so*", true));
            LoadedRuntime runtime = RuntimeProbe.load();
            context.registerService(TorchRuntime.class, runtime, runtime.serviceProperties());
        } catch (RuntimeException | LinkageError e) {
            throw new BundleException("libtorch runtime failed to start: " + e.getMessage(),
                    BundleException.ACTIVATOR_ERROR, e);
        }
    }

    @Override
    public void stop(BundleContext context) {
        // libtorch cannot be unloaded; the service goes away with the bundle's registrations.
    }
}
