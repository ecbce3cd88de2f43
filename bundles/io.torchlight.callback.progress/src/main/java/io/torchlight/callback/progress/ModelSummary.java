package io.torchlight.callback.progress;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.StringSharedModuleDict;
import org.bytedeco.pytorch.StringSharedModuleDictItem;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;

import io.torchlight.api.LightningModule;
import io.torchlight.api.ModelSummaryCallback;
import io.torchlight.api.TrainerView;

/**
 * Lightning's ModelSummary: when fitting starts, a table of the module's layers down to {@code maxDepth}
 * (name, type, parameter count), then trainable, non-trainable and total parameters and their estimated size
 * in MB. Turned off by {@code enableModelSummary=false}.
 */
public class ModelSummary implements ModelSummaryCallback {

    /** The callback's service name. */
    public static final String NAME = "model_summary";

    /** One row of the table. */
    public record Layer(String name, String type, long params) {
    }

    private final int maxDepth;
    private final PrintStream out;

    /** Top-level layers, printed to standard output. */
    public ModelSummary() {
        this(1, System.out);
    }

    /** @param maxDepth how deep to list nested layers; -1 for all, 0 for totals only */
    public ModelSummary(int maxDepth, PrintStream out) {
        if (maxDepth < -1) {
            throw new IllegalArgumentException("model summary max_depth must be -1 (all layers) or more, not " + maxDepth);
        }
        this.maxDepth = maxDepth;
        this.out = out;
    }

    @Override
    public void onFitStart(TrainerView trainer, LightningModule module) {
        if (trainer.isGlobalZero()) {
            out.print(summarize(module));
            out.flush();
        }
    }

    /** The layers down to {@code maxDepth}, in registration order. */
    public List<Layer> layers(Module module) {
        List<Layer> layers = new ArrayList<>();
        if (maxDepth == 0) {
            return layers;
        }
        try (PointerScope scope = new PointerScope()) {
            StringSharedModuleDict modules = module.named_modules("", false);
            for (long i = 0; i < modules.size(); i++) {
                StringSharedModuleDictItem item = modules.get(i);
                String name = item.key().getString();
                if (maxDepth < 0 || name.split("\\.").length <= maxDepth) {
                    layers.add(new Layer(name, typeName(item.value().name().getString()), count(item.value(), null)));
                }
            }
        }
        return layers;
    }

    /** The table Lightning prints. */
    public String summarize(Module module) {
        List<Layer> layers = layers(module);
        long total;
        long trainable;
        long bytes;
        try (PointerScope scope = new PointerScope()) {
            total = count(module, null);
            trainable = count(module, Boolean.TRUE);
            bytes = sizeInBytes(module);
        }
        int nameWidth = Math.max(4, layers.stream().mapToInt(l -> l.name().length()).max().orElse(0));
        int typeWidth = Math.max(4, layers.stream().mapToInt(l -> l.type().length()).max().orElse(0));
        int indexWidth = String.valueOf(Math.max(0, layers.size() - 1)).length();
        StringBuilder table = new StringBuilder();
        if (!layers.isEmpty()) {
            String header = String.format(Locale.ROOT, "%" + indexWidth + "s | %-" + nameWidth + "s | %-" + typeWidth + "s | %s",
                    "", "Name", "Type", "Params");
            String rule = "-".repeat(header.length() + 2) + "\n";
            table.append(header).append('\n').append(rule);
            for (int i = 0; i < layers.size(); i++) {
                Layer l = layers.get(i);
                table.append(String.format(Locale.ROOT, "%" + indexWidth + "d | %-" + nameWidth + "s | %-" + typeWidth + "s | %s%n",
                        i, l.name(), l.type(), humanCount(l.params())));
            }
            table.append(rule);
        }
        table.append(String.format(Locale.ROOT, "%-10s%s%n", humanCount(trainable), "Trainable params"));
        table.append(String.format(Locale.ROOT, "%-10s%s%n", humanCount(total - trainable), "Non-trainable params"));
        table.append(String.format(Locale.ROOT, "%-10s%s%n", humanCount(total), "Total params"));
        table.append(String.format(Locale.ROOT, "%-10.3f%s%n", bytes / 1e6, "Total estimated model params size (MB)"));
        return table.toString();
    }

    /** 100, 1.3 K, 101 K, 1.2 M: three significant digits at most, Lightning's labels. */
    static String humanCount(long n) {
        String[] labels = {"", " K", " M", " B", " T"};
        int group = 0;
        double value = n;
        while (value >= 999.5 && group < labels.length - 1) {
            value /= 1000;
            group++;
        }
        if (group == 0 || value >= 99.5) {
            return Math.round(value) + labels[group];
        }
        return String.format(Locale.ROOT, "%.1f", value) + labels[group];
    }

    /** {@code torch::nn::LinearImpl} → {@code Linear}. */
    static String typeName(String cppName) {
        String simple = cppName.substring(cppName.lastIndexOf(':') + 1);
        return simple.endsWith("Impl") && simple.length() > 4 ? simple.substring(0, simple.length() - 4) : simple;
    }

    private static long count(Module module, Boolean requiresGrad) {
        TensorVector params = module.parameters(true);
        long n = 0;
        for (long i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            if (requiresGrad == null || p.requires_grad() == requiresGrad) {
                n += p.numel();
            }
        }
        return n;
    }

    private static long sizeInBytes(Module module) {
        TensorVector params = module.parameters(true);
        long bytes = 0;
        for (long i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            bytes += p.numel() * p.element_size();
        }
        return bytes;
    }
}
