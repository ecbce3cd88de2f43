package io.torchlight.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

import io.torchlight.itests.support.Await;
import io.torchlight.itests.support.Fixtures;
import io.torchlight.itests.support.options.TorchlightOptions;
import io.torchlight.torch.TorchRuntime;

/** With an empty JavaCPP cache the runtime extracts every native library first, then trains. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ColdNativeCacheIT {

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        Option platform = TorchlightOptions.platform("cold-cache");
        Path cache = TorchlightOptions.work("cold-cache").resolve("javacpp-cache");
        return options(platform, systemProperty("org.bytedeco.javacpp.cachedir").value(cache.toString()),
                bundle(TorchlightOptions.fixture("io.torchlight.itests.torchstep").toUri().toString()));
    }

    @Test
    public void extractsIntoTheEmptyCacheAndTrains() throws Exception {
        Path cache = Fixtures.work().resolve("javacpp-cache").toRealPath();
        TorchRuntime runtime = Await.service(context, TorchRuntime.class, null);
        assertEquals(cache, runtime.cacheDir().toRealPath());
        for (String lib : new String[] {"libtorch_cpu.so", "libjnitorch.so", "libopenblas.so.0", "libjnijavacpp.so"}) {
            assertTrue(lib, Files.isRegularFile(cache.resolve("linux-x86_64").resolve(lib)));
        }

        @SuppressWarnings("unchecked")
        Supplier<double[]> check = Await.service(context, Supplier.class, "(torchlight.itest=torchstep)");
        double[] losses = check.get();
        assertTrue(losses[1] < losses[0]);
    }
}
