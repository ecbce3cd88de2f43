package io.torchlight.utils.config;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.Test;

/** Plug-in configurations are read strictly: every spelling of a key works, nothing wrong passes silently. */
public class PluginSettingsTest {

    enum Mode { MIN, MAX }

    @Test
    public void snakeCaseDottedAndCamelCaseKeysAllReachTheSameSetting() {
        for (String key : List.of("every_n_train_steps", "every.n.train.steps", "everyNTrainSteps")) {
            PluginSettings settings = PluginSettings.of("io.torchlight.callback.checkpoint", Map.of(key, "50"));

            assertEquals(key, 50, settings.integer("every_n_train_steps", 0));
            assertEquals(key, List.of(), settings.problems());
        }
    }

    @Test
    public void aBadValueIsAProblemNamingTheKeyAndTheDefaultIsKept() {
        PluginSettings settings = PluginSettings.of("io.torchlight.callback.checkpoint",
                Map.of("every.n.train.steps", "abc", "save_last", "yes please", "mode", "median"));

        assertEquals(0, settings.integer("every_n_train_steps", 0));
        assertEquals(false, settings.flag("save_last", false));
        assertEquals(Mode.MIN, settings.choice("mode", Mode.MIN));
        assertEquals(List.of("every.n.train.steps: expected an integer, got 'abc'", "save_last: expected true or false, got 'yes please'",
                "mode: expected one of min, max, got 'median'"), settings.problems());
        String message = settings.problem().orElseThrow().getMessage();
        assertTrue(message, message.startsWith("configuration io.torchlight.callback.checkpoint is invalid: every.n.train.steps:"));
        assertTrue(message, message.endsWith("(fix etc/io.torchlight.callback.checkpoint.cfg)"));
    }

    @Test
    public void anUnknownKeyIsAProblemWithASuggestionButFrameworkPropertiesAreNotTheirs() {
        PluginSettings settings = PluginSettings.of("io.torchlight.callback.checkpoint", Map.of("save_tok_k", "3",
                "service.pid", "x", "component.id", 4L, "felix.fileinstall.filename", "file:/etc/x.cfg",
                "torchlight.callback.name", "checkpoint", "Module.target", "(torchlight.module.name=*)"));

        assertEquals(1, settings.integer("save_top_k", 1));
        settings.flag("save_last", false);

        assertEquals(List.of("unknown key 'save_tok_k'; did you mean save_top_k? (known: save_top_k, save_last)"), settings.problems());
    }

    @Test
    public void typedValuesFromConfigurationAdminPassAsTheyAre() {
        PluginSettings settings = PluginSettings.of("pid", Map.of("patience", 5, "min_delta", 0.25, "strict", Boolean.FALSE));

        assertEquals(5, settings.integer("patience", 3));
        assertEquals(0.25, settings.decimal("min_delta", 0), 0);
        assertEquals(false, settings.flag("strict", true));
        assertTrue(settings.problem().isEmpty());
    }

    @Test
    public void aCombinationTheSettingsRefuseIsAProblemToo() {
        PluginSettings settings = PluginSettings.of("pid", Map.of());

        String built = settings.build(() -> {
            throw new IllegalArgumentException("saveTopK=3 needs a monitor");
        }, "fallback");

        assertEquals("fallback", built);
        assertEquals(List.of("saveTopK=3 needs a monitor"), settings.problems());
    }
}
