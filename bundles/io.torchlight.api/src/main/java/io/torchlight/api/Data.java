package io.torchlight.api;

import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

import io.torchlight.utils.data.DataLoader;

/**
 * Where a stage's data comes from, as the {@code train_dataloaders}/{@code val_dataloaders}/{@code dataloaders}/
 * {@code datamodule} arguments of Lightning's {@code trainer.fit}/{@code validate}/{@code test}/{@code predict}:
 * the module's own dataloader hooks ({@link #fromModule()}), a data module, or loaders given directly.
 */
@ProviderType
public final class Data {

    private static final Data FROM_MODULE = new Data(null, null, null);

    private final LightningDataModule dataModule;
    private final DataLoader loader;
    private final DataLoader val;

    private Data(LightningDataModule dataModule, DataLoader loader, DataLoader val) {
        this.dataModule = dataModule;
        this.loader = loader;
        this.val = val;
    }

    /** The module's {@code trainDataloader()}, {@code valDataloader()}, ... hooks. */
    public static Data fromModule() {
        return FROM_MODULE;
    }

    /** A data module's loaders (its {@code prepareData}, {@code setup} and {@code teardown} run too). */
    public static Data of(LightningDataModule dataModule) {
        return new Data(Objects.requireNonNull(dataModule, "dataModule"), null, null);
    }

    /**
     * One loader for the stage: the training data of {@code fit} (validation then comes from the module), or
     * the data of {@code validate}, {@code test} or {@code predict}.
     */
    public static Data of(DataLoader loader) {
        return new Data(null, Objects.requireNonNull(loader, "loader"), null);
    }

    /**
     * Training and validation data: {@code fit} trains on {@code train} and validates on {@code val} (may be null: no
     * validation); {@code validate} runs {@code val}.
     */
    public static Data of(DataLoader train, DataLoader val) {
        return new Data(null, Objects.requireNonNull(train, "train"), val);
    }

    /** The data module, or null. */
    public LightningDataModule dataModule() {
        return dataModule;
    }

    /** The stage's loader given directly (training data for fit), or null. */
    public DataLoader loader() {
        return loader;
    }

    /** The validation loader given with {@link #of(DataLoader, DataLoader)}, or null. */
    public DataLoader val() {
        return val;
    }

    @Override
    public String toString() {
        return dataModule != null ? "Data.of(" + dataModule.getClass().getName() + ")"
                : loader != null ? "Data.of(loaders)" : "Data.fromModule()";
    }
}
