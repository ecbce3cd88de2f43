package io.torchlight.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.nio.file.Files;
import java.util.List;
import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.wiring.BundleWiring;

import io.torchlight.itests.support.Await;
import io.torchlight.itests.support.Logs;
import io.torchlight.itests.support.options.TorchlightOptions;
import io.torchlight.torch.TorchRuntime;

/** The platform as the distribution assembles it resolves, starts, and loads libtorch, with no error logged. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PlatformIT {

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return options(TorchlightOptions.platform("platform"));
    }

    @Test
    public void everyBundleIsActiveAndTheNativesFragmentIsAttached() {
        for (Bundle bundle : context.getBundles()) {
            boolean fragment = bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            assertEquals(bundle.getSymbolicName() + " state", fragment ? Bundle.RESOLVED : Bundle.ACTIVE, bundle.getState());
        }
        Bundle torch = bundle("io.torchlight.torch");
        List<?> fragments = torch.adapt(BundleWiring.class).getProvidedWires("osgi.wiring.host");
        assertEquals("natives fragments attached to the runtime", 1, fragments.size());
    }

    @Test
    public void torchRuntimeDescribesTheLoadedLibtorch() throws InterruptedException {
        TorchRuntime runtime = Await.service(context, TorchRuntime.class, null);

        assertTrue(runtime.libtorchVersion(), runtime.libtorchVersion().startsWith("2.10"));
        assertTrue(Files.isRegularFile(runtime.cacheDir().resolve("linux-x86_64/libtorch_cpu.so")));
        assertFalse(runtime.cudaAvailable());
        assertTrue(runtime.cudaUnavailableReason().isPresent());
    }

    @Test
    public void nothingLogsAnError() throws InterruptedException {
        assertEquals(List.of(), Logs.errors(context));
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }
}
