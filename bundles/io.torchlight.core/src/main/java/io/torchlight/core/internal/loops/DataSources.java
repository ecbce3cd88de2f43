package io.torchlight.core.internal.loops;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import io.torchlight.api.LightningDataModule;
import io.torchlight.api.LightningModule;
import io.torchlight.api.TorchlightException;
import io.torchlight.core.internal.hooks.Hook;
import io.torchlight.core.internal.hooks.Hooks;
import io.torchlight.utils.data.DataLoader;

/**
 * Where each stage's data comes from, in Lightning's order of precedence: loaders passed to the trainer,
 * then a {@link LightningDataModule}, then the module's own dataloader hooks.
 */
public final class DataSources {

    private final LightningModule module;
    private final LightningDataModule dataModule;
    private final Hooks hooks;
    private final DataLoader train;
    private final List<DataLoader> eval;

    /** {@code train} and {@code eval} are the loaders given to the trainer (null and empty: none). */
    public DataSources(LightningModule module, LightningDataModule dataModule, Hooks hooks, DataLoader train,
            List<DataLoader> eval) {
        this.module = module;
        this.dataModule = dataModule;
        this.hooks = hooks;
        this.train = train;
        this.eval = eval;
    }

    public LightningDataModule dataModule() {
        return dataModule;
    }

    public DataLoader train() {
        List<DataLoader> given = train == null ? List.of() : List.of(train);
        List<DataLoader> found = pick(given, dataModule == null ? null : () -> single(dataModule.trainDataloader()),
                () -> hooks.module(Hook.ON_TRAIN_DATALOADER, module::onTrainDataloader), Hook.TRAIN_DATALOADER,
                () -> single(module.trainDataloader()));
        DataLoader loader = found.isEmpty() ? null : found.get(0);
        if (loader == null) {
            throw new TorchlightException("no training data for " + module.getClass().getName()
                    + ": pass a DataLoader to fit(), override trainDataloader(), or fit with a LightningDataModule");
        }
        return loader;
    }

    public List<DataLoader> val() {
        return pick(eval, dataModule == null ? null : dataModule::valDataloaders,
                () -> hooks.module(Hook.ON_VAL_DATALOADER, module::onValDataloader), Hook.VAL_DATALOADER, module::valDataloaders);
    }

    public List<DataLoader> test() {
        return pick(eval, dataModule == null ? null : dataModule::testDataloaders,
                () -> hooks.module(Hook.ON_TEST_DATALOADER, module::onTestDataloader), Hook.TEST_DATALOADER, module::testDataloaders);
    }

    public List<DataLoader> predict() {
        return pick(eval, dataModule == null ? null : dataModule::predictDataloaders,
                () -> hooks.module(Hook.ON_PREDICT_DATALOADER, module::onPredictDataloader), Hook.PREDICT_DATALOADER,
                module::predictDataloaders);
    }

    /**
     * The loader of a stage: given, else the data module's, else the module's. The module's {@code on*Dataloader} hook
     * runs first in every case, as Lightning 1.6.5's DataConnector._request_dataloader calls it before any source.
     */
    private List<DataLoader> pick(List<DataLoader> given, Supplier<List<DataLoader>> fromDataModule, Runnable announce, Hook hook,
            Supplier<List<DataLoader>> fromModule) {
        announce.run();
        if (!given.isEmpty()) {
            return new ArrayList<>(given);
        }
        if (fromDataModule != null) {
            List<DataLoader> loaders = checked(hooks.module(hook, fromDataModule), hook);
            if (!loaders.isEmpty()) {
                return loaders;
            }
        }
        return checked(hooks.module(hook, fromModule), hook);
    }

    /** A copy the loops may keep; a null list or a null loader in it is the user's mistake, said with the hook's name. */
    private List<DataLoader> checked(List<DataLoader> loaders, Hook hook) {
        if (loaders == null) {
            return new ArrayList<>();
        }
        List<DataLoader> out = new ArrayList<>();
        for (int i = 0; i < loaders.size(); i++) {
            if (loaders.get(i) == null) {
                throw new TorchlightException(module.getClass().getName() + ": " + hook.label() + " returned a null loader at "
                        + "index " + i + "; return only loaders, or none");
            }
            out.add(loaders.get(i));
        }
        return out;
    }

    private static List<DataLoader> single(DataLoader loader) {
        return loader == null ? List.of() : List.of(loader);
    }
}
