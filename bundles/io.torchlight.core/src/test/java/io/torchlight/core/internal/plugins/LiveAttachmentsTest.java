package io.torchlight.core.internal.plugins;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.Test;

import io.torchlight.accelerator.cpu.CpuAccelerator;
import io.torchlight.api.Callback;
import io.torchlight.api.Configured;
import io.torchlight.api.LightningModule;
import io.torchlight.api.Limit;
import io.torchlight.api.Trainer;
import io.torchlight.api.TrainerConfig;
import io.torchlight.api.TrainerPlugins;
import io.torchlight.api.TrainerView;
import io.torchlight.api.logger.Logger;
import io.torchlight.core.internal.DefaultTrainer;
import io.torchlight.core.internal.TrainerSetup;
import io.torchlight.core.internal.hooks.Hooks;
import io.torchlight.demos.BoringModel;
import io.torchlight.strategy.single.SingleDeviceStrategy;
import io.torchlight.utils.checkpoint.CheckpointException;
import io.torchlight.utils.config.ConfigurationException;
import io.torchlight.utils.data.Batch;

/** Loggers and callbacks that come and go while a run trains join and leave at step boundaries. */
public class LiveAttachmentsTest {

    /** Logger services as a test controls them. */
    static final class Registry implements PluginOffers {
        final AtomicLong version = new AtomicLong();
        final List<Offer<Logger>> loggers = new CopyOnWriteArrayList<>();
        final List<Offer<Callback>> callbacks = new CopyOnWriteArrayList<>();

        @Override
        public long version() {
            return version.get();
        }

        @Override
        public List<Offer<Logger>> loggers() {
            return List.copyOf(loggers);
        }

        @Override
        public List<Offer<Callback>> callbacks() {
            return List.copyOf(callbacks);
        }

        <T> Offer<T> offer(String name, T instance) {
            return offer(name, instance, instance);
        }

        /** A service unregistered between being listed and being got: what a bundle stopping mid-sync looks like. */
        <T> Offer<T> vanishing(String name) {
            return offer(name, null, new Object());
        }

        private <T> Offer<T> offer(String name, T instance, Object key) {
            return new Offer<>() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public Object key() {
                    return key;
                }

                @Override
                public boolean registered() {
                    return instance != null;
                }

                @Override
                public String origin() {
                    return name + " (test.bundle 1.0)";
                }

                @Override
                public T get() {
                    return instance;
                }

                @Override
                public void unget(T value) {
                }
            };
        }
    }

    /** Records what it is given: "hparams", "step N", "finalize:status". */
    static final class Journal implements Logger {
        final String name;
        final List<String> events = new ArrayList<>();
        boolean fail;

        Journal(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String version() {
            return "0";
        }

        @Override
        public void logHyperparams(Map<String, Object> params) {
            events.add("hparams");
        }

        @Override
        public void logMetrics(Map<String, Double> metrics, long step) {
            if (fail) {
                throw new IllegalStateException("disk full");
            }
            events.add("step " + step);
        }

        @Override
        public void finalize(String status) {
            events.add("finalize:" + status);
        }
    }

    private static final TrainerPlugins CPU = TrainerPlugins.of(new CpuAccelerator(), new SingleDeviceStrategy());

    private final Registry registry = new Registry();
    private final List<String> reports = new ArrayList<>();

    private Trainer trainer(Callback control) {
        TrainerConfig config = TrainerConfig.builder().maxEpochs(1).limitTrainBatches(Limit.count(12))
                .limitValBatches(Limit.NONE).logEveryNSteps(1).enableCheckpointing(false).build();
        return DefaultTrainer.open(TrainerSetup.of(config, CPU.withCallback(control)),
                new ServicePlugins(List.of(), List.of(), List.of(), registry, reports::add), Hooks.HookListener.NONE);
    }

    /** BoringModel logging its loss every step, so loggers get a row per step. */
    static final class Logging extends BoringModel {
        @Override
        public Object trainingStep(Batch batch, int batchIdx) {
            log("loss", batchIdx);
            return super.trainingStep(batch, batchIdx);
        }
    }

    @Test
    public void loggersJoinAndLeaveAtStepBoundariesLosingNothing() {
        Journal a = new Journal("a");
        Journal b = new Journal("b");
        registry.loggers.add(registry.offer("a", a));
        Callback control = new Callback() {
            @Override
            public void onTrainBatchEnd(TrainerView trainer, LightningModule module, Object outputs, Batch batch, int batchIdx) {
                if (trainer.globalStep() == 4) {
                    registry.loggers.add(registry.offer("b", b));
                    registry.version.incrementAndGet();
                }
                if (trainer.globalStep() == 8) {
                    registry.loggers.removeIf(o -> o.name().equals("a"));
                    registry.version.incrementAndGet();
                }
            }
        };

        trainer(control).fit(new Logging());

        // rows carry Lightning's logged step: batch n of the fit logs at step n - 1
        assertEquals(List.of("hparams", "step 0", "step 1", "step 2", "step 3", "step 4", "step 5", "step 6", "step 7",
                "finalize:detached"), a.events);
        assertEquals("b", "hparams", b.events.get(0));
        assertEquals("b joins at the next step", "step 4", b.events.get(1));
        assertEquals("step 11", b.events.get(b.events.size() - 2));
        assertEquals("finalize:success", b.events.get(b.events.size() - 1));
    }

    @Test
    public void aFailingLoggerIsReportedOnceAndDetached() {
        Journal good = new Journal("good");
        Journal bad = new Journal("bad");
        bad.fail = true;
        registry.loggers.add(registry.offer("bad", bad));
        registry.loggers.add(registry.offer("good", good));

        Trainer trainer = trainer(new Callback() {
        });
        trainer.fit(new Logging());

        assertEquals(12, trainer.view().globalStep());
        assertEquals(1, reports.size());
        assertTrue(reports.get(0), reports.get(0).startsWith("bad (test.bundle 1.0) failed in logger.logMetrics and was detached"));
        assertTrue(good.events.contains("step 11"));
        assertEquals(List.of("hparams"), bad.events);
    }
    /** A callback service that fails at step 3 with {@code error}. */
    private static Callback failingAtStep3(RuntimeException error) {
        return new Callback() {
            @Override
            public void onTrainBatchEnd(TrainerView trainer, LightningModule module, Object outputs, Batch batch, int batchIdx) {
                if (trainer.globalStep() == 3) {
                    throw error;
                }
            }
        };
    }

    @Test
    public void aCheckpointThatCannotBeWrittenOrAnInvalidConfigurationFailsTheRunInsteadOfDetaching() {
        for (RuntimeException error : List.of(new CheckpointException("cannot write checkpoint /runs/x/checkpoints/a.ckpt: "
                + "No space left on device"), new ConfigurationException("configuration io.torchlight.callback.checkpoint is "
                        + "invalid: every_n_train_steps: expected an integer, got 'abc'"))) {
            registry.callbacks.clear();
            registry.callbacks.add(registry.offer("checkpoint", failingAtStep3(error)));
            Trainer trainer = trainer(new Callback() {
            });

            RuntimeException thrown = assertThrows(error.getClass(), () -> trainer.fit(new Logging()));

            assertEquals(error.getMessage(), thrown.getMessage());
            assertEquals("the fit stopped where the save failed", 3, trainer.view().globalStep());
        }
        assertTrue("nothing was detached quietly: " + reports, reports.isEmpty());
    }

    @Test
    public void aSelectedNameOneTypoAwayFromAnInstalledOneIsAnErrorAndAnAbsentOneAWarning() {
        registry.callbacks.add(registry.offer("checkpoint", new Callback() {
        }));
        TrainerConfig config = TrainerConfig.builder().build();

        ConfigurationException typo = assertThrows(ConfigurationException.class, () -> DefaultTrainer.open(
                new TrainerSetup(config, CPU, "*", "chekpoint", null), new ServicePlugins(List.of(), List.of(), List.of(), registry, reports::add),
                Hooks.HookListener.NONE));
        DefaultTrainer.open(new TrainerSetup(config, CPU, "*", "checkpoint,wandb_images", null),
                new ServicePlugins(List.of(), List.of(), List.of(), registry, reports::add), Hooks.HookListener.NONE);

        assertEquals("callbacks=chekpoint: no callback named 'chekpoint'; did you mean 'checkpoint'? (installed: [checkpoint])",
                typo.getMessage());
        assertEquals(1, reports.size());
        assertTrue(reports.get(0), reports.get(0).startsWith("no callback named 'wandb_images' is installed"));
    }
    /** A callback service activated with an invalid configuration. */
    private static final class Misconfigured implements Callback, Configured {
        @Override
        public Optional<ConfigurationException> configurationProblem() {
            return Optional.of(new ConfigurationException("configuration io.torchlight.callback.checkpoint is invalid: "
                    + "save_top_k: expected an integer, got 'all'"));
        }
    }

    @Test
    public void aServiceWithAnInvalidConfigurationFailsTheRunBeforeItStartsAndWhenItJoins() {
        registry.callbacks.add(registry.offer("checkpoint", new Misconfigured()));

        ConfigurationException atStart = assertThrows(ConfigurationException.class, () -> trainer(new Callback() {
        }));

        registry.callbacks.clear();
        Callback join = new Callback() {
            @Override
            public void onTrainBatchEnd(TrainerView trainer, LightningModule module, Object outputs, Batch batch, int batchIdx) {
                if (trainer.globalStep() == 2) {
                    registry.callbacks.add(registry.offer("checkpoint", new Misconfigured()));
                    registry.version.incrementAndGet();
                }
            }
        };
        Trainer trainer = trainer(join);
        ConfigurationException joining = assertThrows(ConfigurationException.class, () -> trainer.fit(new Logging()));

        assertTrue(atStart.getMessage(), atStart.getMessage().contains("save_top_k: expected an integer, got 'all'"));
        assertEquals(atStart.getMessage(), joining.getMessage());
        assertEquals("it stopped at the step boundary where the callback joined", 2, trainer.view().globalStep());
    }
    @Test
    public void aServiceThatGoesAwayWhileItIsAttachedIsSkippedAndTheRunGoesOn() {
        Journal csv = new Journal("csv");
        registry.loggers.add(registry.vanishing("csv"));
        Callback control = new Callback() {
            @Override
            public void onTrainBatchEnd(TrainerView trainer, LightningModule module, Object outputs, Batch batch, int batchIdx) {
                if (trainer.globalStep() == 3) {
                    registry.loggers.clear();
                    registry.loggers.add(registry.vanishing("csv"));
                    registry.version.incrementAndGet();
                }
                if (trainer.globalStep() == 6) {
                    registry.loggers.clear();
                    registry.loggers.add(registry.offer("csv", csv));
                    registry.version.incrementAndGet();
                }
            }
        };
        Trainer trainer = trainer(control);

        trainer.fit(new Logging());

        assertEquals(12, trainer.view().globalStep());
        assertEquals("the logger that came back got the rest", "step 6", csv.events.get(1));
        assertTrue(reports.toString(), reports.isEmpty());
    }
}
