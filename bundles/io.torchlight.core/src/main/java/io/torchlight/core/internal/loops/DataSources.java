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
    private final DataLoader eval;

    public DataSources(LightningModule module, LightningDataModule dataModule, Hooks hooks, DataLoader train, DataLoader eval) {
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
        DataLoader loader = pick(train, dataModule == null ? null : dataModule::trainDataloader,
                () -> hooks.module(Hook.ON_TRAIN_DATALOADER, module::onTrainDataloader), Hook.TRAIN_DATALOADER, module::trainDataloader);
        if (loader == null) {
            throw new TorchlightException("no training data for " + module.getClass().getName()
                    + ": pass a DataLoader to fit(), override trainDataloader(), or fit with a LightningDataModule");
        }
        return loader;
    }

    public List<DataLoader> val() {
        return list(pick(eval, dataModule == null ? null : dataModule::valDataloader,
                () -> hooks.module(Hook.ON_VAL_DATALOADER, module::onValDataloader), Hook.VAL_DATALOADER, module::valDataloader));
    }

    public List<DataLoader> test() {
        return list(pick(eval, dataModule == null ? null : dataModule::testDataloader,
                () -> hooks.module(Hook.ON_TEST_DATALOADER, module::onTestDataloader), Hook.TEST_DATALOADER, module::testDataloader));
    }

    public List<DataLoader> predict() {
        return list(pick(eval, dataModule == null ? null : dataModule::predictDataloader,
                () -> hooks.module(Hook.ON_PREDICT_DATALOADER, module::onPredictDataloader), Hook.PREDICT_DATALOADER,
                module::predictDataloader));
    }

    /**
     * The loader of a stage: given, else the data module's, else the module's. The module's {@code on*Dataloader} hook
     * runs first in every case, as Lightning 1.6.5's DataConnector._request_dataloader calls it before any source.
     */
    private DataLoader pick(DataLoader given, Supplier<DataLoader> fromDataModule, Runnable announce, Hook hook,
            Supplier<DataLoader> fromModule) {
        announce.run();
        if (given != null) {
            return given;
        }
        if (fromDataModule != null) {
            DataLoader loader = hooks.module(hook, fromDataModule);
            if (loader != null) {
                return loader;
            }
        }
        return hooks.module(hook, fromModule);
    }

    private static List<DataLoader> list(DataLoader loader) {
        List<DataLoader> out = new ArrayList<>();
        if (loader != null) {
            out.add(loader);
        }
        return out;
    }
}
