package io.torchlight.core.internal.plugins;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

import io.torchlight.api.Stage;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.TrainerPlugins;
import io.torchlight.api.profiler.Profiler;
import io.torchlight.core.internal.TrainerSetup;
import io.torchlight.utils.config.ConfigurationException;

/** The {@code profiler} flag picks one installed profiler service; the others are never instantiated. */
public class ProfilerSelectionTest {

    /** A profiler service that counts the instances it hands out. */
    private static final class CountingOffer implements Offer<Profiler> {
        private final String name;
        private final List<String> instantiated;

        CountingOffer(String name, List<String> instantiated) {
            this.name = name;
            this.instantiated = instantiated;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Object key() {
            return this;
        }

        @Override
        public String origin() {
            return name + " (test)";
        }

        @Override
        public Profiler get() {
            instantiated.add(name);
            return new Profiler() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public Recording start(Stage stage) {
                    throw new UnsupportedOperationException("not run here");
                }
            };
        }

        @Override
        public void unget(Profiler instance) {
            instantiated.add("released " + name);
        }
    }

    private static ServicePlugins plugins(List<String> instantiated) {
        return new ServicePlugins(List.of(), List.of(), List.of(new CountingOffer("simple", instantiated),
                new CountingOffer("advanced", instantiated)), NoOffers.NONE, message -> {
                });
    }

    private static TrainerSetup setup(String profiler) {
        return TrainerSetup.of(TrainerConfig.builder().profiler(profiler).build(), TrainerPlugins.none());
    }

    @Test
    public void onlyTheProfilerAskedForIsInstantiatedAndReleased() {
        List<String> instantiated = new ArrayList<>();
        ServicePlugins plugins = plugins(instantiated);

        assertEquals("advanced", plugins.profiler(setup("advanced")).orElseThrow().name());
        assertEquals(List.of("advanced"), instantiated);
        plugins.release();
        assertEquals(List.of("advanced", "released advanced"), instantiated);
    }

    @Test
    public void noneAndAnUnknownNameInstantiateNothing() {
        List<String> instantiated = new ArrayList<>();
        ServicePlugins plugins = plugins(instantiated);

        assertTrue(plugins.profiler(setup("none")).isEmpty());
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> plugins.profiler(setup("pytorch")));
        assertTrue(e.getMessage(), e.getMessage().contains("profiler=pytorch") && e.getMessage().contains("[advanced, simple]"));
        assertEquals(List.of(), instantiated);
    }
}
