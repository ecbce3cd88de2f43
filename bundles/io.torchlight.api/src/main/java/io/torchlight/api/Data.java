package io.torchlight.api;

import java.util.ArrayList;
import java.util.List;
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

    private static final Data FROM_MODULE = new Data(null, List.of(), List.of());

    private final LightningDataModule dataModule;
    private final List<DataLoader> loaders;
    private final List<DataLoader> val;

    private Data(LightningDataModule dataModule, List<DataLoader> loaders, List<DataLoader> val) {
        this.dataModule = dataModule;
        this.loaders = List.copyOf(loaders);
        this.val = List.copyOf(val);
    }

    /** The module's {@code trainDataloader()}, {@code valDataloader()}, ... hooks. */
    public static Data fromModule() {
        return FROM_MODULE;
    }

    /** A data module's loaders (its {@code prepareData}, {@code setup} and {@code teardown} run too). */
    public static Data of(LightningDataModule dataModule) {
        return new Data(Objects.requireNonNull(dataModule, "dataModule"), List.of(), List.of());
    }

    /**
     * One loader for the stage: the training data of {@code fit} (validation then comes from the module), or
     * the data of {@code validate}, {@code test} or {@code predict}.
     */
    public static Data of(DataLoader loader) {
        return new Data(null, List.of(Objects.requireNonNull(loader, "loader")), List.of());
    }

    /**
     * Several loaders for {@code validate}, {@code test} or {@code predict}, run in turn, as Lightning's
     * {@code dataloaders=[a, b]}: the step hooks get each one's index, logged names the suffix
     * {@code /dataloader_idx_<n>}, and {@code predict} returns a list of predictions per loader.
     */
    public static Data of(List<DataLoader> loaders) {
        if (loaders.isEmpty()) {
            throw new IllegalArgumentException("loaders: give at least one (Data.fromModule() uses the module's own)");
        }
        loaders.forEach(l -> Objects.requireNonNull(l, "loaders holds a null"));
        return new Data(null, loaders, List.of());
    }

    /**
     * Training and validation data: {@code fit} trains on {@code train} and validates on {@code val} (may be null: no
     * validation); {@code validate} runs {@code val}.
     */
    public static Data of(DataLoader train, DataLoader val) {
        return new Data(null, List.of(Objects.requireNonNull(train, "train")), val == null ? List.of() : List.of(val));
    }

    /**
     * Training data and several validation loaders, as Lightning's {@code val_dataloaders=[a, b]}: each validation
     * runs them in turn; {@code validate} runs them all.
     */
    public static Data of(DataLoader train, DataLoader val, DataLoader... moreVal) {
        List<DataLoader> all = new ArrayList<>();
        all.add(Objects.requireNonNull(val, "val"));
        for (DataLoader more : moreVal) {
            all.add(Objects.requireNonNull(more, "a validation loader is null"));
        }
        return new Data(null, List.of(Objects.requireNonNull(train, "train")), all);
    }

    /** The data module, or null. */
    public LightningDataModule dataModule() {
        return dataModule;
    }

    /** The stage's first loader given directly (the training data for fit), or null. */
    public DataLoader loader() {
        return loaders.isEmpty() ? null : loaders.get(0);
    }

    /** The stage's loaders given directly (for fit: the training data); empty when none were. */
    public List<DataLoader> loaders() {
        return loaders;
    }

    /** The first validation loader given with {@link #of(DataLoader, DataLoader)}, or null. */
    public DataLoader val() {
        return val.isEmpty() ? null : val.get(0);
    }

    /** The validation loaders given with {@link #of(DataLoader, DataLoader, DataLoader...)}; empty when none were. */
    public List<DataLoader> valLoaders() {
        return val;
    }

    @Override
    public String toString() {
        return dataModule != null ? "Data.of(" + dataModule.getClass().getName() + ")"
                : !loaders.isEmpty() ? "Data.of(loaders)" : "Data.fromModule()";
    }
}
