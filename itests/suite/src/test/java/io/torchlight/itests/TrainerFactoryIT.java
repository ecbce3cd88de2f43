package io.torchlight.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.List;
import java.util.Map;
import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

import io.torchlight.api.CkptPath;
import io.torchlight.api.Data;
import io.torchlight.api.Limit;
import io.torchlight.api.TorchlightException;
import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.TrainerFactory;
import io.torchlight.api.accelerator.Accelerator;
import io.torchlight.api.strategy.Strategy;
import io.torchlight.demos.BoringModel;
import io.torchlight.itests.support.Await;
import io.torchlight.itests.support.Fixtures;
import io.torchlight.itests.support.Logs;
import io.torchlight.itests.support.options.TorchlightOptions;

/** The TrainerFactory service resolves the accelerator and strategy services and trains a module. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TrainerFactoryIT {

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return options(TorchlightOptions.platform("trainer-factory"));
    }

    private TrainerFactory factoryWithPlugins() throws InterruptedException {
        Await.service(context, Accelerator.class, "(" + Accelerator.PROPERTY_NAME + "=cpu)");
        Await.service(context, Strategy.class, "(" + Strategy.PROPERTY_NAME + "=single_device)");
        return Await.service(context, TrainerFactory.class, null);
    }

    @Test
    public void autoPicksTheCpuAndTrains() throws Exception {
        TrainerFactory factory = factoryWithPlugins();

        try (Trainer trainer = factory.create(TrainerConfig.builder().maxEpochs(1).limitTrainBatches(Limit.count(8))
                .limitValBatches(Limit.count(2)).defaultRootDir(Fixtures.work().resolve("factory")).build())) {
            trainer.fit(new BoringModel());
            List<Map<String, Double>> results = trainer.validate(new BoringModel(), Data.fromModule(), CkptPath.NONE);

            assertEquals(8, trainer.view().globalStep());
            assertEquals("cpu", trainer.view().accelerator().name());
            assertEquals("single_device", trainer.view().strategy().name());
            assertEquals(1, results.size());
        }
        assertEquals(List.of(), Logs.errors(context));
    }

    @Test
    public void withoutAGpuTheCudaAcceleratorIsPresentUnavailableAndRefusedClearly() throws Exception {
        TrainerFactory factory = factoryWithPlugins();
        Accelerator cuda = Await.service(context, Accelerator.class, "(" + Accelerator.PROPERTY_NAME + "=cuda)");

        TorchlightException refused = assertThrows(TorchlightException.class,
                () -> factory.create(TrainerConfig.builder().accelerator("cuda").build()));

        assertEquals(false, cuda.isAvailable());
        String reason = cuda.unavailableReason().orElse("");
        assertTrue("the reason: " + reason, reason.length() > 10);
        assertEquals("accelerator cuda is not available: " + reason + " (use accelerator=auto or cpu)", refused.getMessage());
        try (Trainer auto = factory.create(TrainerConfig.builder().defaultRootDir(Fixtures.work().resolve("auto")).build())) {
            assertEquals("cpu", auto.view().accelerator().name());
        }
    }

    @Test
    public void unknownPluginsAreNamedWithWhatIsInstalled() throws Exception {
        TrainerFactory factory = factoryWithPlugins();

        TorchlightException accelerator = assertThrows(TorchlightException.class,
                () -> factory.create(TrainerConfig.builder().accelerator("tpu").build()));
        TorchlightException strategy = assertThrows(TorchlightException.class,
                () -> factory.create(TrainerConfig.builder().strategy("deepspeed").build()));

        assertTrue(accelerator.getMessage(), accelerator.getMessage().contains("'tpu'") && accelerator.getMessage().contains("cpu"));
        assertTrue(strategy.getMessage(), strategy.getMessage().contains("'deepspeed'") && strategy.getMessage().contains("single_device"));
    }
}
